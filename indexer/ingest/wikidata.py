"""Filling the film catalogue: Wikidata's query service (one SPARQL query per release
year, politely, resumable), its CSV or JSON export saved by hand, and the SQLite
`movies.db` of the `bokeh-sampledata` package (a CC0 extract of Wikidata)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode

from indexer.entities.filmdb import FilmDatabase, FilmRecord
from indexer.ingest.fetch import PoliteClient, Refused

ENDPOINT = "https://query.wikidata.org/sparql"
DEFAULT_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "ja", "zh", "ko", "ru")
FIRST_YEAR = 1888
# What counts as a film (P31 instance of), and the kind the catalogue records.
KINDS = {
    "Q11424": "film",
    "Q24869": "feature film",
    "Q93204": "documentary film",
    "Q202866": "animated film",
    "Q29168811": "animated feature film",
    "Q24862": "short film",
    "Q506240": "television film",
}
# A year's answer is a few megabytes at most; a longer one is cut off.
MAX_ANSWER_BYTES = 200_000_000
ENTITY = "http://www.wikidata.org/entity/"
# Several values in one cell: "lang:text" pairs joined by this.
SEPARATOR = "\x1f"

QUERY = """SELECT ?film ?imdb ?original ?date
  (GROUP_CONCAT(DISTINCT ?kind; separator=" ") AS ?kinds)
  (GROUP_CONCAT(DISTINCT CONCAT(LANG(?t), ":", STR(?t)); separator="\\u001f") AS ?titles)
  (GROUP_CONCAT(DISTINCT CONCAT(STR(?director), " ", LANG(?n), ":", STR(?n));
    separator="\\u001f") AS ?directors)
WHERE {{
  VALUES ?kind {{ {kinds} }}
  ?film wdt:P31 ?kind; wdt:P577 ?date.
  FILTER(YEAR(?date) = {year})
  OPTIONAL {{ ?film wdt:P1476 ?original. }}
  OPTIONAL {{ ?film wdt:P345 ?imdb. }}
  OPTIONAL {{ ?film rdfs:label|skos:altLabel ?t. FILTER(LANG(?t) IN ({languages})) }}
  OPTIONAL {{ ?film wdt:P57 ?director.
    OPTIONAL {{ ?director rdfs:label|skos:altLabel ?n. FILTER(LANG(?n) IN ({languages})) }} }}
}}
GROUP BY ?film ?imdb ?original ?date"""


class FetchError(Exception):
    """The query service could not answer a year's query."""


def query_for(year: int, languages: tuple[str, ...]) -> str:
    """The SPARQL query for films first released in `year`."""
    return QUERY.format(
        kinds=" ".join(f"wd:{q}" for q in KINDS),
        year=int(year),
        languages=", ".join(f'"{lang}"' for lang in languages),
    )


def tagged(cell: str) -> list[tuple[str, str]]:
    """ "en:Parasite␟ko:기생충" as [("en", "Parasite"), ("ko", "기생충")]."""
    pairs = []
    for part in cell.split(SEPARATOR):
        lang, _, text = part.partition(":")
        if text.strip():
            pairs.append((lang.strip(), text.strip()))
    return pairs


def qid(uri: str) -> str:
    return uri.removeprefix(ENTITY).strip()


def records_of(rows: list[dict[str, str]]) -> list[FilmRecord]:
    """Films from the query's rows (one per film; rows of one film repeated are merged)."""
    films: dict[str, FilmRecord] = {}
    for row in rows:
        film = qid(row.get("film", ""))
        if not film:
            continue
        titles = tagged(row.get("titles", ""))
        english = [t for lang, t in titles if lang == "en"]
        original = row.get("original", "").strip()
        title = next(iter(english), "") or original or next((t for _, t in titles), "")
        if not title:
            continue
        date = row.get("date", "")
        year = int(date[:4]) if date[:4].isdigit() else None
        kinds = [KINDS.get(qid(k), "") for k in row.get("kinds", "").split()]
        record = films.setdefault(
            film, FilmRecord(film, title, original, year, "", film, row.get("imdb", "").strip())
        )
        record.kind = record.kind or next((k for k in kinds if k and k != "film"), "film")
        record.titles += [t for t in titles if t not in record.titles]
        people: dict[str, list[tuple[str, str]]] = {}
        for lang, text in tagged(row.get("directors", "")):
            # "http://www.wikidata.org/entity/Q123 en:Bong Joon-ho" -> Q123, en, name
            head, _, name = f"{lang}:{text}".partition(" ")
            lang, _, spelling = name.partition(":")
            people.setdefault(qid(head), []).append((lang, spelling))
        for person, spellings in people.items():
            english_name = [s for lang, s in spellings if lang == "en" and s]
            name = next(iter(english_name), "") or next((s for _, s in spellings if s), person)
            if person not in [d[0] for d in record.directors]:
                record.directors.append((person, name, [s for s in spellings if s[1]]))
    return list(films.values())


def rows_of_json(text: str) -> list[dict[str, str]]:
    """The rows of a SPARQL JSON result."""
    data = json.loads(text)
    return [
        {var: cell.get("value", "") for var, cell in binding.items()}
        for binding in data["results"]["bindings"]
    ]


def rows_of_csv(text: str) -> list[dict[str, str]]:
    return [dict(row) for row in csv.DictReader(io.StringIO(text))]


def bokeh_records(path: Path) -> Iterator[FilmRecord]:
    """Films of the bokeh-sampledata `movies.db` (its `omdb` table: title, year, director
    names separated by commas, IMDb id)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT imdbID, Title, Year, Director FROM omdb").fetchall()
    finally:
        db.close()
    for imdb, title, year, directors in rows:
        if not title:
            continue
        names = [d.strip() for d in (directors or "").split(",") if d.strip()]
        yield FilmRecord(
            f"imdb:{imdb}" if imdb else f"bokeh:{title}:{year}",
            title,
            year=int(year) if year else None,
            kind="film",
            imdb=imdb or "",
            directors=[(f"name:{n}", n, []) for n in names],
        )


def import_file(db: FilmDatabase, path: Path) -> int:
    """Add the films of one file (SPARQL CSV or JSON export, or bokeh's movies.db)."""
    head = path.read_bytes()[:16]
    if head.startswith(b"SQLite format 3"):
        return db.add(bokeh_records(path))
    text = path.read_text(encoding="utf-8-sig")
    rows = rows_of_json(text) if text.lstrip().startswith("{") else rows_of_csv(text)
    return db.add(records_of(rows))


def fetch_year(
    client: PoliteClient, year: int, languages: tuple[str, ...], endpoint: str = ENDPOINT
) -> list[FilmRecord]:
    """One year's films from the query service; FetchError when it gives no whole answer."""
    url = f"{endpoint}?{urlencode({'query': query_for(year, languages), 'format': 'json'})}"
    try:
        response = client.get(
            url, {"Accept": "application/sparql-results+json"}, limit=MAX_ANSWER_BYTES
        )
    except Refused as exc:
        raise FetchError(f"{year}: {exc.reason}") from exc
    body = response.body.decode("utf-8", "replace")
    try:
        if body.lstrip().startswith("{"):
            return records_of(rows_of_json(body))
        return records_of(rows_of_csv(body))
    except (ValueError, KeyError) as exc:  # a cut-off or garbled answer
        raise FetchError(f"{year}: unreadable answer ({exc})") from exc


def fetch_years(
    db: FilmDatabase,
    client: PoliteClient,
    years: list[int],
    languages: tuple[str, ...],
    endpoint: str = ENDPOINT,
    on_year: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Fetch every year not yet finished, one request at a time; each year is recorded as
    finished with its films in one transaction, so a run killed midway resumes where it
    stopped. Returns the years that failed, with the reasons."""
    key = ",".join(languages)
    done = db.finished_years(key)
    failed = []
    for year in years:
        if year in done:
            if on_year:
                on_year(year, -1)
            continue
        try:
            records = fetch_year(client, year, languages, endpoint)
        except FetchError as exc:
            failed.append(str(exc))
            continue
        db.add(records)
        db.finish_year(year, key, len(records))
        if on_year:
            on_year(year, len(records))
    return failed
