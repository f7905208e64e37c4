"""Highlight the words a query matches: escaped text with <mark>, whole or as fragments."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from markupsafe import Markup, escape
from whoosh import highlight, query
from whoosh.searching import Searcher

from indexer.schema import TEXT_FIELDS, text_analyzer

from .generation import Generation
from .marking import CachedWordAnalyzer
from .parsing import parse
from .snippets import marked_fragments

TAGS = re.compile(r"<[^>]+>")
EDGES = re.compile(r"^\W+|\W+$")


def query_words(parsed: query.Query, searcher: Searcher) -> frozenset[str]:
    """The analysed words of the text fields a query matches, for highlighting."""
    words = set()
    for fieldname, btext in parsed.existing_terms(searcher.reader(), phrases=True, expand=True):
        if fieldname in TEXT_FIELDS:
            words.add(searcher.schema[fieldname].from_bytes(btext))
    return frozenset(words)


def highlighted_words(q: str, state: Generation) -> frozenset[str]:
    """`query_words` of query text `q` parsed against `state`: kept per generation, as the
    parsed query is."""
    words = state.words.get(q)
    if words is None:
        words = query_words(parse(q, state)[0], state.searcher())
        state.words.put(q, words)
    return words


class Highlighter:
    """Marks words in texts with the text fields' analyzer (cached per word by default)."""

    def __init__(self, analyzer: Any = None) -> None:
        self.analyzer = analyzer if analyzer is not None else CachedWordAnalyzer(text_analyzer())

    def highlight(self, text: str, words: frozenset[str], whole: bool = False) -> Markup:
        """`text` escaped, with `words` wrapped in <mark>; fragments unless `whole`."""
        if words and text:
            cached = isinstance(self.analyzer, CachedWordAnalyzer)
            spans = self.analyzer.spans(text) if cached else None
            plain: str | None = None  # the fragments' text, when known without reading `marked`
            if spans is not None and words.isdisjoint(map(itemgetter(2), spans)):
                marked = ""  # nothing to mark: what fragments without a match give
            elif spans is not None:
                marked, plain = marked_fragments(text, spans, words, whole)
            else:  # a word the analyzer splits: Whoosh's own highlighter, which is the same
                fragmenter = (
                    highlight.WholeFragmenter(charlimit=None)
                    if whole
                    else highlight.ContextFragmenter(maxchars=320, surround=90)
                )
                formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
                marked = highlight.highlight(
                    text, words, self.analyzer, fragmenter, formatter, top=3
                )
            if marked:
                return Markup(marked if whole else with_ellipses(marked, text, plain))
        return escape(text if whole or len(text) <= 400 else text[:400].rsplit(" ", 1)[0] + " …")

    def marker(self, q: str, state: Generation | None) -> Callable[[str], Markup]:
        """A function that escapes a text and marks the words of query `q` (read against
        `state`, needed only when `q` has words) in it."""
        words = frozenset[str]()
        if q.strip() and state is not None:
            words = highlighted_words(q, state)
        return lambda text: self.highlight(text, words, whole=True)


def with_ellipses(marked: str, text: str, plain: str | None = None) -> str:
    """Fragments of `text` with "…" where they start or end inside it, so a snippet that
    begins mid-sentence says so. `plain` is `marked` without tags and escapes, when known."""
    if plain is None:
        plain = html.unescape(TAGS.sub("", marked))
    # fragments start and end on words: compare without the punctuation around them
    plain = EDGES.sub("", plain)
    whole = EDGES.sub("", text)
    if not whole.startswith(plain[:40]):
        marked = "… " + marked
    if not whole.endswith(plain[-40:]):
        marked += " …"
    return marked
