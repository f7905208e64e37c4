"""What the search box accepts, with examples: the query syntax help page and its JSON twin.

Every example is searched against the index being served, so the page says what each
finds in this collection, and the tests hold each one to the passages it must find.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from indexer.schema import FACET_TABLE, TEXT_FIELDS

from .querytext import MAX_QUERY_CHARS
from .search import SearchService


@dataclass(frozen=True)
class Example:
    """One query as typed and what it finds."""

    query: str
    finds: str


@dataclass(frozen=True)
class Section:
    """A part of the syntax: a heading, a sentence, and examples."""

    title: str
    text: str
    examples: tuple[Example, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "Words",
        "Every word is required. Words are stemmed and accents folded, a hyphen inside a word "
        "is part of it, and stop words (the, of, and…) are left out.",
        (
            Example("censorship internet", "passages with both words"),
            Example("censoring", "“censored”, “censors”: every word of the same stem"),
            Example("Kore-eda", "“Kore-eda”, “Kore eda” and “Koreeda”"),
        ),
    ),
    Section(
        "Phrases",
        "Quotes keep words together and in order; ~N lets them stand up to N−1 words apart.",
        (
            Example('"freedom of expression"', "the exact phrase"),
            Example('"censorship internet"~3', "both words in this order, at most two words apart"),
        ),
    ),
    Section(
        "Either, both, without",
        "AND, OR and NOT are written in capitals; a minus sign before a word, a phrase or a "
        "group leaves it out, and parentheses group.",
        (
            Example("censorship OR propaganda", "either word"),
            Example("censorship AND internet", "both words (the same as without AND)"),
            Example("censorship -china", "“censorship” without “china”"),
            Example("censorship NOT china", "the same as -china"),
            Example("-china", "every passage without “china”"),
            Example("(censorship OR propaganda) -china", "either word, without “china”"),
            Example("+censorship", "the same as censorship (every word is required anyway)"),
        ),
    ),
    Section(
        "Fields",
        "name: searches one field only; a phrase or a group may follow it.",
        (
            Example("speaker:klayman", "passages in which Klayman speaks"),
            Example("director:klayman", "interviews about films Klayman directed"),
            Example('film:"never sorry"', "interviews about a film"),
            Example("film:(sorry OR walking)", "interviews about either film"),
            Example("interviewer:tehrani", "interviews by one interviewer"),
            Example('publication:"cinema without borders"', "interviews in one publication"),
            Example("question:censorship", "the word in a question"),
            Example("answer:censorship", "the word in an answer"),
            Example("title:censorship", "the word in an interview's headline"),
        ),
    ),
    Section(
        "Years and kinds of passage",
        "A year or a range of years (in either order, with - or ..), and the kind of passage: "
        "qa (a question and its answer), intro or narrative.",
        (
            Example("year:2012", "passages published in 2012"),
            Example("year:2008-2012", "published from 2008 to 2012"),
            Example("kind:intro", "introductions"),
            Example("censorship kind:qa", "questions and answers with the word"),
        ),
    ),
    Section(
        "Beginnings and wildcards",
        "* stands for any letters and ? for one letter. A word ending in * finds the words "
        "starting with those letters as typed, each with the other forms of its stem; the "
        "most frequent matching words are searched (at most 64).",
        (
            Example("censor*", "words starting with “censor”"),
            Example("c?nsorship", "“censorship” with any letter for the ?"),
        ),
    ),
    Section(
        "Weight",
        "^ weighs a word, a phrase or a group more (^2) or less (^0.5) when ranking.",
        (Example("censorship^2 OR propaganda", "either word, “censorship” ranked higher"),),
    ),
)

SLIPS = (
    "A query with a slip is searched in its best reading, and the results page says what "
    "was set aside: an unmatched quote or parenthesis, an AND, OR or NOT with nothing to join, "
    "a year: that is not a year, or a field name without a value. "
    f"Only the first {MAX_QUERY_CHARS:,} characters are read."
)


def field_names() -> list[dict[str, str]]:
    """The field names a query may use, each with what it searches."""
    fields = [{"name": f.name, "searches": f.help} for f in FACET_TABLE if f.words]
    fields += [{"name": name, "searches": f"the words of the {name}"} for name in TEXT_FIELDS]
    fields += [
        {"name": "year", "searches": "the year of publication, or a range of years"},
        {"name": "kind", "searches": "the kind of passage: qa, intro or narrative"},
    ]
    return fields


def syntax_help(service: SearchService) -> dict[str, Any]:
    """The help page's content, each example with its search link and count here."""
    return {
        "ok": True,
        "sections": [
            {
                "title": section.title,
                "text": section.text,
                "examples": [
                    {
                        "query": example.query,
                        "finds": example.finds,
                        "url": url_for("views.search", q=example.query),
                        "count": service.count(example.query),
                    }
                    for example in section.examples
                ],
            }
            for section in SECTIONS
        ],
        "fields": field_names(),
        "slips": SLIPS,
    }
