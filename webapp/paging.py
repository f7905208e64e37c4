"""Collect and page a match: order its documents, cut one page, read them as hits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from indexer.schema import FACETS, speaks_as

from .columns import Columns
from .generation import Generation
from .grouping import page_groups, rank_articles
from .highlighting import Highlighter
from .matching import Match
from .results import Hit
from .vector import top

SORTS = {"relevance": None, "newest": ("date", True), "oldest": ("date", False)}
GROUPS = ("article", "passage")  # one entry per interview, or every passage


@dataclass
class Paged:
    """One page of a match's entries, read as hits."""

    page: int  # the page asked for, within the pages there are
    groups: int = 0  # interviews with a matching passage, when grouped by interview
    hits: list[Hit] = field(default_factory=list)


def rank(
    columns: Columns, docs: np.ndarray, scores: np.ndarray | None, sort: str, start: int, stop: int
) -> list[tuple[int, float | None]]:
    """(docnum, score) of results `start` to `stop`, in the requested order."""
    if sort != "relevance":
        return [(d, None) for d in columns.by_date(docs, start, stop, sort == "newest")]
    if scores is None:  # every passage scores the same: answers first, then in order
        return [(d, 1.0) for d in columns.in_sequence(docs, "relevance", start, stop)]
    return list(top(docs, scores, columns.order, start, stop, columns.tier))


def page_of(
    state: Generation,
    found: Match,
    sort: str,
    group: str,
    page: int,
    page_size: int,
    words: frozenset[str],
    highlighter: Highlighter,
) -> Paged:
    """Page `page` (moved within the pages there are) of a match, passage by passage or
    one entry per interview (its best passage, the others in `Hit.more`)."""
    columns, docs, scores = state.columns(), found.docs, found.scores
    total = found.total
    best = rank_articles(columns, docs, scores, sort) if group == "article" else None
    groups = 0 if best is None else len(best)
    entries = groups if group == "article" else total
    page = min(max(1, page), max(1, -(-entries // page_size)))
    paged = Paged(page, groups)
    if not total:
        return paged
    start = (page - 1) * page_size
    searcher = state.searcher()

    def score_of(docnum: int) -> float | None:
        return None if scores is None or sort != "relevance" else float(scores[docnum])

    def make(docnum: int, score: float | None) -> Hit:
        return hit(searcher.stored_fields(docnum), words, score, highlighter)

    if best is not None:
        for g in page_groups(columns, docs, best[start : start + page_size]):
            shown = make(g.best, score_of(g.best))
            shown.matches = g.count
            shown.more = [make(d, score_of(d)) for d in g.others]
            paged.hits.append(shown)
    else:
        ranked = rank(columns, docs, scores, sort, start, start + page_size)
        paged.hits = [make(docnum, score) for docnum, score in ranked]
    return paged


def stored(
    state: Generation, found: Match, sort: str, limit: int
) -> Iterator[tuple[dict[str, Any], float | None]]:
    """The first `limit` passages of a match in search order, as stored fields with their
    scores, read lazily (an export streams rather than holding every passage at once)."""
    searcher = state.searcher()
    columns = state.columns()
    ranked = rank(columns, found.docs, found.scores, sort, 0, max(0, limit)) if found.total else []
    return ((searcher.stored_fields(d), score) for d, score in ranked)


def latest(
    state: Generation, found: Match, limit: int, words: frozenset[str], highlighter: Highlighter
) -> list[tuple[Hit, int]]:
    """The `limit` passages of a match whose articles entered the collection last, each
    with that time; ties newest first by date, then in article and passage order."""
    columns, searcher = state.columns(), state.searcher()
    chosen = np.flatnonzero(found.docs)
    arrived = state.arrivals()
    by = (columns.order[chosen], -columns.date[chosen], -arrived[chosen])
    ranked = chosen[np.lexsort(by)][: max(0, limit)]
    return [
        (hit(searcher.stored_fields(int(d)), words, None, highlighter), int(arrived[d]))
        for d in ranked
    ]


def hit(
    fields: dict[str, Any], words: frozenset[str], score: float | None, highlighter: Highlighter
) -> Hit:
    """A passage's stored fields as a hit, its question and answer highlighted."""
    meta = fields["meta"]
    turns = fields.get("turns") or []
    question, answer = fields.get("question", ""), fields.get("answer", "")
    return Hit(
        pid=fields["pid"],
        article_id=fields["article_id"],
        anchor=fields["anchor"],
        kind=fields["kind"],
        title=meta.get("title", ""),
        url=meta.get("url", ""),
        publication=meta.get("publication", ""),
        date=meta.get("date", ""),
        films=meta.get("films", []),
        directors=meta.get("directors", []),
        speakers=list(fields.get(FACETS["speaker"]) or ()),
        askers=_speakers(turns, "interviewer"),
        answerers=_speakers(turns, "interviewee"),
        question=question,
        answer=answer,
        question_html=highlighter.highlight(question, words, whole=len(question) < 600),
        answer_html=highlighter.highlight(answer, words),
        speaks=speaks_as(fields["kind"], (t.get("role", "") for t in turns)),
        score=score,
    )


def _speakers(turns: list[dict[str, str]], role: str) -> list[str]:
    return list(dict.fromkeys(t["speaker"] for t in turns if t["role"] == role))
