"""A curator's list of the collection's films (`corpus/films.csv`): title, year, directors.

Columns: `title`, `year`, `directors` and `other_titles` (several values separated by `;`).
A Wikidata export fits it; see corpus/README.md for the query. A film on the list that an
article names is chosen over any guess, and the list's directors are that film's directors.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from indexer.entities.films import count_exact
from indexer.text.names import fold

CATALOG_FILE = "films.csv"
# A title must be at least this long (folded) to be looked up in running text: shorter
# ones ("Ran", "M") are found only where the page sets them off as a title.
MIN_SCAN_CHARS = 4


@dataclass(frozen=True)
class KnownFilm:
    title: str
    year: str = ""
    directors: tuple[str, ...] = ()
    other_titles: tuple[str, ...] = ()

    @property
    def keys(self) -> set[str]:
        return {fold(t) for t in (self.title, *self.other_titles) if fold(t)}


@dataclass(frozen=True)
class Catalog:
    films: tuple[KnownFilm, ...] = ()
    by_key: dict[str, KnownFilm] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, films: list[KnownFilm]) -> Catalog:
        return cls(tuple(films), {k: f for f in films for k in f.keys})

    def lookup(self, title: str) -> KnownFilm | None:
        return self.by_key.get(fold(title))

    def mentioned(self, text: str) -> list[str]:
        """Titles on the list (or other titles) that `text` writes as such: whole words,
        capitalised as listed ("The Interview", not "the interview")."""
        found = []
        for film in self.films:
            for title in (film.title, *film.other_titles):
                if len(title) >= MIN_SCAN_CHARS and count_exact(title, text):
                    found.append(title)
        return found


def split_values(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in re.split(r"[;|]", cell or "") if v.strip())


def parse_catalog(text: str) -> Catalog:
    """Read the CSV text; rows without a title are ignored."""
    films = []
    for row in csv.DictReader(io.StringIO(text)):
        title = (row.get("title") or "").strip()
        if title:
            films.append(
                KnownFilm(
                    title,
                    (row.get("year") or "").strip(),
                    split_values(row.get("directors")),
                    split_values(row.get("other_titles")),
                )
            )
    return Catalog.of(films)


def load_catalog(corpus: Path) -> Catalog | None:
    path = corpus / CATALOG_FILE
    return parse_catalog(path.read_text(encoding="utf-8-sig")) if path.exists() else None
