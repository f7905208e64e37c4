"""A search as its page and the JSON API show it: the search itself, its facets as the
page lists them, a spelling suggestion and, when nothing is found, the names near the
query and the words too common to search."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from whoosh.analysis import STOP_WORDS

from indexer.schema import FACETS

from .directory import Directory
from .facets import facet_limits, facet_lists
from .generation import Generation
from .querytext import OPERATORS
from .results import SearchPage
from .search import SearchService
from .suggest import correct

NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class PageQuery:
    """What a search page asks for, as its URL says it."""

    q: str = ""
    filters: Mapping[str, list[str]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 10
    sort: str = "relevance"
    group: str = "article"
    facet_limit: int = 10  # values listed per facet
    expanded: str = ""  # the facet whose "more" is open
    within: str = ""  # the text its values are filtered by


def search_page(
    service: SearchService,
    state: Generation,
    asked: PageQuery,
    directory: Callable[[], Directory],
) -> SearchPage:
    """The SearchPage a search page renders, complete. `directory` gives the collection's
    names, read only when the search finds nothing."""
    q, limit = asked.q, asked.facet_limit
    results = service.search(
        q=q,
        filters=asked.filters,
        page=asked.page,
        page_size=asked.page_size,
        sort=asked.sort,
        facet_limits=facet_limits(list(FACETS), limit, asked.expanded, asked.within),
        group=asked.group,
        state=state,
    )
    results.facet_lists = facet_lists(
        results.facets, limit, asked.expanded, asked.within, results.facet_sizes
    )
    results.facets = {f.name: f.values for f in results.facet_lists}
    results.did_you_mean = correct(service, q, state) if q.strip() else ""
    if not results.total and q.strip():
        names = directory()
        results.closest = names.closest(q)
        results.stop_words = stop_words(q)
        # a name the collection knows wins over a word: "koreeda" is Kore-eda, not Korea
        name = names.known_name(q)
        if name and name.lower() != q.strip().lower() and service.count(name):
            results.did_you_mean = name
        elif looks_like_a_name(q):
            results.unmentioned = " ".join(q.split())
    return results


def looks_like_a_name(q: str) -> bool:
    """Whether a query is a person's name as typed: two to four capitalised words and
    nothing else ("Park Chan-wook")."""
    words = q.split()
    return 2 <= len(words) <= 4 and all(
        w[0].isupper() and w not in OPERATORS and NAME_WORD.fullmatch(w) for w in words
    )


def stop_words(q: str) -> list[str]:
    """The words of `q` the analyzer leaves out as too common ("the", "of")."""
    return [w for w in WORDS.findall(q.lower()) if w in STOP_WORDS]
