"""Open the generation an index root serves, and follow `current` as rebuilds swap it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from whoosh import index

from indexer.schema import CURRENT, current_generation

from .errors import UNAVAILABLE, SearchError
from .generation import Generation, open_generation


class ServedGeneration:
    """The generation `index_root/current` names, opened once and kept while it is named;
    the one it replaced stays open for requests still reading it."""

    def __init__(self, index_root: Path, cache_size: int = 512) -> None:
        self.index_root = Path(index_root)
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._current: Generation | None = None
        self._retired: list[Generation] = []
        self._link = str(self.index_root / CURRENT)
        # what the `current` link named when it was last found to be `_current`
        self._served: tuple[str, Generation] | None = None

    def current(self) -> Generation:
        """The generation being served, opened on first use and when a rebuild swaps."""
        served = self._served
        if served is not None:
            try:  # one system call: the `current` link still names the generation served
                if os.readlink(self._link) == served[0]:
                    return served[1]
            except OSError:
                pass
        return self._resolve()

    def _resolve(self) -> Generation:
        generation = current_generation(self.index_root)
        if generation is None:
            raise SearchError(
                UNAVAILABLE,
                503,
                f"No index at {self.index_root}. Run `filmsearch index` to build it.",
            )
        state = self._current
        if state is not None and state.path == generation:
            return state
        with self._lock:
            try:
                target: str | None = os.readlink(self._link)
            except OSError:
                target = None
            # Read again: a look taken before another thread swapped may be older than
            # what is served now, and going back would close readers still in use.
            generation = current_generation(self.index_root) or generation
            if self._current is None or self._current.path != generation:
                try:
                    ix = open_generation(generation)
                    check_index(ix)
                except Exception as exc:  # noqa: BLE001 - any unreadable index is reported
                    raise SearchError(
                        UNAVAILABLE,
                        503,
                        f"The index at {generation} cannot be opened ({exc}). "
                        "Run `filmsearch index` to rebuild it.",
                    ) from exc
                # Requests may still be reading the generation just replaced; close the
                # one replaced before it, which nothing can be using any more.
                for stale in self._retired:
                    stale.close()
                self._retired = [self._current] if self._current else []
                self._current = Generation(generation, ix, self.cache_size)
            named = None if target is None else (self.index_root / target).resolve()
            self._served = (target, self._current) if target and named == generation else None
            return self._current

    def close(self) -> None:
        """Close the searchers of every generation opened here."""
        with self._lock:
            for state in [*self._retired, *([self._current] if self._current else [])]:
                state.close()

    @property
    def name(self) -> str:
        """The directory name of the generation last opened ("" before any)."""
        return self._current.path.name if self._current else ""


def check_index(ix: index.Index) -> None:
    """Read a little of every part of every segment (stored fields, field lengths, terms
    and a posting), so a damaged index fails at open, not later; the time it takes does
    not grow with the index."""
    with ix.searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            if not leaf.doc_count_all():
                continue
            leaf.stored_fields(0)
            leaf.doc_field_length(0, "answer")
            first = next(iter(leaf.lexicon("kind")), None)
            postings = leaf.postings("kind", first) if first is not None else None
            if postings is not None and postings.is_active():  # all deleted: none to read
                postings.id()
