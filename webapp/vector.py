"""Evaluate term, boolean and phrase queries over whole posting arrays with numpy.

Whoosh matches and scores one document at a time in Python; at archive scale a common
word matches tens of thousands of passages. Here each term's postings are read once per
index generation (through the reader's public `postings()` matcher) into arrays, and a
query's matched set and BM25F scores are computed for all documents at once, with the
same formula, statistics and field lengths Whoosh uses. Queries with other node types
raise `Unsupported`, and the caller falls back to Whoosh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from whoosh import query
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.searching import Searcher

POSITION_BITS = 32  # phrase keys are docnum << 32 | position


class Unsupported(Exception):
    """The query has a node this evaluator does not handle."""


class Postings:
    """Term postings as arrays, read once per generation and kept in an LRU cache."""

    def __init__(self, searcher: Searcher, max_entries: int = 8_000_000) -> None:
        self.size = searcher.doc_count_all()
        self.max_entries = max_entries
        self._entries = 0
        self._cache: OrderedDict[tuple[str, str, str | bytes], tuple[np.ndarray, ...]] = (
            OrderedDict()
        )
        self._lengths: dict[str, np.ndarray] = {}
        self._stats: dict[tuple[str, bytes], tuple[float, float, float, float] | None] = {}
        self._lock = threading.Lock()

    def _cached(
        self, key: tuple[str, str, str | bytes], load: Callable[[], tuple[np.ndarray, ...]]
    ) -> tuple[np.ndarray, ...]:
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        arrays = load()
        with self._lock:
            if key in self._cache:  # another thread loaded it meanwhile
                return self._cache[key]
            self._cache[key] = arrays
            self._entries += len(arrays[0])
            while self._entries > self.max_entries and len(self._cache) > 1:
                _, dropped = self._cache.popitem(last=False)
                self._entries -= len(dropped[0])
        return arrays

    def term(
        self, searcher: Searcher, field: str, text: str | bytes
    ) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers and weights of a term, across all segments."""

        def load() -> tuple[np.ndarray, ...]:
            docs: list[int] = []
            weights: list[float] = []
            for sub, offset in searcher.leaf_searchers():
                try:
                    m = sub.reader().postings(field, text)
                except TermNotFound:
                    continue
                while m.is_active():
                    docs.append(m.id() + offset)
                    weights.append(m.weight())
                    m.next()
            # weights are small multiples of field boosts: exact in float32
            return np.array(docs, dtype=np.int32), np.array(weights, dtype=np.float32)

        docs, weights = self._cached(("w", field, text), load)
        return docs, weights

    def positions(self, searcher: Searcher, field: str, text: str) -> np.ndarray:
        """Sorted keys `docnum << 32 | position` of every occurrence of a term."""

        def load() -> tuple[np.ndarray, ...]:
            keys: list[int] = []
            for sub, offset in searcher.leaf_searchers():
                try:
                    m = sub.reader().postings(field, text)
                except TermNotFound:
                    continue
                for docnum, positions in m.items_as("positions"):
                    base = (docnum + offset) << POSITION_BITS
                    keys.extend(base + p for p in positions)
            return (np.array(keys, dtype=np.int64),)

        return self._cached(("p", field, text), load)[0]

    def stats(
        self, searcher: Searcher, weighting: BM25F, field: str, text: bytes
    ) -> tuple[float, float, float, float] | None:
        """(idf, average length, B, K1) of a term as BM25F scores it; None if not BM25F."""
        key = (field, text)
        if key not in self._stats:
            scorer = weighting.scorer(searcher, field, text)
            found = None
            if type(scorer) is BM25FScorer:
                found = (scorer.idf, scorer.avgfl, scorer.B, scorer.K1)
            with self._lock:
                if len(self._stats) > 200_000:
                    self._stats.clear()
                self._stats[key] = found
        return self._stats[key]

    def lengths(self, searcher: Searcher, field: str) -> np.ndarray:
        """Every document's length in `field`, as the scorer reads it."""
        found = self._lengths.get(field)
        if found is None:
            found = np.ones(self.size, dtype=np.float64)
            for sub, offset in searcher.leaf_searchers():
                dfl = sub.doc_field_length
                for docnum in range(sub.doc_count_all()):
                    found[offset + docnum] = dfl(docnum, field, 1)
            self._lengths[field] = found
        return found


class Evaluator:
    """Matched documents and BM25F scores of one query, as dense arrays."""

    def __init__(self, searcher: Searcher, postings: Postings) -> None:
        weighting = searcher.weighting
        if type(weighting) is not BM25F:
            raise Unsupported("only BM25F scoring is vectorised")
        self.searcher = searcher
        self.postings = postings
        self.weighting = weighting
        self.size = postings.size

    def run(self, q: query.Query) -> tuple[np.ndarray, np.ndarray]:
        """(mask, scores) for every document; raise Unsupported for other query types."""
        kind = type(q)
        if q is query.NullQuery:
            return np.zeros(self.size, dtype=bool), np.zeros(self.size)
        if kind is query.Term:
            docs, scores = self.term(q)
            return self._dense(docs, scores)
        if kind is query.Or and not q.scale and q.boost == 1.0:
            return self._union(q.subqueries)
        if kind is query.And and q.boost == 1.0:
            return self._intersection(q.subqueries)
        if kind is query.AndNot and q.boost == 1.0:
            mask, scores = self.run(q.a)
            return self._subtract(mask, scores, [q.b])
        if kind is query.Phrase and q.slop == 1:
            docs, scores = self.phrase(q)
            return self._dense(docs, scores)
        raise Unsupported(kind.__name__)

    def _dense(self, docs: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mask = np.zeros(self.size, dtype=bool)
        mask[docs] = True
        dense = np.zeros(self.size)
        dense[docs] = scores
        return mask, dense

    def _union(self, subs: list[query.Query]) -> tuple[np.ndarray, np.ndarray]:
        # Leaves are summed in one pass; nested compounds are added as dense arrays.
        docs, scores, dense = [], [], []
        for sub in subs:
            if type(sub) is query.Term:
                d, s = self.term(sub)
                docs.append(d)
                scores.append(s)
            else:
                dense.append(self.run(sub))
        mask = np.zeros(self.size, dtype=bool)
        total = np.zeros(self.size)
        if docs:
            all_docs = np.concatenate(docs)
            total += np.bincount(all_docs, np.concatenate(scores), minlength=self.size)
            mask[all_docs] = True
        for m, s in dense:
            mask |= m
            total += s
        return mask, total

    def _intersection(self, subs: list[query.Query]) -> tuple[np.ndarray, np.ndarray]:
        positive = [s for s in subs if type(s) is not query.Not]
        negative = [s.query for s in subs if type(s) is query.Not]
        if not positive or any(s.boost != 1.0 for s in subs if type(s) is query.Not):
            raise Unsupported("And of only negations, or boosted negations")
        mask, total = self.run(positive[0])
        for sub in positive[1:]:
            m, s = self.run(sub)
            mask &= m
            total += s
        # Whoosh intersects with an inverse matcher that scores 1.0 per negation.
        total += len(negative)
        return self._subtract(mask, total, negative)

    def _subtract(
        self, mask: np.ndarray, scores: np.ndarray, negative: list[query.Query]
    ) -> tuple[np.ndarray, np.ndarray]:
        for sub in negative:
            mask &= ~self.run(sub)[0]
        scores[~mask] = 0.0
        return mask, scores

    def term(self, q: query.Term) -> tuple[np.ndarray, np.ndarray]:
        """A term's documents and their BM25F scores (as Whoosh's BM25FScorer computes them)."""
        searcher, field = self.searcher, q.fieldname
        if field not in searcher.schema:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        fieldobj = searcher.schema[field]
        text = fieldobj.to_bytes(q.text) if not isinstance(q.text, bytes) else q.text
        docs, weights = self.postings.term(searcher, field, text)
        if not len(docs):
            return docs, weights
        stats = self.postings.stats(searcher, self.weighting, field, text)
        if stats is None:
            raise Unsupported("unscorable field")
        idf, avgfl, b, k1 = stats
        weights = weights.astype(np.float64)
        lengths = self.postings.lengths(searcher, field)[docs]
        scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))
        if q.boost != 1.0:
            scores = scores * q.boost
        return docs, scores

    def phrase(self, q: query.Phrase) -> tuple[np.ndarray, np.ndarray]:
        """Documents with the words at consecutive positions; scored as the sum of the terms."""
        searcher, field = self.searcher, q.fieldname
        if field not in searcher.schema or not q.words:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        fieldobj = searcher.schema[field]
        if not fieldobj.format or not fieldobj.format.supports("positions"):
            raise Unsupported("no positions")
        words = [fieldobj.to_bytes(w) for w in q.words]
        reader = searcher.reader()
        if any((field, w) not in reader for w in words):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        starts = self.postings.positions(searcher, field, words[0])
        for i, word in enumerate(words[1:], 1):
            keys = self.postings.positions(searcher, field, word)
            starts = starts[np.isin(starts + i, keys, assume_unique=True)]
            if not len(starts):
                break
        docs = np.unique(starts >> POSITION_BITS)
        total = np.zeros(len(docs))
        for word in words:
            d, s = self.term(query.Term(field, word))
            total += s[np.searchsorted(d, docs)]
        return docs, total * q.boost


def top(mask: np.ndarray, scores: np.ndarray, start: int, stop: int) -> list[tuple[int, float]]:
    """Results `start` to `stop` by score, ties in document order (as Whoosh orders them)."""
    docs = np.flatnonzero(mask)
    if not len(docs) or start >= stop:
        return []
    s = scores[docs]
    if len(docs) > stop:
        # keep everything scoring at least the stop-th best, so ties are not cut arbitrarily
        kth = np.partition(s, len(s) - stop)[len(s) - stop]
        keep = s >= kth
        docs, s = docs[keep], s[keep]
    order = np.lexsort((docs, -s))[start:stop]
    return [(int(docs[i]), float(s[i])) for i in order]
