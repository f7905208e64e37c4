"""Films and people in the index, with passage counts, and their passages by article.

Counts come from the facet columns over live passages, as searches count them, so an
index updated in place lists what a rebuild would.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from indexer.schema import FACETS, facet_term

from .search import SearchService

if TYPE_CHECKING:
    from .columns import Columns
    from .directory import Directory
    from .generation import Generation

# Browse pages: URL segment -> facet whose values it lists.
KINDS = {"films": "film", "people": "speaker"}


@dataclass
class FacetValue:
    """One film or person and the number of passages about or by them."""

    name: str
    count: int


@dataclass
class ArticleGroup:
    """One article's passages on a browse page."""

    id: str
    title: str
    publication: str
    date: str
    url: str
    films: list[str]
    directors: list[str]
    passages: list[dict[str, Any]] = field(default_factory=list)


def accentless(text: str) -> str:
    """Lowercase without accents, for matching names as people type them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class FacetCatalog:
    """Every value of each facet with its live passage count, read once per generation."""

    def __init__(self, service: SearchService) -> None:
        self.service = service
        self._lock = threading.Lock()
        self._generation: Generation | None = None
        self._entries: dict[str, list[FacetValue]] = {}
        self._directory: Directory | None = None

    def _current(self) -> Generation:
        """The generation being served; what was read from an earlier one is dropped."""
        generation = self.service.current()
        with self._lock:
            if self._generation is not generation:
                self._generation, self._entries, self._directory = generation, {}, None
        return generation

    def directory(self) -> Directory:
        """Every person in every role and every film, with years (once per generation)."""
        generation = self._current()
        found = self._directory
        if found is None or found.generation is not generation:
            from .directory import build_directory  # it reads `accentless` from this module

            found = build_directory(generation)
            with self._lock:
                if self._generation is generation:
                    self._directory = found
        return found

    def entries(self, facet: str) -> list[FacetValue]:
        """All values of `facet`, most passages first."""
        generation = self._current()
        with self._lock:
            cached = self._entries.get(facet) if self._generation is generation else None
        if cached is None:
            cached = self._read(generation.columns(), facet)
            with self._lock:
                if self._generation is generation:
                    self._entries[facet] = cached
        return cached

    @staticmethod
    def _read(columns: Columns, facet: str) -> list[FacetValue]:
        # Counted over live passages from the facet columns, as searches count them, so
        # passages deleted by `--update` are not counted.
        column = columns.facets[facet]
        counts = column.counts(columns.live)
        entries = [FacetValue(column.values[i], int(counts[i])) for i in np.flatnonzero(counts)]
        entries.sort(key=lambda e: (-e.count, accentless(e.name), e.name))
        return entries

    def find(self, facet: str, name: str) -> FacetValue | None:
        """The entry called `name` (case-insensitively), or None."""
        term = facet_term(name)
        return next((e for e in self.entries(facet) if facet_term(e.name) == term), None)

    def matching(self, facet: str, prefix: str, limit: int) -> list[FacetValue]:
        """Entries with a word starting with `prefix` (accents and case ignored)."""
        folded = accentless(prefix.strip())
        if not folded:
            return []
        found = []
        for entry in self.entries(facet):
            name = accentless(entry.name)
            if name.startswith(folded) or f" {folded}" in name:
                found.append(entry)
                if len(found) == limit:
                    break
        return found

    def passages(self, facet: str, name: str) -> list[ArticleGroup]:
        """Passages with this facet value, grouped by article, newest article first."""
        groups: dict[str, ArticleGroup] = {}
        state = self.service.current()
        live = state.columns().live  # the passages of uncounted copies are not listed
        with state.searcher() as searcher:
            docnums = searcher.document_numbers(**{FACETS[facet]: facet_term(name)})
            docs = sorted((searcher.stored_fields(n) for n in docnums if live[n]), key=_position)
            docs.sort(key=lambda f: f["meta"].get("date") or "", reverse=True)  # stable
            for fields in docs:
                meta = fields["meta"]
                group = groups.get(meta["id"])
                if group is None:
                    group = groups[meta["id"]] = ArticleGroup(
                        id=meta["id"],
                        title=meta.get("title", ""),
                        publication=meta.get("publication", ""),
                        date=meta.get("date", ""),
                        url=meta.get("url", ""),
                        films=list(meta.get("films") or []),
                        directors=list(meta.get("directors") or []),
                    )
                group.passages.append(
                    {
                        "anchor": fields["anchor"],
                        "kind": fields["kind"],
                        "question": fields.get("question", ""),
                        "answer": fields.get("answer", ""),
                        "speakers": list(fields.get(FACETS["speaker"]) or []),
                    }
                )
        return list(groups.values())


def _position(fields: dict[str, Any]) -> tuple[str, int]:
    return (fields["meta"]["id"], fields["ordinal"])
