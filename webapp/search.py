"""SearchService: the search layer's one entry point. Views, API and CLI render its results.

A search reads in one order, one module per job:

1. `serving`: the generation `current` names, opened once (`ServedGeneration`);
2. `parsing`: query text to a Whoosh query, prefixes and ranges capped;
3. `matching`: the one matching step, query and filters to arrays over live documents
   (`vector.Evaluator` matches and scores every parsed query);
4. `facetcount`: disjunctive facet counts of the match;
5. `paging`: the match ordered, one page cut and read as hits;
6. `highlighting`: the query's words marked in each hit;

and returns the plain objects of `results`. There is no second path: no query is
handed to Whoosh's searcher for ranking. `articles` reads an article back for its page;
`searchpage` adds what a search page shows beyond the search (facet lists, did-you-mean,
names near a query that finds nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from markupsafe import Markup
from whoosh import query
from whoosh.searching import Searcher

from indexer.schema import FACETS, facet_term

from . import articles, paging
from .columns import Columns
from .errors import SearchError
from .facetcount import count_facets
from .generation import Generation
from .highlighting import Highlighter, highlighted_words
from .matching import match
from .paging import GROUPS, SORTS
from .parsing import parse
from .results import Hit, SearchPage
from .serving import ServedGeneration
from .vector import live_frequency, most_frequent

MAX_FILTER_VALUES = 50  # per facet


class SearchService:
    """Searches one index root, following the `current` generation as rebuilds swap it."""

    def __init__(self, index_root: Path, facet_limit: int = 10, cache_size: int = 512) -> None:
        self.index_root = Path(index_root)
        self.facet_limit = facet_limit
        self.cache_size = cache_size
        self.served = ServedGeneration(self.index_root, cache_size)
        self.highlighter = Highlighter()
        self.current()  # a missing or broken index is reported at once

    # -- the generation served ---------------------------------------------------------

    def current(self) -> Generation:
        """The generation being served, opened on first use and when a rebuild swaps."""
        return self.served.current()

    def searcher(self) -> Searcher:
        """This thread's long-lived searcher on the current generation (`with` keeps it open)."""
        return self.current().searcher()

    def close(self) -> None:
        """Close the searchers of every generation this service has opened."""
        self.served.close()

    def warm(self) -> None:
        """Load the current generation's columns and alike questions now, rather than on
        the first search or article page."""
        self.current().similar_questions()

    def columns(self) -> Columns:
        """The current generation's facet values, dates and live documents as arrays."""
        return self.current().columns()

    @property
    def generation(self) -> str:
        return self.served.name

    def live_frequency(self, fieldname: str, term: str, state: Generation | None = None) -> int:
        """How many live passages of `state` (the current generation unless given) hold an
        indexed term (the index's own counts include passages deleted by `--update`)."""
        state = state or self.current()
        return live_frequency(
            state.searcher(), state.postings(), state.columns().live, fieldname, term
        )

    def most_frequent(
        self, fieldname: str, terms: Iterable[str], limit: int
    ) -> list[tuple[str, int]]:
        """The `limit` terms of `terms` held by most live passages, with those counts."""
        state = self.current()
        searcher = state.searcher()
        reader = searcher.reader()
        indexed = [(t, reader.doc_frequency(fieldname, t)) for t in terms]
        return most_frequent(
            searcher, state.postings(), state.columns().live, fieldname, indexed, limit
        )

    # -- queries -----------------------------------------------------------------------

    def parse(self, q: str, state: Generation | None = None) -> tuple[query.Query, str]:
        """Query text parsed against `state` (the current generation unless given)."""
        return parse(q, state or self.current())

    def search(
        self,
        q: str = "",
        filters: Mapping[str, Iterable[str]] | None = None,
        page: int = 1,
        page_size: int = 10,
        sort: str = "relevance",
        facet_limits: Mapping[str, int] | None = None,
        group: str = "passage",
        state: Generation | None = None,
    ) -> SearchPage:
        """Run a query with facet filters; return one page of hits and disjunctive facet counts.

        `facet_limits` overrides, per facet, how many values are listed (FACET_LIMIT).
        With `group="article"` a page lists interviews: each one's best passage, with the
        others that match in `Hit.more`. `state` is the generation to read (the current one
        unless given).
        """
        limits = facet_limits or {}
        wanted = clean_filters(filters or {})
        sort = sort if sort in SORTS else "relevance"
        group = group if group in GROUPS else "passage"
        state = state or self.current()
        chosen = tuple(sorted((name, tuple(values)) for name, values in wanted.items()))
        lengths = tuple(sorted(limits.items()))  # "show more" asks for other facet lengths
        key = (" ".join(q.split()), chosen, page, page_size, sort, lengths, group)
        cached: SearchPage | None = state.cache.get(key)
        if cached is not None:
            return replace(cached, q=q)
        columns = state.columns()
        found = match(state, q, wanted)
        # a filter typed in another case is the same filter: show it as the index writes it
        wanted = {
            name: [columns.facets[name].spelling(v) for v in values]
            for name, values in wanted.items()
        }
        facets, sizes = count_facets(columns, found, wanted, limits, self.facet_limit)
        words = highlighted_words(q, state) if found.total else frozenset[str]()
        paged = paging.page_of(state, found, sort, group, page, page_size, words, self.highlighter)
        result = SearchPage(
            q, wanted, sort, paged.page, page_size, found.total, paged.hits, facets, found.notice
        )
        result.facet_sizes = sizes
        result.group, result.groups = group, paged.groups
        state.cache.put(key, result)
        return replace(result)

    def passages(
        self,
        q: str = "",
        filters: Mapping[str, Iterable[str]] | None = None,
        sort: str = "relevance",
        limit: int = 10_000,
    ) -> tuple[int, Iterator[tuple[dict[str, Any], float | None]]]:
        """How many passages a search finds, and the first `limit` of them in the order
        `search` pages them (passage by passage), as stored fields with their scores."""
        wanted = clean_filters(filters or {})
        sort = sort if sort in SORTS else "relevance"
        state = self.current()
        found = match(state, q, wanted)
        return found.total, paging.stored(state, found, sort, limit)

    def arrivals(
        self, q: str = "", filters: Mapping[str, Iterable[str]] | None = None, limit: int = 20
    ) -> list[tuple[Hit, int]]:
        """The `limit` passages of a search whose articles entered the collection last, each
        with that time (microseconds since the epoch, 0 when unknown); ties newest first
        by date, then in article and passage order."""
        wanted = clean_filters(filters or {})
        state = self.current()
        found = match(state, q, wanted)
        words = highlighted_words(q, state)
        return paging.latest(state, found, limit, words, self.highlighter)

    def count(self, q: str) -> int:
        """How many live passages a query finds (no filters)."""
        return match(self.current(), q).total

    # -- highlighting ------------------------------------------------------------------

    def marker(self, q: str, state: Generation | None = None) -> Callable[[str], Markup]:
        """A function that escapes a text and marks the words of query `q` in it."""
        if q.strip():
            state = state or self.current()
        return self.highlighter.marker(q, state)

    # -- articles ----------------------------------------------------------------------

    def article(self, article_id: str, state: Generation | None = None) -> dict[str, Any] | None:
        """An article as `filmsearch inspect --json` prints it, or None when unknown; with
        whether it is counted and the other copies of its interview, when it was saved
        more than once."""
        return articles.article(state or self.current(), article_id)


def clean_filters(filters: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Known facets only, trimmed, without empties or repeats, bounded in number."""
    cleaned: dict[str, list[str]] = {}
    for name, values in filters.items():
        if name not in FACETS:
            continue
        terms: dict[str, str] = {}
        for value in values:
            if value and value.strip():
                terms.setdefault(facet_term(value), value.strip())
        kept = list(terms.values())
        if len(kept) > MAX_FILTER_VALUES:
            raise SearchError(f"Too many {name} filters: at most {MAX_FILTER_VALUES} are allowed.")
        if kept:
            cleaned[name] = kept
    return cleaned


def facet_query(name: str, values: list[str]) -> query.Query:
    return query.Or([query.Term(FACETS[name], facet_term(v)) for v in values])


# -- Flask integration (as flaskr's db.py) ------------------------------------------------


def get_service() -> SearchService:
    """The app's SearchService, created on first use."""
    service: SearchService | None = current_app.extensions.get("filmsearch")
    if service is None:
        config = current_app.config
        service = SearchService(
            Path(config["INDEX_DIR"]),
            config["FACET_LIMIT"],
            int(config.get("SEARCH_CACHE_SIZE", 512)),
        )
        current_app.extensions["filmsearch"] = service
    return service


def request_generation() -> Generation:
    """The generation this request reads: chosen at its first use, kept to its end."""
    state: Generation | None = g.get("generation")
    if state is None:
        state = g.generation = get_service().current()
    return state


def init_app(app: Flask) -> None:
    """Open the index at start-up so a missing or broken one is reported at once."""
    with app.app_context():
        get_service().warm()
