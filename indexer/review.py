"""What is left to a curator: facets the parser guessed or left empty, worst first, each
with the reason and the sidecar line that would settle it (sidecar fields always win)."""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.indexing.manifest import (
    Manifest,
    aliases_digest,
    file_digest,
    load_manifest,
    parsing_digest,
    relative,
)
from indexer.linear import default_models
from indexer.model import INTERVIEWEE, INTERVIEWER, Article, Guess
from indexer.read.sources import DEFAULT_MAX_BYTES, SourceError
from indexer.schema import current_generation

# How much each kind of doubt weighs when ordering the queue (worst first).
WEIGHTS = {
    "film empty": 3.0,
    "director empty": 2.0,
    "speaker unnamed": 2.0,
    "roles one-sided": 2.0,
    "film guessed": 1.0,
    "director guessed": 1.0,
}
# A value the model chose below this probability is still worth a curator's look.
SURE = 0.9
# Speakers named like this are labels, not people ("Q", "A", "AK").
MAX_LABEL_CHARS = 3


@dataclass
class Doubt:
    kind: str
    reason: str
    fix: dict[str, Any]  # the sidecar fields that would settle it


@dataclass
class ReviewItem:
    article: Article
    doubts: list[Doubt] = field(default_factory=list)

    @property
    def weight(self) -> float:
        return sum(WEIGHTS[d.kind] for d in self.doubts)

    @property
    def sidecar(self) -> str:
        return str(Path(self.article.source).with_suffix(".meta.json"))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.article.id,
            "source": self.article.source,
            "sidecar": self.sidecar,
            "weight": self.weight,
            "doubts": [{"kind": d.kind, "reason": d.reason, "fix": d.fix} for d in self.doubts],
        }


def guesses_text(guesses: list[Guess]) -> str:
    return ", ".join(f"{g.value!r} ({g.score:.2f})" for g in guesses[:3]) or "no candidate"


def thresholds() -> dict[str, float]:
    """The probability at which each facet model trusts its decision (1.0 without one)."""
    models = default_models()
    return {
        name: model.threshold if model is not None else 1.0
        for name, model in (("film", models.film), ("director", models.director))
    }


def facet_doubts(article: Article) -> list[Doubt]:
    """Doubts about the film and director facets. The fix line holds only values the
    model is confident of (at or above its threshold): guesses below it are shown as
    guesses and the fix left empty, for a curator to fill in rather than copy."""
    doubts = []
    sure_at = thresholds()
    for name, guesses in (
        ("film", article.film_candidates),
        ("director", article.director_candidates),
    ):
        values: list[str] = getattr(article, f"{name}s")
        how = article.decided_by.get(f"{name}s", "")
        threshold = sure_at[name]
        if not values:
            trusted = [g.value for g in guesses[:1] if g.score >= threshold]
            if trusted:
                reason = f"no {name} named; best guess: {guesses_text(guesses)}"
            elif guesses:
                reason = (
                    f"no {name} named; guesses below the model's threshold {threshold:.2f}, "
                    f"not values to copy: {guesses_text(guesses)}"
                )
            else:
                reason = f"no {name} named; no candidate"
            doubts.append(Doubt(f"{name} empty", reason, {f"{name}s": trusted}))
        elif how in ("model", "rules", "corpus"):
            score = next((g.score for g in guesses if g.value in values), 0.0)
            if how != "model" or score < SURE:
                reason = f"{name} {values} chosen by the {how} (p={score:.2f})"
                trusted = values if score >= threshold else []
                if not trusted:
                    reason += f", below the model's threshold {threshold:.2f}: a guess"
                doubts.append(Doubt(f"{name} guessed", reason, {f"{name}s": trusted}))
    return doubts


def turn_doubts(article: Article) -> list[Doubt]:
    if not article.is_qa:
        return []
    doubts = []
    labels = sorted({t.speaker for t in article.turns if len(t.speaker) <= MAX_LABEL_CHARS})
    if labels:
        reason = f"speakers known only by a label: {', '.join(labels)}"
        fix = {"aliases": dict.fromkeys(labels, "Full Name")}
        doubts.append(Doubt("speaker unnamed", reason, fix))
    roles = {t.role for t in article.turns}
    if roles and roles != {INTERVIEWER, INTERVIEWEE}:
        who = sorted({t.speaker for t in article.turns})
        reason = f"every turn has the role {roles.pop()}: {', '.join(who)}"
        doubts.append(Doubt("roles one-sided", reason, {"interviewers": ["..."]}))
    return doubts


def review(articles: list[Article]) -> list[ReviewItem]:
    """The articles with doubts, worst first (then the ones with most passages)."""
    entries = [ReviewItem(a, [*facet_doubts(a), *turn_doubts(a)]) for a in articles]
    entries = [e for e in entries if e.doubts]
    return sorted(entries, key=lambda e: (-e.weight, -len(e.article.passages), e.article.id))


def sidecar_line(fix: dict[str, Any]) -> str:
    return json.dumps(fix, ensure_ascii=False)[1:-1]


def indexed_articles(
    corpus: Path, index_root: Path, paths: list[Path], catalogue: Path | None = None
) -> list[Article] | None:
    """The articles of `paths` as the index serving now parsed them (its manifest keeps
    each file's parse), or None when there is no index or it is stale: built by another
    parser or with other limits, without one of the files, with one no longer there, or
    with one whose text or sidecar has changed since, or with another film `catalogue`. A
    file the index skipped (unreadable,
    or no text) is left out."""
    manifest = load_manifest(current_generation(index_root))
    if manifest is None:
        return None
    expected = Manifest(
        parsing_digest(corpus, catalogue), aliases_digest(corpus), DEFAULT_MAX_BYTES
    )
    if not expected.compatible(manifest):
        return None
    files = {relative(path, corpus): path for path in paths}
    if files.keys() != manifest.files.keys():
        return None
    articles = []
    for rel, path in files.items():
        entry = manifest.files[rel]
        try:
            if entry.digest != file_digest(path, corpus, DEFAULT_MAX_BYTES):
                return None
        except SourceError:
            return None
        if entry.skipped or not entry.article:
            continue
        article: Article = pickle.loads(entry.article)
        article.source = str(path)
        articles.append(article)
    return articles
