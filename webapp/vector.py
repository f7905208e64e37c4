"""The search engine: every parsed query matched and scored over whole posting arrays.

Whoosh is the index format, the analyzers, the query parser and the highlighter; it does
not rank. Each term's postings are read once per index generation (through the reader's
public `postings()` matcher, which skips deleted documents) into arrays, and a query's
matched set and scores are computed for all documents at once. The contract, for every
query shape the parser produces:

- a term in a scorable field scores BM25F (Whoosh's formula, B and K1) with statistics
  over *live* documents only: idf = log(N / (df + 1)) + 1 with N the live passages and df
  the live passages holding the term, and the average field length over live passages
  (of the per-passage lengths the index stores); so an index updated in place scores
  exactly as a full rebuild of the same passages;
- a term in an unscorable field (`kind:`, `year:`), a numeric range, `*:*` and any other
  leaf match as Whoosh matches them and score 1;
- a phrase scores the sum of its words' scores; `OR` and `AND` sum their matching parts,
  `NOT` and `ANDNOT` contribute nothing, `ANDMAYBE` adds its optional part where it
  matches; a boost multiplies the score of what it applies to;
- a query of negations alone (`NOT china`, `-china`) matches every live passage without
  them;
- every part counts as typed (`camera camera` counts `camera` twice; Whoosh's
  `normalize()`, which drops repeats and merges ranges, is not applied), and a part with
  no indexed words (a stop word, `"the"`) is left out rather than matching nothing;
- ties are broken by (article id, passage ordinal), never by document number, which
  differs between an updated index and a rebuilt one.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

import numpy as np
from whoosh import query
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from indexer.segments import field_lengths, term_positions, term_postings

POSITION_BITS = 32  # phrase keys are docnum << 32 | position


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
        btext = text if isinstance(text, bytes) else searcher.schema[field].to_bytes(text)

        def load() -> tuple[np.ndarray, ...]:
            docs: list[np.ndarray] = [np.zeros(0, dtype=np.int32)]
            weights: list[np.ndarray] = [np.zeros(0, dtype=np.float32)]
            for sub, offset in searcher.leaf_searchers():
                try:
                    d, w = term_postings(sub.reader(), field, btext)
                except TermNotFound:
                    continue
                docs.append(d + np.int32(offset))
                weights.append(w)
            # weights are small multiples of field boosts: exact in float32
            return np.concatenate(docs), np.concatenate(weights)

        docs, weights = self._cached(("w", field, text), load)
        return docs, weights

    def positions(self, searcher: Searcher, field: str, text: str) -> np.ndarray:
        """Sorted keys `docnum << 32 | position` of every occurrence of a term."""

        def load() -> tuple[np.ndarray, ...]:
            btext = searcher.schema[field].to_bytes(text)
            keys: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
            for sub, offset in searcher.leaf_searchers():
                try:
                    docs, positions = term_positions(sub.reader(), field, btext)
                except TermNotFound:
                    continue
                keys.append((docs + offset) << POSITION_BITS | positions)
            return (np.concatenate(keys),)

        return self._cached(("p", field, text), load)[0]

    def lengths(self, searcher: Searcher, field: str) -> np.ndarray:
        """Every document's length in `field`, as the index stores it (one byte, rounded)."""
        found = self._lengths.get(field)
        if found is None:
            found = np.ones(self.size, dtype=np.float64)
            for sub, offset in searcher.leaf_searchers():
                lengths = field_lengths(sub.reader(), field)
                found[offset : offset + len(lengths)] = lengths
            self._lengths[field] = found
        return found

    def average_length(self, searcher: Searcher, field: str, live: np.ndarray) -> float:
        """The mean stored length of `field` over the documents of `live`."""
        key = f"avg:{field}"
        found = self._lengths.get(key)
        if found is None:
            lengths = self.lengths(searcher, field)[live]
            found = np.array([lengths.mean() if len(lengths) else 1.0])
            self._lengths[key] = found
        return float(found[0]) or 1.0


class Evaluator:
    """Matched live documents and scores of one query, as dense arrays (see the module doc)."""

    def __init__(self, searcher: Searcher, postings: Postings, live: np.ndarray) -> None:
        weighting = searcher.weighting
        self.b_of: Callable[[str], float] = lambda field: 0.75
        self.k1 = 1.2
        if isinstance(weighting, BM25F):
            self.k1 = weighting.K1
            self.b_of = lambda field: weighting._field_B.get(field, weighting.B)
        self.searcher = searcher
        self.postings = postings
        self.live = live
        self.size = postings.size
        self.count = max(1, int(np.count_nonzero(live)))

    def run(self, q: query.Query) -> tuple[np.ndarray, np.ndarray]:
        """(mask, scores) for every document: live matches only, scores 0 elsewhere."""
        mask, scores = self._run(q)
        return mask & self.live, scores

    def _run(self, q: query.Query) -> tuple[np.ndarray, np.ndarray]:
        kind = type(q)
        boost = float(getattr(q, "boost", 1.0) or 1.0)
        if q is query.NullQuery:
            return self._none()
        if kind is query.Term:
            docs, scores = self.term(q)
            return self._dense(docs, scores)
        if kind is query.Or:
            mask, scores = self._union(q.subqueries)
        elif kind is query.And:
            mask, scores = self._intersection(q.subqueries)
        elif kind is query.Not:
            if empty(q.query):
                return self._none()
            mask, scores = self.live & ~self._run(q.query)[0], np.zeros(self.size)
        elif kind is query.AndNot:
            mask, scores = self._run(q.a)
            if not empty(q.b):
                mask = mask & ~self._run(q.b)[0]
                scores = np.where(mask, scores, 0.0)
        elif kind is query.AndMaybe:
            mask, scores = self._run(q.a)
            maybe, extra = self._run(q.b)
            scores = scores + np.where(mask & maybe, extra, 0.0)
        elif kind is query.Phrase:
            docs, scores = self.phrase(q)
            return self._dense(docs, scores)
        elif kind is query.Every and q.fieldname in (None, "", "*"):
            mask = self.live.copy()
            scores = mask.astype(np.float64)
        else:
            # numeric ranges, `field:*`, and any other leaf: matched as Whoosh matches it
            mask = self._matched(_in_order(q))
            scores = mask.astype(np.float64)
        if boost != 1.0:
            scores = scores * boost
        return mask, scores

    def _none(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.size, dtype=bool), np.zeros(self.size)

    def _matched(self, q: query.Query) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        docs = np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)
        mask[docs] = True
        return mask

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
            if empty(sub):
                continue
            if type(sub) is query.Term or type(sub) is query.Phrase:
                d, s = self.term(sub) if type(sub) is query.Term else self.phrase(sub)
                docs.append(d)
                scores.append(s)
            else:
                dense.append(self._run(sub))
        mask = np.zeros(self.size, dtype=bool)
        total = np.zeros(self.size)
        if docs:
            all_docs = np.concatenate(docs)
            total += np.bincount(all_docs, np.concatenate(scores), minlength=self.size)
            mask[all_docs] = True
        for m, s in dense:  # scores are 0 outside their mask (see _intersection)
            mask |= m
            total += s
        return mask, total

    def _intersection(self, subs: list[query.Query]) -> tuple[np.ndarray, np.ndarray]:
        subs = [s for s in subs if not empty(s)]
        if not subs:
            return self._none()
        positive = [s for s in subs if type(s) is not query.Not]
        negative = [s.query for s in subs if type(s) is query.Not]
        if positive:
            mask, total = self._run(positive[0])
            for sub in positive[1:]:
                m, s = self._run(sub)
                mask &= m
                total += s
        else:  # only negations: everything without them
            mask, total = self.live.copy(), np.zeros(self.size)
        for sub in negative:
            mask &= ~self._run(sub)[0]
        if len(positive) > 1 or negative:
            total[~mask] = 0.0  # every part's scores are 0 outside its mask
        return mask, total

    def term(self, q: query.Term) -> tuple[np.ndarray, np.ndarray]:
        """A term's live documents and their scores (BM25F over live statistics)."""
        searcher, field = self.searcher, q.fieldname
        if field not in searcher.schema:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        fieldobj = searcher.schema[field]
        text = fieldobj.to_bytes(q.text) if not isinstance(q.text, bytes) else q.text
        # the reader's postings skip deleted documents; uncounted copies are left out here
        docs, weights = self.postings.term(searcher, field, text)
        live = self.live[docs]
        if not live.all():
            docs, weights = docs[live], weights[live]
        weights = weights.astype(np.float64)  # len(docs) is the live frequency
        if not len(docs):
            return docs, weights
        if not fieldobj.scorable:
            return docs, weights * q.boost
        idf = math.log(self.count / (len(docs) + 1)) + 1
        avgfl = self.average_length(field)
        b, k1 = self.b_of(field), self.k1
        lengths = self.postings.lengths(searcher, field)[docs]
        scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))
        if q.boost != 1.0:
            scores = scores * q.boost
        return docs, scores

    def average_length(self, field: str) -> float:
        """The mean stored length of `field` over live documents (1 when there are none)."""
        return self.postings.average_length(self.searcher, field, self.live)

    def phrase(self, q: query.Phrase) -> tuple[np.ndarray, np.ndarray]:
        """Documents with the words in order (at consecutive positions unless a slop is
        given); scored as the sum of the words' scores."""
        searcher, field = self.searcher, q.fieldname
        if field not in searcher.schema or not q.words:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        fieldobj = searcher.schema[field]
        if not fieldobj.format or not fieldobj.format.supports("positions"):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        words = [fieldobj.to_bytes(w) for w in q.words]
        reader = searcher.reader()
        if any((field, w) not in reader for w in words):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if q.slop == 1:
            starts = self.postings.positions(searcher, field, words[0])
            for i, word in enumerate(words[1:], 1):
                keys = self.postings.positions(searcher, field, word)
                starts = starts[np.isin(starts + i, keys, assume_unique=True)]
                if not len(starts):
                    break
            docs = np.unique(starts >> POSITION_BITS)
        else:
            docs = np.flatnonzero(self._matched(q))
        docs = docs[self.live[docs]]
        total = np.zeros(len(docs))
        for word in words:
            d, s = self.term(query.Term(field, word))
            total += s[np.searchsorted(d, docs)]
        return docs, total * q.boost


def empty(q: query.Query) -> bool:
    """Whether a part has no indexed words at all (`the`, `"of the"`), so it is left out."""
    if q is query.NullQuery:
        return True
    kind = type(q)
    if kind in (query.Or, query.And):
        return all(empty(s) for s in q.subqueries)
    if kind is query.Phrase:
        return not q.words
    if kind is query.Not:
        return empty(q.query)
    return False


def _in_order(q: query.Query) -> query.Query:
    """A numeric range typed backwards (`year:[2019 TO 2016]`) read in order."""
    start, end = getattr(q, "start", None), getattr(q, "end", None)
    if isinstance(q, query.NumericRange) and start is not None and end is not None:
        if start > end:
            return query.NumericRange(q.fieldname, end, start, q.endexcl, q.startexcl)
    return q


def top(
    mask: np.ndarray,
    scores: np.ndarray,
    order: np.ndarray,
    start: int,
    stop: int,
    tier: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """Results `start` to `stop` by `tier` (lowest first, when given), then by score, ties
    by `order` (a rank per document)."""
    docs = np.flatnonzero(mask)
    if not len(docs) or start >= stop:
        return []
    s = scores[docs]
    t = np.zeros(len(docs), dtype=np.int8) if tier is None else tier[docs]
    if len(docs) > stop:
        # the tier holding the stop-th result: keep every better tier, and in it everything
        # scoring at least its needed-th best, so ties are not cut arbitrarily
        counts = np.cumsum(np.bincount(t))
        last = int(np.searchsorted(counts, stop))
        need = stop - (int(counts[last - 1]) if last else 0)
        within = t == last
        keep = t < last
        ls = s[within]
        kth = np.partition(ls, len(ls) - need)[len(ls) - need]
        keep |= within & (s >= kth)
        docs, s, t = docs[keep], s[keep], t[keep]
    ranked = np.lexsort((order[docs], -s, t))[start:stop]
    return [(int(docs[i]), float(s[i])) for i in ranked]


def all_live(searcher: Searcher, live: np.ndarray) -> bool:
    """Whether every document of the index is live (none deleted, none an uncounted copy)."""
    return int(np.count_nonzero(live)) == int(searcher.reader().doc_count_all())


def live_frequency(
    searcher: Searcher, postings: Postings, live: np.ndarray, field: str, text: str | bytes
) -> int:
    """How many live documents hold a term."""
    if field not in searcher.schema:
        return 0
    fieldobj = searcher.schema[field]
    btext = fieldobj.to_bytes(text) if not isinstance(text, bytes) else text
    docs, _ = postings.term(searcher, field, btext)
    return int(np.count_nonzero(live[docs]))


def most_frequent(
    searcher: Searcher,
    postings: Postings,
    live: np.ndarray,
    field: str,
    indexed: Iterable[tuple[str, int]],
    limit: int,
) -> list[tuple[str, int]]:
    """Of (term, indexed document frequency) pairs, the `limit` terms held by most live
    documents (ties by term), with those counts.

    The index's document frequencies count deleted documents and uncounted copies too.
    When every document is live they are exact; otherwise, terms are counted over live
    documents from the most frequent down, until the next one's indexed frequency (its
    most possible live count) is below the limit-th best live count so far.
    """
    if limit <= 0:
        return []
    if not all_live(searcher, live):
        counted: list[tuple[str, int]] = []
        best: list[int] = []  # the `limit` highest live counts so far, a min-heap
        for t, f in sorted(indexed, key=lambda tf: -tf[1]):
            if len(best) >= limit and f < best[0]:
                break
            count = live_frequency(searcher, postings, live, field, t)
            counted.append((t, count))
            if len(best) < limit:
                heapq.heappush(best, count)
            elif count > best[0]:
                heapq.heapreplace(best, count)
        indexed = counted
    found = sorted(((t, f) for t, f in indexed if f > 0), key=lambda tf: (-tf[1], tf[0]))
    return found[:limit]
