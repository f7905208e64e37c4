"""Film title candidates and the named features a model weighs to choose among them."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from indexer.entities.filmhints import release_patterns, subject_titles
from indexer.entities.films import (
    ARTICLE_WORDS,
    FILM_PATTERNS,
    LOOSE_PATTERNS,
    QUOTED,
    TITLE,
    FilmEvidence,
    count_exact,
    film_candidates,
    normalize_title,
    slug_phrases,
    spans_of,
    title_is_name,
    trim_title,
    without_headline,
)
from indexer.model import Block, unique
from indexer.text.cjk import cjk_titles
from indexer.text.names import find_names, fold, looks_like_name
from indexer.text.sentences import question_like

# --- Tables -------------------------------------------------------------------------------

# Recorded in film.weights.json: bump when a film feature's meaning changes, so weights
# fitted on the old meaning are caught (refit with `python -m benchmarks.fit_parser`).
FEATURE_VERSION = 2

# Headline shapes that put the film after a verb or preposition, in any case (headlines are
# often title-cased): "X on FILM", "talks FILM", "X Talks FILM".
HEADLINE_ON = re.compile(
    rf"\b(?i:on|about|talks|discusses|discussing|behind|making|sur|sobre|su|über|o)\s+"
    rf"[“\"‘«„]?(?P<t>{TITLE})"
)
# Separators between a headline's parts: "Interview – FILM", "FILM: the director speaks".
HEADLINE_PARTS = re.compile(r"\s+[–—|-]\s+|:\s+")
# Words of the bodies and departments a job title names ("Director of Photography", "Director
# of the Harbour Film Festival"): a headline's "director of" them credits no film.
INSTITUTION_WORDS = set(
    "festival fest awards academy institute university museum council foundation company "
    "studio studios photography programming programmes communications department school "
    "society association network channel centre center archive commission".split()
)
# Words a title does not end on: a span cut at "Kelly Reichardt on" is a headline's fragment.
ENDING_WORDS = set("on of the a an and in at to with for by about from".split())
# Blocks at the top of the body that introduce the subject.
LEAD_BLOCKS = 3
# Feature values that count occurrences are log-scaled, then capped.
CAP = 3.0
# Independent kinds of evidence that a span is the page's film: the headline sets it off,
# the body sets it off as a title, the page speaks of it as a film, the body keeps naming
# what the headline sets off. A film is named only when at least CORROBORATED of them
# agree: one cue alone is what a headline fragment, a quoted remark or a capitalised word
# also has, on pages no rule was written against. (The page's address naming the span,
# counted with the headline, found no more films on those pages and named wrong ones.) A
# headline that calls the span a film ("director of X", "the film „X“") both sets it off
# and speaks of it as a film; one that only says "new X" or "Y's X" sets it off alone.
FAMILIES = {
    "headline": (
        "title_quoted",
        "title_paren",
        "title_on",
        "title_part",
        "title_first_part",
        "title_whole",
        "pattern_title",
        "pattern_title_loose",
    ),
    "delimited": ("italic", "quoted", "cjk"),
    "film_context": ("pattern", "pattern_title", "release", "subject"),
    "recurs": ("title_recurs",),
}
CORROBORATED = 2
# The headline's marks that set a span off as a title (quotation marks, brackets, "on X"; a
# part between dashes or after a colon too, unless it is shaped like a person's name), and
# how often the body must name the span again, exactly, for it to count as a kind of
# evidence of its own: the body keeps speaking of what the headline singles out.
HEADLINE_SET_OFF = ("title_quoted", "title_paren", "title_on")
RECURS = 2


@dataclass
class Page:
    """What the film and director features read: the headline, body, address and people."""

    title: str
    blocks: list[Block]
    url: str
    people: list[str]
    structured: list[str]  # films the page's structured data (JSON-LD) names
    known: list[str] = field(default_factory=list)  # titles on the collection's list it names
    # What the headline and body say for each span, read once per page (`film_evidence`).
    evidence: FilmEvidence | None = None

    @cached_property
    def text(self) -> str:
        return without_headline(self.title, self.blocks)

    @cached_property
    def full(self) -> str:
        return self.title + "\n" + self.text

    @cached_property
    def lead(self) -> str:
        return "\n".join(b.text for b in self.blocks[:LEAD_BLOCKS])

    @cached_property
    def names(self) -> list[str]:
        """Everyone the page names, whether or not they speak."""
        return unique([*self.people, *find_names(self.full)])


def log_count(n: float) -> float:
    return min(math.log1p(n), CAP)


def title_candidates(page: Page) -> dict[str, dict[str, float]]:
    """Every span that might be the film, with its named features."""
    text, full = page.text, page.full
    rules = film_candidates(page.title, page.blocks, text, page.url, page.people, page.evidence)
    spans, cues = cued_spans(page)
    for span in rules:
        spans[span] += 0
    for span in [*page.structured, *page.known]:
        spans[normalize_title(span)] += 0
    whole = normalize_title(page.title)
    if title_is_name(page.title, page.people):
        spans[whole] += 0

    best_rule = max(rules.values(), default=0)
    mentions = {s: count_exact(s, full) for s in spans}
    most = max(mentions.values(), default=0) or 1
    keys = {s: fold(s) for s in spans}
    # Everyone the page names, whether or not they speak: their names are not titles.
    persons = {fold(p) for p in page.names}
    person_words = {w for p in persons for w in p.split()}
    tops = {cue: max(counts.values(), default=0) or 1 for cue, counts in cues.items()}
    ambiguity = log_count(sum(1 for s in rules.values() if s > 0))
    slug = " " + fold(re.sub(r"[-_/.]+", " ", page.url)) + " "
    lead = page.lead
    found: dict[str, dict[str, float]] = {}
    for span, key in keys.items():
        if not key:
            continue
        words = key.split()
        first = full.find(span)
        longer = [o for o, k in keys.items() if k != key and f" {key} " in f" {k} "]
        inside = any(mentions[o] >= mentions[span] > 0 for o in longer)
        values = {
            "rule_score": log_count(rules.get(span, 0)),
            "rule_share": rules.get(span, 0) / best_rule if best_rule else 0.0,
            "rule_top": float(best_rule > 0 and rules.get(span, 0) == best_rule),
            "mentions": log_count(mentions[span]),
            "rel_mentions": mentions[span] / most,
            "in_title": float(f" {key} " in f" {fold(page.title)} "),
            "title_whole": float(key == fold(page.title)),
            "in_lead": float(span in lead),
            "first_pos": first / len(full) if first >= 0 else 1.0,
            "in_slug": float(f" {key} " in slug),
            "structured": float(span in page.structured),
            "inside_longer": float(inside),
            "holds_shorter": float(any(f" {k} " in f" {key} " for k in keys.values() if k != key)),
            "person_words": sum(w in person_words for w in words) / len(words),
            "is_person": float(key in persons),
            "part_is_person": float(
                any(fold(x) in persons for x in HEADLINE_PARTS.split(span)[1:])
                or (":" in span and fold(span.split(":")[0]) in persons)
            ),
            "commas": min(span.count(", "), 2) / 2,
            "ends_small": float(words[-1] in ENDING_WORDS and len(words) > 1),
            "most_mentioned": float(mentions[span] == most),
            "quoted_share": cues["quoted"][span] / tops["quoted"],
            "italic_share": cues["italic"][span] / tops["italic"],
            "ambiguity": ambiguity,
            "name_shape": float(looks_like_name(span)),
            "article_start": float(words[0] in ARTICLE_WORDS and len(words) > 1),
            "one_word": float(len(words) == 1),
            "long": float(len(words) > 6),
            "colon": float(":" in span),
            "all_caps": float(span.isupper() and len(span) > 3),
            "lower_words": sum(w[:1].islower() and len(w) > 3 for w in span.split()) / len(words),
        }
        for cue, counts in cues.items():
            values[cue] = log_count(counts[span])
        # The body setting off a longer title that holds the span ("‘Fantastic Beasts’" in
        # the headline, *Fantastic Beasts and Where to Find Them* once in the body): the span
        # recurs as that title's short form, no evidence of a title of its own.
        short_form = any(cues["italic"][o] or cues["quoted"][o] for o in longer)
        parted = any(values[c] > 0 for c in ("title_part", "title_first_part"))
        parted = parted and not looks_like_name(span) and not values["person_words"]
        set_off = (any(values[cue] > 0 for cue in HEADLINE_SET_OFF) or parted) and not short_form
        # Only the span's own mentions count, not those inside a longer title that holds it.
        own = count_exact(span, text) - sum(count_exact(o, text) for o in longer)
        values["title_recurs"] = float(set_off and own >= RECURS)
        values["families"] = float(families(values))
        found[span] = values
    return found


def cued_spans(page: Page) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """The spans each cue (italics, quotes, film patterns, headline shapes, ...) points at,
    in the order found: how often each span is cued in all, and per cue."""
    text, full = page.text, page.full
    spans: Counter[str] = Counter()
    cues: dict[str, Counter[str]] = {
        k: Counter()
        for k in "italic quoted pattern pattern_title pattern_title_loose release title_quoted "
        "title_on title_paren title_part title_first_part cjk subject slug".split()
    }

    def add(cue: str, span: str) -> None:
        span = normalize_title(span)
        if span and len(span) <= 120:
            cues[cue][span] += 1
            spans[span] += 1

    for block in page.blocks:
        for phrase in block.italics:
            if phrase != block.text and not question_like(phrase) and phrase[:1].isupper():
                add("italic", phrase)
    for quoted in spans_of(QUOTED, text):
        add("quoted", quoted.rstrip(","))
    for quoted in spans_of(QUOTED, page.title):
        add("title_quoted", quoted)
    for source, cue in ((text, "pattern"), (page.title, "pattern_title")):
        for pattern in FILM_PATTERNS:
            for found in spans_of(pattern, source):
                span = trim_title(found)
                # "Artistic Director of the Harbour Film Festival" is a job, not a credit.
                loose = source is page.title and (
                    pattern in LOOSE_PATTERNS or bool(set(fold(span).split()) & INSTITUTION_WORDS)
                )
                add("pattern_title_loose" if loose else cue, span)
    for pattern in release_patterns(TITLE):
        for match in pattern.finditer(full):
            add("release", trim_title(match.group("t")))
    for cue, span in headline_shapes(page.title):
        add(cue, span)
    for span in cjk_titles(full):
        add("cjk", span)
    for span in cjk_titles(page.title):
        add("title_quoted", span)  # 『』 and 「」 are the headline's quotation marks
    for span in subject_titles(page.blocks, page.people):
        add("subject", span)
    for span in slug_phrases(page.url, text):
        add("slug", span)
    return spans, cues


def headline_shapes(title: str) -> list[tuple[str, str]]:
    """The spans the headline's shape sets apart, each with its cue: after "on" or "talks",
    in brackets, and its parts between dashes, bars and colons."""
    found = [("title_on", trim_title(m.group("t"))) for m in HEADLINE_ON.finditer(title)]
    found += [("title_paren", m.group(1)) for m in re.finditer(r"\(([^()]{2,60})\)", title)]
    parts = HEADLINE_PARTS.split(title)
    if len(parts) > 1:
        found += [("title_first_part", parts[0]), *(("title_part", p) for p in parts[1:])]
    return found


def families(features: dict[str, float]) -> int:
    """How many independent kinds of evidence (FAMILIES) a candidate has."""
    return sum(any(features.get(f, 0.0) > 0 for f in cues) for cues in FAMILIES.values())


def corroborated(features: dict[str, float]) -> bool:
    """Enough kinds of evidence agree that the candidate may be named the page's film."""
    return families(features) >= CORROBORATED
