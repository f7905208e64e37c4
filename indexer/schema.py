"""The one Whoosh schema: field names, analyzers and facet columns.

Both the index builder and the web app's search service import this module; nothing
else defines fields.
"""

from __future__ import annotations

from pathlib import Path

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

# Index layout: `<index root>/gen-<ns>/` directories, one per rebuild, and a symlink
# `<index root>/current` that a rebuild swaps atomically when its generation is complete.
CURRENT = "current"

# Facet values are joined with this separator when indexed, so multi-word values
# ("Alison Klayman") stay one term.
FACET_SEPARATOR = "\x1f"

# Facets shown to users, in display order: URL parameter -> exact-match field.
FACETS: dict[str, str] = {
    "film": "film_f",
    "director": "director_f",
    "speaker": "speaker_f",
    "interviewer": "interviewer_f",
    "publication": "publication_f",
    "year": "year_f",
}

# Full-text fields searched by plain query words, with their boosts.
TEXT_FIELDS: dict[str, float] = {"answer": 1.0, "question": 1.0, "title": 1.5}

# `field:value` names users may type; each is a stemmed, accent-folded text field.
QUERY_FIELDS = ("film", "director", "speaker", "interviewer", "publication", *TEXT_FIELDS)


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
        "ordinal": NUMERIC(stored=True, sortable=True),
        "kind": ID(stored=True),
        "date": NUMERIC(sortable=True),  # YYYYMMDD, 0 when unknown, for sorting
        "year": NUMERIC(stored=True),  # for year:2008 and ranges
        # searched text (stored for display and highlighting)
        "title": TEXT(analyzer=text, stored=True, field_boost=TEXT_FIELDS["title"]),
        "question": TEXT(analyzer=text, stored=True),
        "answer": TEXT(analyzer=text, stored=True),
        # display-only data: turns, article metadata
        "turns": STORED(),
        "meta": STORED(),
    }
    for name in QUERY_FIELDS:
        fields.setdefault(name, TEXT(analyzer=text, phrase=True))
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
