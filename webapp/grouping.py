"""Results grouped by interview: one entry per article, computed on the hit arrays.

An article's entry shows its best matching passage: answers first, then the highest
score, then reading order (the same key that ranks single passages). By relevance,
articles are ordered by their best passage; by date, by the article's date (undated
last either way, ties by article id). The other matching passages of an article are
listed in reading order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .columns import Columns

MAX_MORE = 20  # other passages listed under an article's best one; the rest are linked


@dataclass
class Group:
    """One article of a grouped result page."""

    best: int  # docnum of the passage shown
    count: int  # matching passages of the article
    others: list[int]  # other matching passages in reading order, at most MAX_MORE


def best_first(columns: Columns, docs: np.ndarray, scores: np.ndarray | None) -> np.ndarray:
    """`docs` ordered by (speaks tier, -score, reading order)."""
    s = np.zeros(len(docs)) if scores is None else scores[docs]
    return docs[np.lexsort((columns.order[docs], -s, columns.tier[docs]))]


def rank_articles(
    columns: Columns, mask: np.ndarray, scores: np.ndarray | None, sort: str
) -> np.ndarray:
    """The best passage of every article `mask` touches, in the order of `sort`."""
    docs = np.flatnonzero(mask)
    if not len(docs):
        return docs
    ranked = best_first(columns, docs, scores)
    _, first = np.unique(columns.article[ranked], return_index=True)
    if sort == "relevance":
        return ranked[np.sort(first)]
    best = ranked[first]  # in article order: the tie-break for equal dates
    dates = columns.date[best]
    key = -dates if sort == "newest" else dates
    return best[np.lexsort((columns.article[best], key, dates == 0))]


def page_groups(columns: Columns, mask: np.ndarray, chosen: np.ndarray) -> list[Group]:
    """The groups of the articles whose best passages are `chosen`, in that order."""
    docs = np.flatnonzero(mask)
    articles = columns.article[docs]
    page_articles = columns.article[chosen]
    members = docs[np.isin(articles, page_articles)]
    members = members[np.argsort(columns.order[members], kind="stable")]
    groups = []
    for doc, art in zip(chosen.tolist(), page_articles.tolist(), strict=True):
        mine = members[columns.article[members] == art]
        others = [int(d) for d in mine if d != doc]
        groups.append(Group(int(doc), len(mine), others[:MAX_MORE]))
    return groups
