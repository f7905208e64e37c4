"""The one Whoosh schema: field names, analyzers and facet columns.

Both the index builder and the web app's search service import this module; nothing
else defines fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

# Index layout: `<index root>/gen-<ns>/` directories, one per rebuild, and a symlink
# `<index root>/current` that a rebuild swaps atomically when its generation is complete.
CURRENT = "current"

# Facet values are joined with this separator when indexed, so multi-word values
# ("Alison Klayman") stay one term.
FACET_SEPARATOR = "\x1f"
ROW = "row"  # a column of (article id, ordinal, facet values) per passage
# a column of when each passage's article entered the collection, in microseconds since
# the epoch (0 when unknown): fetched, captured, or first indexed
ARRIVED = "arrived"


@dataclass(frozen=True)
class Facet:
    """One facet, defined once for the schema, the search, the pages, the API and the CLI.

    Every facet is stored the same way: its values as a list in the stored field `field`
    and as one lowercased term per value in the index (`facet_term`). Values are counted
    and filtered by term, so case never matters; a filter of several values of one facet
    matches any of them (OR), filters of different facets all apply (AND), and each
    facet's counts apply every other facet's filters but not its own (disjunctive). The
    chip of a selected value shows it as the index writes it.
    """

    name: str  # URL parameter, JSON key, `filmsearch search --<name>`, `<name>:` in queries
    label: str  # heading on pages
    field: str  # the stored, exact-match index field
    help: str  # one line for the CLI and the OpenAPI document
    by_value: bool = False  # listed by value, newest first (years) rather than by count
    words: bool = True  # also a stemmed text field `<name>` for `<name>:word` in queries


FACET_TABLE: tuple[Facet, ...] = (
    Facet("film", "Film", "film_f", "films the article is about"),
    Facet("director", "Director", "director_f", "directors of those films"),
    Facet("speaker", "Speaker", "speaker_f", "people speaking in the passage"),
    Facet("interviewer", "Interviewer", "interviewer_f", "who asked the questions"),
    Facet("publication", "Publication", "publication_f", "where the article appeared"),
    Facet("year", "Year", "year_f", "year of publication", by_value=True, words=False),
    Facet(
        "speaks",
        "Who speaks",
        "speaks_f",
        "answers by interviewees, questions only, or intros and narrative",
        words=False,
    ),
)

# Values of the `speaks` facet, in ranking order: with relevance ordering, interviewees'
# answers come before questions alone, and both before intros and narrative.
SPEAKS: dict[str, str] = {
    "answers": "Answers by interviewees",
    "questions": "Questions only",
    "intros": "Intros and narrative",
}


def speaks_as(kind: str, roles: Iterable[str]) -> str:
    """The `speaks` value of a passage of `kind` whose turns have these roles."""
    if kind != "qa":
        return "intros"
    return "answers" if any(role != "interviewer" for role in roles) else "questions"


# Facets shown to users, in display order: URL parameter -> exact-match field.
FACETS: dict[str, str] = {f.name: f.field for f in FACET_TABLE}

# Full-text fields searched by plain query words, with their boosts.
TEXT_FIELDS: dict[str, float] = {"answer": 1.0, "question": 1.0, "title": 1.5}

# `field:value` names users may type; each is a stemmed, accent-folded text field.
QUERY_FIELDS = (*(f.name for f in FACET_TABLE if f.words), *TEXT_FIELDS)

# Every word of a passage's query fields as written (folded, not stemmed): what a prefix
# is matched to before it is searched as the stems of the words it starts.
WRITTEN = "written"


def fold_words(text: str) -> str:
    """Text lowercased and accent-folded, as the analyzers fold words."""
    return text.lower().translate(accent_map)


@lru_cache(maxsize=100_000)
def stem_word(word: str) -> str:
    """The indexed form of a word as `written_analyzer` gives it: its stem (what
    `text_analyzer` makes of the word, without analysing it again)."""
    return str(stem(word))


def written_analyzer() -> Analyzer:
    """Words lowercased and accent-folded, not stemmed ("Families" -> "families")."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter(minsize=1)


def text_analyzer() -> Analyzer:
    """Words, lowercased and accent-folded ("Almodóvar" == "almodovar"), stemmed."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(minsize=1)
        | StemFilter()
    )


def facet_analyzer() -> Analyzer:
    """Whole facet values as single lowercased terms."""
    return RegexTokenizer(r"[^" + FACET_SEPARATOR + r"]+") | LowercaseFilter()


def facet_term(value: str) -> str:
    """The indexed term for a facet value (what `facet_analyzer` makes of it)."""
    return value.strip().lower()


def build_schema() -> Schema:
    """Return a fresh schema instance (fields are not shareable between indexes)."""
    text = text_analyzer()
    fields = {
        # identity and order
        "pid": ID(stored=True, unique=True),  # "<article_id>#<anchor>"
        "article_id": ID(stored=True),
        "anchor": STORED(),
        # Numbers are indexed as one term each (shift_step=0): their few distinct values
        # need no extra coarser terms for fast ranges, and each term costs a posting.
        "ordinal": NUMERIC(stored=True, sortable=True, shift_step=0),
        "kind": ID(stored=True),
        "date": NUMERIC(sortable=True, shift_step=0),  # YYYYMMDD, 0 when unknown, for sorting
        "year": NUMERIC(stored=True, shift_step=0),  # for year:2008 and ranges
        # searched text (stored for display and highlighting)
        "title": TEXT(analyzer=text, stored=True, field_boost=TEXT_FIELDS["title"]),
        "question": TEXT(analyzer=text, stored=True),
        "answer": TEXT(analyzer=text, stored=True),
        # display-only data: turns, article metadata
        "turns": STORED(),
        "meta": STORED(),
        # what the per-passage arrays are built from, one small record per passage (see
        # indexer/indexing/arrays.py): read in one pass, not from every stored field
        ROW: COLUMN(VarBytesColumn()),
        ARRIVED: COLUMN(NumericColumn("q", default=0)),
    }
    for name in QUERY_FIELDS:
        fields.setdefault(name, TEXT(analyzer=text, phrase=True))
    fields[WRITTEN] = TEXT(analyzer=written_analyzer(), phrase=False)
    for facet in FACETS.values():
        # values are stored as lists via `_stored_<field>` when writing
        fields[facet] = TEXT(analyzer=facet_analyzer(), phrase=False, stored=True)
    return Schema(**fields)


def current_generation(index_root: Path) -> Path | None:
    """The generation directory being served, or None when there is no index yet."""
    link = index_root / CURRENT
    if link.is_dir():
        return link.resolve()
    if index_root.is_dir() and any(index_root.glob("_MAIN_*.toc")):
        return index_root  # a plain Whoosh index directory also works
    return None
