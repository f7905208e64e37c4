"""The film catalogue: films with their titles in many languages, years, kinds and ids,
people with their spellings, and who directed what, in one SQLite file.

Filled by `filmsearch films import|fetch` (`indexer/ingest/wikidata.py`); read by the
parser, which looks a candidate title up by its key in every language and gets all its
homonyms. The catalogue proposes; the page confirms (`indexer/entities/link.py`).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from indexer.text.names import fold

CATALOGUE_FILE = "films.db"
SCHEMA = """
CREATE TABLE IF NOT EXISTS films (
    id INTEGER PRIMARY KEY, source_id TEXT UNIQUE NOT NULL, wikidata TEXT, imdb TEXT,
    title TEXT NOT NULL, original TEXT, year INTEGER, kind TEXT);
CREATE TABLE IF NOT EXISTS film_titles (
    film INTEGER NOT NULL REFERENCES films(id), lang TEXT NOT NULL, title TEXT NOT NULL,
    key TEXT NOT NULL, UNIQUE (film, lang, title));
CREATE INDEX IF NOT EXISTS film_titles_key ON film_titles(key);
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY, source_id TEXT UNIQUE NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS person_names (
    person INTEGER NOT NULL REFERENCES people(id), lang TEXT NOT NULL, name TEXT NOT NULL,
    key TEXT NOT NULL, UNIQUE (person, lang, name));
CREATE INDEX IF NOT EXISTS person_names_key ON person_names(key);
CREATE TABLE IF NOT EXISTS directed (
    film INTEGER NOT NULL REFERENCES films(id), person INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (film, person));
CREATE TABLE IF NOT EXISTS finished_years (
    year INTEGER PRIMARY KEY, languages TEXT NOT NULL, films INTEGER NOT NULL);
"""

# Articles a title may open with, in the languages the catalogue is fetched in: "The Wolf",
# "Le Loup" and "Wolf" share a key.
LEADING_ARTICLES = frozenset(
    "the a an le la les l un une der die das ein eine el los las il lo gli i uno una o os as "
    "de het een".split()
)
TRAILING_YEAR = re.compile(r"\s*[(\[]?\b(?:18[89]\d|19\d\d|20\d\d)\b[)\]]?\s*$")


def title_key(title: str) -> str:
    """A title's lookup key: case, accents, punctuation, a leading article, "&" for "and"
    and a trailing year ("Parasite (2019)") do not count."""
    title = TRAILING_YEAR.sub("", title.replace("&", " and "))
    words = fold(title).split()
    if len(words) > 1 and words[0] in LEADING_ARTICLES:
        words = words[1:]
    return " ".join(words)


def person_key(name: str) -> str:
    """A name's lookup key: case, accents, punctuation and word order do not count
    ("Kore-eda Hirokazu" and "Hirokazu Kore-eda" share one)."""
    return " ".join(sorted(fold(name).split()))


@dataclass(frozen=True)
class Person:
    id: int
    name: str  # the catalogue's name: the facet's value
    names: tuple[str, ...] = ()  # every spelling, in every language


@dataclass(frozen=True)
class CatalogueFilm:
    id: int
    title: str  # the English title where there is one
    original: str = ""
    year: int | None = None
    kind: str = ""
    wikidata: str = ""
    imdb: str = ""
    titles: tuple[tuple[str, str], ...] = ()  # (language, title), aliases included
    directors: tuple[Person, ...] = field(default=())


@dataclass
class FilmRecord:
    """One film as an importer reads it: titles per language, directors with spellings."""

    source_id: str
    title: str
    original: str = ""
    year: int | None = None
    kind: str = ""
    wikidata: str = ""
    imdb: str = ""
    titles: list[tuple[str, str]] = field(default_factory=list)
    directors: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)
    # (source id, name, [(language, spelling)])


class FilmDatabase:
    """The catalogue in one SQLite file (`:memory:` for a throwaway one)."""

    def __init__(self, path: Path | str, readonly: bool = False) -> None:
        self.path = path
        if readonly:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self.db = sqlite3.connect(path)
            self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def add(self, records: Iterable[FilmRecord]) -> int:
        """Insert or update films (by source id) with their titles and directors."""
        count = 0
        with self.db:
            for r in records:
                count += 1
                self.db.execute(
                    "INSERT INTO films (source_id, wikidata, imdb, title, original, year, kind) "
                    "VALUES (?,?,?,?,?,?,?) ON CONFLICT(source_id) DO UPDATE SET "
                    "wikidata=excluded.wikidata, imdb=excluded.imdb, title=excluded.title, "
                    "original=excluded.original, year=excluded.year, kind=excluded.kind",
                    (r.source_id, r.wikidata, r.imdb, r.title, r.original, r.year, r.kind),
                )
                (film,) = self.db.execute(
                    "SELECT id FROM films WHERE source_id=?", (r.source_id,)
                ).fetchone()
                titles = {("", r.title), *r.titles} | ({("", r.original)} if r.original else set())
                self.db.executemany(
                    "INSERT OR IGNORE INTO film_titles (film, lang, title, key) VALUES (?,?,?,?)",
                    [(film, lang, t, title_key(t)) for lang, t in titles if title_key(t)],
                )
                for source_id, name, spellings in r.directors:
                    person = self.add_person(source_id, name, spellings)
                    self.db.execute("INSERT OR IGNORE INTO directed VALUES (?,?)", (film, person))
        return count

    def add_person(self, source_id: str, name: str, spellings: list[tuple[str, str]]) -> int:
        self.db.execute(
            "INSERT INTO people (source_id, name) VALUES (?,?) "
            "ON CONFLICT(source_id) DO UPDATE SET name=excluded.name",
            (source_id, name),
        )
        (person,) = self.db.execute(
            "SELECT id FROM people WHERE source_id=?", (source_id,)
        ).fetchone()
        self.db.executemany(
            "INSERT OR IGNORE INTO person_names (person, lang, name, key) VALUES (?,?,?,?)",
            [(person, lang, s, person_key(s)) for lang, s in [("", name), *spellings] if fold(s)],
        )
        return int(person)

    def homonyms(self, title: str) -> list[CatalogueFilm]:
        """Every film with this title (by key) in any language, oldest first."""
        key = title_key(title)
        if not key:
            return []
        rows = self.db.execute(
            "SELECT DISTINCT film FROM film_titles WHERE key=? ORDER BY film", (key,)
        ).fetchall()
        films = [self.film(film) for (film,) in rows]
        return sorted(films, key=lambda f: (f.year or 0, f.id))

    def film(self, film: int) -> CatalogueFilm:
        row = self.db.execute(
            "SELECT title, original, year, kind, wikidata, imdb FROM films WHERE id=?", (film,)
        ).fetchone()
        titles = self.db.execute(
            "SELECT lang, title FROM film_titles WHERE film=? ORDER BY lang, title", (film,)
        ).fetchall()
        people = self.db.execute(
            "SELECT person FROM directed WHERE film=? ORDER BY person", (film,)
        ).fetchall()
        return CatalogueFilm(
            film,
            row[0],
            row[1] or "",
            row[2],
            row[3] or "",
            row[4] or "",
            row[5] or "",
            tuple((lang, t) for lang, t in titles),
            tuple(self.person(p) for (p,) in people),
        )

    def person(self, person: int) -> Person:
        (name,) = self.db.execute("SELECT name FROM people WHERE id=?", (person,)).fetchone()
        names = self.db.execute(
            "SELECT DISTINCT name FROM person_names WHERE person=? ORDER BY name", (person,)
        ).fetchall()
        return Person(person, name, tuple(n for (n,) in names))

    def people_named(self, name: str) -> list[Person]:
        """Everyone with this spelling (by key) among their names."""
        rows = self.db.execute(
            "SELECT DISTINCT person FROM person_names WHERE key=? ORDER BY person",
            (person_key(name),),
        ).fetchall()
        return [self.person(p) for (p,) in rows]

    def search(self, text: str) -> list[CatalogueFilm]:
        """Films titled `text` in any language, then films directed by someone so named."""
        found = {f.id: f for f in self.homonyms(text)}
        for person in self.people_named(text):
            for (film,) in self.db.execute(
                "SELECT film FROM directed WHERE person=? ORDER BY film", (person.id,)
            ):
                found.setdefault(film, self.film(film))
        return list(found.values())

    def finished_years(self, languages: str) -> set[int]:
        rows = self.db.execute(
            "SELECT year FROM finished_years WHERE languages=?", (languages,)
        ).fetchall()
        return {int(y) for (y,) in rows}

    def finish_year(self, year: int, languages: str, films: int) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO finished_years VALUES (?,?,?)", (year, languages, films)
            )

    def counts(self) -> tuple[int, int]:
        films = self.db.execute("SELECT count(*) FROM films").fetchone()[0]
        people = self.db.execute("SELECT count(*) FROM people").fetchone()[0]
        return int(films), int(people)


def file_digest(path: Path) -> str:
    """The catalogue file's content hash: an index records which catalogue it was built with."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]
