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

# Other passages listed under an article's best one; the rest are linked. Each is
# highlighted, which costs more than the grouping itself: on 50k generated passages a
# grouped page of a common word takes about twice an ungrouped one with 3, 2.5x with 5.
MAX_MORE = 3


@dataclass
class Group:
    """One article of a grouped result page."""

    best: int  # docnum of the passage shown
    count: int  # matching passages of the article
    others: list[int]  # other matching passages in reading order, at most MAX_MORE


def best_of_articles(columns: Columns, docs: np.ndarray, scores: np.ndarray | None) -> np.ndarray:
    """The best passage of each article among `docs`: the lowest speaks tier, then the
    highest score, then the first in reading order (per-article reductions, no sort)."""
    articles = columns.article[docs]
    size = int(columns.article.max()) + 1
    tier = columns.tier[docs]
    lowest = np.full(size, np.iinfo(tier.dtype).max, dtype=tier.dtype)
    np.minimum.at(lowest, articles, tier)
    keep = tier == lowest[articles]
    docs, articles = docs[keep], articles[keep]
    if scores is not None:
        s = scores[docs]
        highest = np.full(size, -np.inf)
        np.maximum.at(highest, articles, s)
        keep = s == highest[articles]
        docs, articles = docs[keep], articles[keep]
    order = columns.order[docs]
    first = np.full(size, np.iinfo(order.dtype).max, dtype=order.dtype)
    np.minimum.at(first, articles, order)
    best: np.ndarray = docs[order == first[articles]]
    return best


def rank_articles(
    columns: Columns, mask: np.ndarray, scores: np.ndarray | None, sort: str
) -> np.ndarray:
    """The best passage of every article `mask` touches, in the order of `sort`."""
    docs = np.flatnonzero(mask)
    if not len(docs):
        return docs
    best = best_of_articles(columns, docs, scores)
    if sort == "relevance":
        s = np.zeros(len(best)) if scores is None else scores[best]
        return best[np.lexsort((columns.order[best], -s, columns.tier[best]))]
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
