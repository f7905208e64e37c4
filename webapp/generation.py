"""One opened index generation: per-thread searchers, columns, posting arrays and caches."""

from __future__ import annotations

import threading
import weakref
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher

from indexer.indexing.arrays import ARRAYS, arrivals
from indexer.indexing.copies import load_copies

from .cache import ResultCache
from .columns import Columns
from .questions import SimilarQuestions
from .vector import Postings

PARSED = 2048  # query texts whose parsed queries a generation keeps


class SharedSearcher(Searcher):  # type: ignore[misc]
    """A searcher kept open across requests: leaving a `with` block does not close it."""

    def __exit__(self, *exc_info: object) -> None:
        pass


class Generation:
    """One opened index generation: its searchers (one per thread), columns and cache."""

    def __init__(self, path: Path, ix: index.Index, cache_size: int) -> None:
        self.path = path
        self.index = ix
        self.cache: ResultCache[Any] = ResultCache(cache_size)
        # prefix and wildcard patterns -> their most frequent expansions, per generation
        self.expansions: ResultCache[list[Any]] = ResultCache(4096)
        # query text -> (parsed query, notice), and -> the words it highlights: a query
        # is read against one generation's terms, so once per generation
        self.parsed: ResultCache[tuple[Any, str]] = ResultCache(PARSED)
        self.words: ResultCache[frozenset[str]] = ResultCache(PARSED)
        self.corrections: ResultCache[str] = ResultCache(PARSED)  # query text -> did you mean
        self.parser: Any = None  # the query parser for this generation's schema
        self._local = threading.local()
        self._lock = threading.Lock()
        self._searchers: list[Searcher] = []
        self._columns: Columns | None = None
        self._postings: Postings | None = None
        self._questions: SimilarQuestions | None = None
        self._arrivals: np.ndarray | None = None
        self._copies: dict[str, list[str]] | None = None
        self._questions_lock = threading.Lock()  # comparing may take a while: not under _lock
        # Searchers hold open files: close them when this generation is dropped.
        self._finalizer = weakref.finalize(self, close_searchers, self._searchers)

    def searcher(self) -> Searcher:
        """This thread's searcher, opened on first use and reused by later requests."""
        searcher: Searcher | None = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = SharedSearcher(self.index.reader(), fromindex=self.index)
            self._local.searcher = searcher
            with self._lock:
                self._searchers.append(searcher)
        return searcher

    def columns(self) -> Columns:
        """Facet values and dates as arrays, loaded on first use."""
        if self._columns is None:
            with self._lock:
                if self._columns is None:
                    with self.index.searcher() as searcher:
                        self._columns = Columns.load(searcher, self.path)
        return self._columns

    def postings(self) -> Postings:
        """The cache of posting arrays for vectorised matching and scoring."""
        if self._postings is None:
            with self._lock:
                if self._postings is None:
                    with self.index.searcher() as searcher:
                        self._postings = Postings(searcher)
        return self._postings

    def arrivals(self) -> np.ndarray:
        """When each passage's article entered the collection, by document number
        (microseconds since the epoch; 0 when the index does not say), read on first use."""
        if self._arrivals is None:
            saved = self.columns().saved.get("arrived")  # mapped when the builder saved it
            if saved is not None:
                self._arrivals = np.asarray(saved)
            else:
                with self.index.searcher() as searcher:
                    self._arrivals = arrivals(searcher.reader())
        return self._arrivals

    def copies(self) -> dict[str, list[str]]:
        """The interviews saved more than once: each copy's article id -> the ids of its
        group, the counted copy first (as the builder found them), read on first use."""
        if self._copies is None:
            groups = load_copies(self.path / ARRAYS)
            self._copies = {key: group for group in groups for key in group}
        return self._copies

    def similar_questions(self) -> SimilarQuestions:
        """Alike questions of different interviews, read on first use."""
        if self._questions is None:
            columns = self.columns()
            with self._questions_lock:
                if self._questions is None:
                    with self.index.searcher() as searcher:
                        self._questions = SimilarQuestions.load(searcher, columns, self.path)
        return self._questions

    def close(self) -> None:
        """Close every searcher opened on this generation."""
        with self._lock:
            close_searchers(self._searchers)


def close_searchers(searchers: list[Searcher]) -> None:
    """Close and forget `searchers` (kept open across requests, so closed here)."""
    for searcher in searchers:
        Searcher.close(searcher)
    searchers.clear()


def open_generation(generation: Path) -> index.Index:
    """Open an index generation for reading, without memory-mapping its files.

    With mmap, Whoosh wraps each file of a compound segment in an in-memory copy
    (`BufferFile` over `BytesIO`), so every reader would hold the whole index in memory;
    plain file reads keep a serving process small and leave caching to the OS.
    """
    return FileStorage(str(generation), supports_mmap=False, readonly=True).open_index()
