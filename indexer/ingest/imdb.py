"""Filling the film catalogue from IMDb's non-commercial datasets (`title.basics`,
`title.akas`, `title.crew`, `name.basics`, TSV, gzipped or not).

IMDb licenses these files for personal and non-commercial use only
(https://developer.imdb.com/non-commercial-datasets/); `filmsearch films import` says so
whenever it reads one.
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from indexer.entities.filmdb import FilmDatabase, FilmRecord

LICENCE = (
    "IMDb's datasets are licensed for personal and non-commercial use only: "
    "https://developer.imdb.com/non-commercial-datasets/"
)
# The header that names each file, and the order they are read in: films first, then
# who directed them, their names, and the films' other titles.
HEADERS = {
    "title.basics": "tconst\ttitleType\tprimaryTitle\toriginalTitle",
    "title.crew": "tconst\tdirectors\twriters",
    "name.basics": "nconst\tprimaryName",
    "title.akas": "titleId\tordering\ttitle\tregion\tlanguage",
}
KINDS = {"movie": "film", "short": "short film", "tvMovie": "television film"}
NULL = "\\N"


def kind_of(path: Path) -> str:
    """Which IMDb file `path` is ("" for none), by its header line."""
    try:
        with open_tsv(path) as handle:
            header = handle.readline()
    except (OSError, UnicodeDecodeError, EOFError):
        return ""
    return next((name for name, start in HEADERS.items() if header.startswith(start)), "")


def open_tsv(path: Path) -> IO[str]:
    with path.open("rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def rows(path: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with open_tsv(path) as handle:
        # IMDb's TSVs quote nothing: a quote character is part of a title
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def value(row: dict[str, str], key: str) -> str:
    cell = row.get(key) or ""
    return "" if cell == NULL else cell


def import_imdb(db: FilmDatabase, files: dict[str, Path]) -> int:
    """Add the films of `title.basics` with their directors (`title.crew`, named by
    `name.basics`) and other titles (`title.akas`); returns the films added."""
    films: dict[str, FilmRecord] = {}
    for row in rows(files["title.basics"]):
        kind = KINDS.get(value(row, "titleType"))
        if kind is None or value(row, "isAdult") == "1":
            continue
        tconst, title = value(row, "tconst"), value(row, "primaryTitle")
        year = value(row, "startYear")
        films[tconst] = FilmRecord(
            f"imdb:{tconst}",
            title,
            value(row, "originalTitle"),
            int(year) if year.isdigit() else None,
            kind,
            imdb=tconst,
        )
    directors: dict[str, list[str]] = {}
    if "title.crew" in files:
        for row in rows(files["title.crew"]):
            tconst = value(row, "tconst")
            if tconst in films and value(row, "directors"):
                directors[tconst] = value(row, "directors").split(",")
    wanted = {n for names in directors.values() for n in names}
    names: dict[str, str] = {}
    if "name.basics" in files:
        for row in rows(files["name.basics"]):
            if value(row, "nconst") in wanted:
                names[value(row, "nconst")] = value(row, "primaryName")
    if "title.akas" in files:
        for row in rows(files["title.akas"]):
            record = films.get(value(row, "titleId"))
            if record is not None and value(row, "title"):
                lang = value(row, "language") or value(row, "region").lower()
                record.titles.append((lang, value(row, "title")))
    for tconst, record in films.items():
        for nconst in directors.get(tconst, []):
            if nconst in names:
                record.directors.append((f"imdb:{nconst}", names[nconst], []))
    return db.add(films.values())
