"""Fit the subject model: one softmax per page over the names it could be interviewing
(and "nobody"), over the named candidate features of `indexer.dialogue.subject`.

A candidate is right when it is one of the page's expected interviewees. The threshold is
the probability that makes the most right choices less wrong ones on pages the model was
not fitted on (ten folds, grouped by outlet), each page counting as many times as it has
answers, as a speaker is judged per turn.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from benchmarks.choice import best_threshold, fit_choice, matrix, out_of_fold
from benchmarks.fit_turns import DEVSET, page_reading, pages_hash
from benchmarks.realworld import Item, load_items
from indexer.dialogue.subject import FEATURE_VERSION
from indexer.linear import LinearModel, Models
from indexer.model import INTERVIEWEE
from indexer.text.names import fold

L2 = 1.0

Page = tuple[list[dict[str, float]], np.ndarray, int]  # candidates, right ones, answers
_CANDIDATES: dict[tuple[str, str], dict[str, dict[str, float]]] = {}  # per page, per run


def candidates_of(item: Item) -> dict[str, dict[str, float]]:
    key = (str(item.directory), item.id)
    if key not in _CANDIDATES:
        _CANDIDATES[key] = page_reading(item).subject_candidates()
    return _CANDIDATES[key]


def subject_pages(items: list[Item]) -> tuple[list[str], list[str], list[Page]]:
    """The outlet, candidates and right answers of each interview naming its guests."""
    outlets: list[str] = []
    pages: list[Page] = []
    for item in items:
        wanted = {fold(n) for n in item.expected.get("interviewees") or []}
        if not item.expected["is_qa"] or not wanted:
            continue
        candidates = candidates_of(item)
        right = np.array([fold(name) in wanted for name in candidates], dtype=bool)
        answers = sum(t["role"] == INTERVIEWEE for t in item.expected["turns"])
        outlets.append(item.outlet)
        pages.append((list(candidates.values()), right, max(1, answers)))
    names = sorted({f for rows, _, _ in pages for row in rows for f in row})
    return outlets, names, pages


def fit_subject(items: list[Item], models: Models) -> Models:
    """Fit the subject model on the pages and the development set, and add it."""
    items = [*items, *load_items(DEVSET)]
    outlets, names, pages = subject_pages(items)
    design = [(matrix(rows, names), right) for rows, right, _ in pages]
    answers = [n for _, _, n in pages]
    chosen = out_of_fold(design, outlets, answers, len(names), L2)
    w, b = fit_choice(design, len(names), L2)
    model = LinearModel(
        name="subject",
        features=tuple(names),
        weights=w,
        bias=b,
        threshold=best_threshold(chosen),
        choice=True,
        meta={
            "feature_version": FEATURE_VERSION,
            "pages": len(design),
            "pages_sha256": pages_hash(items),
            "l2": L2,
        },
    )
    return replace(models, subject=model)
