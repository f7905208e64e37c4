"""Per-passage facet values and dates as arrays, loaded once per index generation.

Counting a facet over a matched set is then one `bincount` over the (document, value)
pairs of the matched documents, instead of a Python loop over every matched passage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from whoosh.searching import Searcher

from indexer.schema import FACETS

# Facets ordered by value (newest year first) rather than by count.
BY_VALUE = {"year"}


@dataclass
class FacetColumn:
    """One facet's values: `docs[i]` has the value `values[ids[i]]`."""

    values: list[str]
    index: dict[str, int]
    docs: np.ndarray
    ids: np.ndarray
    rank: np.ndarray  # value id -> position in the tie-break order for equal counts

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """How many documents of `mask` have each value (an array indexed by value id)."""
        return np.bincount(self.ids[mask[self.docs]], minlength=len(self.values))

    def top(self, counts: np.ndarray, limit: int, by_value: bool) -> list[tuple[str, int]]:
        """The `limit` values with the highest counts (or the highest values), non-zero only."""
        present = np.flatnonzero(counts)
        if by_value:
            order = present[np.argsort(-self.rank[present], kind="stable")]
        else:
            order = present[np.lexsort((self.rank[present], -counts[present]))]
        return [(self.values[i], int(counts[i])) for i in order[:limit]]


def facet_column(pairs: Iterable[tuple[int, Iterable[str]]], by_value: bool) -> FacetColumn:
    """Build a column from (docnum, values) pairs."""
    index: dict[str, int] = {}
    docs: list[int] = []
    ids: list[int] = []
    for docnum, values in pairs:
        for value in values:
            docs.append(docnum)
            ids.append(index.setdefault(value, len(index)))
    values = list(index)
    if by_value:
        order = sorted(range(len(values)), key=lambda i: values[i])
    else:
        order = sorted(range(len(values)), key=lambda i: (values[i].lower(), values[i]))
    rank = np.empty(len(values), dtype=np.int32)
    rank[order] = np.arange(len(values), dtype=np.int32)
    return FacetColumn(
        values, index, np.array(docs, dtype=np.int32), np.array(ids, dtype=np.int32), rank
    )


@dataclass
class Columns:
    """Everything a search counts or sorts with, for one index generation."""

    size: int  # doc_count_all: masks are this long
    live: np.ndarray  # bool mask of undeleted documents
    date: np.ndarray  # YYYYMMDD per document, for sorting
    facets: dict[str, FacetColumn]

    @classmethod
    def load(cls, searcher: Searcher) -> Columns:
        """Read every document's facet values once (stored fields) and the date column."""
        size = searcher.doc_count_all()
        live = np.zeros(size, dtype=bool)
        stored: dict[str, list[tuple[int, tuple[str, ...]]]] = {name: [] for name in FACETS}
        for docnum, fields in searcher.reader().iter_docs():
            live[docnum] = True
            for name, field in FACETS.items():
                stored[name].append((docnum, tuple(fields.get(field) or ())))
        facets = {name: facet_column(pairs, name in BY_VALUE) for name, pairs in stored.items()}
        reader = searcher.reader()
        if reader.has_column("date"):
            date = np.fromiter(reader.column_reader("date"), dtype=np.int64, count=size)
        else:
            date = np.zeros(size, dtype=np.int64)
        return cls(size, live, date, facets)

    def mask(self, docnums: Iterable[int]) -> np.ndarray:
        """A boolean mask of `docnums`."""
        mask = np.zeros(self.size, dtype=bool)
        mask[np.fromiter(docnums, dtype=np.int64)] = True
        return mask

    def by_date(self, mask: np.ndarray, start: int, stop: int, newest: bool) -> list[int]:
        """Documents of `mask` in date order (ties by document number, as Whoosh sorts)."""
        docs = np.flatnonzero(mask)
        order = np.lexsort((docs, self.date[docs]))
        if newest:
            order = order[::-1]
        return [int(d) for d in docs[order[start:stop]]]
