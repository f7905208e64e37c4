"""Per-passage facet values and dates as arrays, loaded once per index generation.

Counting a facet over a matched set is then one `bincount` over the (document, value)
pairs of the matched documents, or one sparse product over every pair when many documents
match, instead of a Python loop over every matched passage; `FacetTally` counts every
facet at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from whoosh.searching import Searcher

from indexer.indexing.arrays import (
    ARRAYS,
    TALLY,
    FacetArrays,
    document_arrays,
    document_table,
    in_document_order,
    load_arrays,
    sequence,
)
from indexer.indexing.copies import left_out, load_copies
from indexer.schema import facet_term

# A matched set is counted from its documents' own pairs when it holds fewer than one in
# DENSE of all documents; above that, one sparse product over every pair is quicker
# (measured on 34,000 passages, all seven facets at once: 0.02 ms against 0.25 for 5
# documents, 0.04 against 0.25 for 630, 4.1 against 0.25 for 29,659).
DENSE = 16


def by_document(ids: np.ndarray, starts: np.ndarray, values: int) -> Any:
    """A (value x document) sparse matrix of pairs listed document by document (`ids[i]`
    a value id, document d's pairs `starts[d]:starts[d + 1]`): times a 0/1 vector of
    documents, it counts each value's documents in one pass. It shares `ids` and `starts`
    (a transposed compressed-row matrix), so it costs a byte per pair."""
    size = len(starts) - 1
    ones = np.ones(len(ids), dtype=np.int8)
    return sparse.csr_matrix((ones, ids, starts), shape=(size, values), copy=False).T


def gathered(ids: np.ndarray, starts: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """The value ids of documents `chosen`'s pairs, each document's a run of `ids`."""
    begin = starts[chosen]
    lengths = starts[chosen + 1] - begin
    total = int(lengths.sum())
    at = np.repeat(begin - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
    found: np.ndarray = ids[at]
    return found


def dense(mask: np.ndarray) -> bool:
    """Whether a matched set is counted over every pair rather than its own."""
    return int(np.count_nonzero(mask)) * DENSE >= len(mask)


@dataclass
class FacetColumn:
    """One facet's values: `docs[i]` has the value `values[ids[i]]`.

    Values are counted and filtered as they are indexed, by `facet_term` (case ignored):
    "Midnight Eagle" and "midnight eagle" are one value, shown as most passages write it.
    """

    values: list[str]
    index: dict[str, int]  # facet_term(value) -> value id
    docs: np.ndarray
    ids: np.ndarray
    rank: np.ndarray  # value id -> position in the tie-break order for equal counts
    starts: np.ndarray  # document d's pairs are docs[starts[d]:starts[d + 1]]
    matrix: Any  # (value x document) counts in one product (`by_document`)

    def find(self, value: str) -> int | None:
        """The id of `value` however it is capitalised, or None."""
        return self.index.get(facet_term(value))

    def spelling(self, value: str) -> str:
        """`value` as the index writes it, or as given when it is not a value."""
        i = self.find(value)
        return value if i is None else self.values[i]

    def select(self, values: Iterable[str], size: int) -> np.ndarray:
        """A mask of the documents with any of `values` (case ignored)."""
        chosen = np.zeros(len(self.values), dtype=bool)
        chosen[[i for i in map(self.find, values) if i is not None]] = True
        mask = np.zeros(size, dtype=bool)
        mask[self.docs[chosen[self.ids]]] = True
        return mask

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """How many documents of `mask` have each value (an array indexed by value id)."""
        if dense(mask):  # many: one pass over all pairs
            counted: np.ndarray = self.matrix @ mask.astype(np.int32)
            return counted
        # few: only their pairs, each document's a run of `docs`
        found = gathered(self.ids, self.starts, np.flatnonzero(mask))
        return np.bincount(found, minlength=len(self.values))

    def top_ids(self, counts: np.ndarray, limit: int, by_value: bool) -> np.ndarray:
        """The ids of the `limit` values with the highest counts (ties in `rank` order), or
        the highest values; non-zero counts only."""
        present = np.flatnonzero(counts)
        if limit <= 0:
            return present[:0]
        if by_value:
            order = present[np.argsort(-self.rank[present], kind="stable")]
        else:
            found = counts[present]
            if len(present) > limit:  # only what can place: counts from the limit-th best up
                least = np.partition(found, len(found) - limit)[len(found) - limit]
                keep = found >= least
                present, found = present[keep], found[keep]
            order = present[np.lexsort((self.rank[present], -found))]
        ids: np.ndarray = order[:limit]
        return ids


def facet_column(arrays: FacetArrays, size: int, starts: np.ndarray | None = None) -> FacetColumn:
    """A column over one facet's arrays, for documents numbered below `size`; `starts`,
    when the builder saved them (`document_table`), say where each document's pairs are."""
    index = {facet_term(value): i for i, value in enumerate(arrays.values)}
    arrays = in_document_order(arrays)  # runs need the pairs in document order
    docs, ids = np.asarray(arrays.docs), np.asarray(arrays.ids)
    if starts is None:
        starts = np.zeros(size + 1, dtype=np.int32)  # pairs number far below 2**31
        np.cumsum(np.bincount(docs, minlength=size), out=starts[1:])
    starts = np.asarray(starts)
    matrix = by_document(ids, starts, len(arrays.values))
    return FacetColumn(arrays.values, index, docs, ids, np.asarray(arrays.rank), starts, matrix)


@dataclass
class FacetTally:
    """Every facet's pairs in one table, document by document: one pass over a matched set
    counts all the facets (what `FacetColumn.counts` gives for each, facet by facet)."""

    names: tuple[str, ...]
    bounds: np.ndarray  # facet i's value ids are bounds[i]:bounds[i + 1]
    ids: np.ndarray  # value ids, numbered across facets
    starts: np.ndarray  # document d's pairs (of every facet) are ids[starts[d]:starts[d + 1]]
    matrix: Any  # (value x document) counts in one product (`by_document`)

    @classmethod
    def of(
        cls, facets: dict[str, FacetColumn], size: int, table: dict[str, np.ndarray] | None = None
    ) -> FacetTally:
        """The table of `facets`, whose pairs cover documents numbered below `size`, from
        `table` when the builder saved it (`document_table`), or else computed now."""
        names = tuple(facets)
        bounds = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum([len(facets[n].values) for n in names], out=bounds[1:])
        if not table:
            listed = {n: FacetArrays(c.values, c.docs, c.ids, c.rank) for n, c in facets.items()}
            table = document_table(listed, size)
        ids, starts = np.asarray(table[f"{TALLY}.ids"]), np.asarray(table[f"{TALLY}.starts"])
        matrix = by_document(ids, starts, int(bounds[-1]))
        return cls(names, bounds, ids, starts, matrix)

    def counts(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        """For each facet, how many documents of `mask` have each of its values."""
        if dense(mask):
            counted = self.matrix @ mask.astype(np.int32)
        else:
            found = gathered(self.ids, self.starts, np.flatnonzero(mask))
            counted = np.bincount(found, minlength=int(self.bounds[-1]))
        bounds = self.bounds.tolist()
        return {name: counted[bounds[i] : bounds[i + 1]] for i, name in enumerate(self.names)}


@dataclass
class Columns:
    """Everything a search counts or sorts with, for one index generation."""

    size: int  # doc_count_all: masks are this long
    live: np.ndarray  # bool mask of undeleted documents
    date: np.ndarray  # YYYYMMDD per document, 0 when undated, for sorting
    order: np.ndarray  # rank of each document by (article id, ordinal): the tie-break
    facets: dict[str, FacetColumn]
    article: np.ndarray  # number of each document's article, in article id order (-1: deleted)
    tier: np.ndarray  # position of each document's `speaks` value in SPEAKS: answers first
    tally: FacetTally  # every facet's pairs in one table
    # mapped arrays the builder saved: sort orders, arrival times (`DocumentArrays.table`)
    saved: dict[str, np.ndarray] = field(default_factory=dict)
    _sequences: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def load(cls, searcher: Searcher, generation: Path | None = None) -> Columns:
        """The arrays the builder saved in `generation`, or else read from the index."""
        size = searcher.doc_count_all()
        found = load_arrays(generation, size) if generation is not None else None
        if found is None:  # the uncounted copies of an interview are not live either
            copies = load_copies(generation / ARRAYS) if generation is not None else []
            found = document_arrays(searcher.reader(), left_out(copies))
        arrays = found
        table = arrays.table  # mapped when the builder saved it, or else computed now
        if not table:
            ordered = {name: in_document_order(f) for name, f in arrays.facets.items()}
            table = document_table(ordered, size)
        facets = {
            name: facet_column(facet, size, table[f"{name}.starts"])
            for name, facet in arrays.facets.items()
        }
        # plain arrays over the mapped pages: slicing a `memmap` builds a memmap each time
        plain = np.asarray
        return cls(
            size,
            plain(arrays.live),
            plain(arrays.date),
            plain(arrays.order),
            facets,
            plain(arrays.article),
            plain(arrays.tier),
            FacetTally.of(facets, size, table),
            arrays.table,
        )

    def mask(self, docnums: Iterable[int]) -> np.ndarray:
        """A boolean mask of `docnums`."""
        mask = np.zeros(self.size, dtype=bool)
        mask[np.fromiter(docnums, dtype=np.int64)] = True
        return mask

    def sequence(self, sort: str) -> np.ndarray:
        """Every document in one fixed order (`indexer.indexing.arrays.sequence`: "order",
        "relevance", "newest" or "oldest"), mapped when the builder saved it, else computed
        once per generation."""
        found = self._sequences.get(sort)
        if found is None:
            saved = self.saved.get(f"sequence.{sort}")
            if saved is not None:
                found = np.asarray(saved)
            else:
                found = sequence(sort, self.order, self.date, self.tier)
            self._sequences[sort] = found
        return found

    def by_date(self, mask: np.ndarray, start: int, stop: int, newest: bool) -> list[int]:
        """Documents of `mask` by date, undated ones last either way (ties in `order`)."""
        return self.in_sequence(mask, "newest" if newest else "oldest", start, stop)

    def in_order(self, mask: np.ndarray, start: int, stop: int) -> list[int]:
        """Documents of `mask` in the tie-break order (for queries that score all alike)."""
        return self.in_sequence(mask, "order", start, stop)

    def in_sequence(self, mask: np.ndarray, sort: str, start: int, stop: int) -> list[int]:
        """Documents `start` to `stop` of `mask`, in the fixed order `sort`."""
        seq = self.sequence(sort)
        return [int(d) for d in seq[mask[seq]][start:stop]]
