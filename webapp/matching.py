"""The one matching step: query text and facet filters to live documents and scores."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query

from .generation import Generation
from .parsing import parse
from .vector import Evaluator


@dataclass
class Match:
    """What a query and its filters select in one generation, as arrays over its documents."""

    parsed: query.Query
    notice: str  # what was changed in the query text to read it, if anything
    matched: np.ndarray  # live documents the query matches, before any filter
    scores: np.ndarray | None  # their scores; None when every document scores the same
    allowed: dict[str, np.ndarray]  # per filtered facet: the documents its filter allows
    docs: np.ndarray  # matched documents every filter allows

    @property
    def total(self) -> int:
        return int(np.count_nonzero(self.docs))


def evaluator(state: Generation) -> Evaluator:
    """The engine over one generation's postings and live documents. A request uses one
    generation throughout: a rebuild swapping in another mid-request must not mix the two."""
    return Evaluator(state.searcher(), state.postings(), state.columns().live)


def match(state: Generation, q: str, filters: dict[str, list[str]] | None = None) -> Match:
    """Match query text `q` over the live documents of `state` and apply `filters` (facet
    name to values, already cleaned)."""
    columns = state.columns()
    parsed, notice = parse(q, state)
    scores: np.ndarray | None = None
    if parsed == query.Every():
        matched = columns.live.copy()
    else:
        matched, scores = evaluator(state).run(parsed)
    allowed = {
        name: columns.facets[name].select(values, columns.size)
        for name, values in (filters or {}).items()
    }
    docs = matched
    for mask in allowed.values():
        docs = docs & mask
    return Match(parsed, notice, matched, scores, allowed, docs)
