"""The same question, different answers: alike questions of different interviews, as the
builder compared them (`indexer.indexing.alike`), joined into groups.

An index built before the builder saved them has them compared on first use instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh.searching import Searcher

from indexer.indexing.alike import alike_pairs, load_alike
from indexer.indexing.arrays import ARRAYS
from indexer.schema import FACETS

from .columns import Columns

if TYPE_CHECKING:
    from .generation import Generation

NEIGHBOURS = 5  # other interviews' answers shown beside a passage
MOST_ASKED = 50  # groups listed on /questions


@dataclass
class SimilarQuestions:
    """Alike questions of one generation, by document number."""

    # every pair both ways, by document, then the most alike first (ties in reading order)
    source: np.ndarray
    target: np.ndarray
    alike: np.ndarray
    groups: list[list[int]]  # most interviews first; each group in (article, ordinal) order

    @classmethod
    def load(cls, searcher: Searcher, columns: Columns, generation: Path) -> SimilarQuestions:
        """The pairs the builder saved in `generation`, or else compared now."""
        found = load_alike(generation / ARRAYS, columns.size)
        if found is None:
            found = alike_pairs(searcher.reader(), columns.live, columns.tier, columns.article)
        first, second, alike = found
        source, target = np.r_[first, second], np.r_[second, first]
        both = np.r_[alike, alike]
        order = np.lexsort((columns.order[target], -both, source))
        groups = _groups(first, second, columns)
        return cls(source[order], target[order], both[order], groups)

    def neighbours(self, docnum: int) -> list[tuple[int, float]]:
        """The documents alike to `docnum`'s question, the most alike first."""
        start, stop = np.searchsorted(self.source, [docnum, docnum + 1])
        return list(
            zip(self.target[start:stop].tolist(), self.alike[start:stop].tolist(), strict=True)
        )


def _groups(first: np.ndarray, second: np.ndarray, columns: Columns) -> list[list[int]]:
    """Documents joined by alike pairs, the groups spanning most interviews first."""
    if not len(first):
        return []
    label = np.arange(columns.size)
    while True:  # each document takes the lowest label it is joined to, until none changes
        low = np.minimum(label[first], label[second])
        fresh = label.copy()
        np.minimum.at(fresh, first, low)
        np.minimum.at(fresh, second, low)
        fresh = fresh[fresh]
        if np.array_equal(fresh, label):
            break
        label = fresh
    members = np.unique(np.r_[first, second])
    groups: dict[int, list[int]] = {}
    for docnum in members[np.argsort(columns.order[members], kind="stable")].tolist():
        groups.setdefault(int(label[docnum]), []).append(docnum)
    return sorted(
        groups.values(),
        key=lambda g: (-len({int(columns.article[d]) for d in g}), -len(g), columns.order[g[0]]),
    )


def passage(searcher: Searcher, docnum: int, similarity: float | None = None) -> dict[str, Any]:
    """One passage of a group or a panel: where it is, who asked and answered, and what."""
    fields = searcher.stored_fields(docnum)
    meta = fields["meta"]
    turns = fields.get("turns") or []
    return {
        "article_id": fields["article_id"],
        "anchor": fields["anchor"],
        "title": meta.get("title", ""),
        "publication": meta.get("publication", ""),
        "date": meta.get("date", ""),
        "films": list(meta.get("films") or []),
        "speakers": list(fields.get(FACETS["speaker"]) or ()),
        "answerers": list(dict.fromkeys(t["speaker"] for t in turns if t["role"] != "interviewer")),
        "question": fields.get("question", ""),
        "answer": fields.get("answer", ""),
        **({"similarity": round(similarity, 3)} if similarity is not None else {}),
    }


def answers_elsewhere(state: Generation, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """For each passage of an article (by anchor), other interviews' answers to its question."""
    similar, searcher = state.similar_questions(), state.searcher()
    found: dict[str, list[dict[str, Any]]] = {}
    for docnum in searcher.document_numbers(article_id=article_id):
        near = similar.neighbours(docnum)
        if near:
            anchor = searcher.stored_fields(docnum)["anchor"]
            found[anchor] = [passage(searcher, d, alike) for d, alike in near[:NEIGHBOURS]]
    return found


def most_asked(state: Generation, limit: int = MOST_ASKED) -> dict[str, Any]:
    """The questions asked in most interviews, each with every answer to it."""
    similar, searcher = state.similar_questions(), state.searcher()
    listed = []
    for group in similar.groups[:limit]:
        # worded as the question most alike to the others of its group
        central = max(group, key=lambda d: sum(alike for _, alike in similar.neighbours(d)))
        passages = [passage(searcher, docnum) for docnum in group]
        listed.append(
            {
                "question": searcher.stored_fields(central).get("question", ""),
                "interviews": len({p["article_id"] for p in passages}),
                "passages": passages,
            }
        )
    return {"ok": True, "total": len(similar.groups), "questions": listed}
