"""SearchService: the only place that talks to Whoosh. Views, API and CLI render its results."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from flask import Flask, current_app
from markupsafe import Markup, escape
from whoosh import highlight, index, qparser, query
from whoosh.searching import Searcher

from indexer.schema import (
    FACETS,
    TEXT_FIELDS,
    current_generation,
    facet_term,
    text_analyzer,
)

from .columns import BY_VALUE, Columns
from .errors import SearchError
from .generation import Generation, open_generation
from .marking import CachedWordAnalyzer
from .querytext import repair_query
from .vector import Evaluator, Unsupported, top

SORTS = {"relevance": None, "newest": ("date", True), "oldest": ("date", False)}
MAX_FILTER_VALUES = 50  # per facet
MAX_EXPANSIONS = 64  # terms a prefix or wildcard may expand to
MAX_EXPANSION_SCAN = 50_000  # terms one query may read while expanding prefixes and ranges
SYNTAX_CHARS = re.compile(r"[\"'()\[\]{}^~*?:+\-]")


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    """One passage in a result list."""

    pid: str
    article_id: str
    anchor: str
    kind: str
    title: str
    url: str
    publication: str
    date: str
    films: list[str]
    directors: list[str]
    speakers: list[str]
    askers: list[str]
    answerers: list[str]
    question: str
    answer: str
    question_html: Markup
    answer_html: Markup
    score: float | None = None


@dataclass
class SearchPage:
    """Everything a search returns: hits for one page, facet counts, paging."""

    q: str
    filters: dict[str, list[str]]
    sort: str
    page: int
    page_size: int
    total: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    notice: str = ""
    did_you_mean: str = ""  # the query with misspelt words corrected, when there are any
    facet_lists: list[Any] = field(default_factory=list)  # facets as pages list them

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


class SearchService:
    """Searches one index root, following the `current` generation as rebuilds swap it."""

    def __init__(self, index_root: Path, facet_limit: int = 10, cache_size: int = 512) -> None:
        self.index_root = Path(index_root)
        self.facet_limit = facet_limit
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._current: Generation | None = None
        self._retired: list[Generation] = []
        self.analyzer = CachedWordAnalyzer(text_analyzer())
        self.refresh()

    # -- index lifecycle ---------------------------------------------------------------

    def refresh(self) -> index.Index:
        """Open the current generation, reopening when a rebuild has swapped in a new one."""
        return self._state().index

    def _state(self) -> Generation:
        generation = current_generation(self.index_root)
        if generation is None:
            raise SearchError(
                f"No index at {self.index_root}. Run `filmsearch index` to build it.", 503
            )
        state = self._current
        if state is not None and state.path == generation:
            return state
        with self._lock:
            if self._current is None or self._current.path != generation:
                try:
                    ix = open_generation(generation)
                    check_index(ix)
                except Exception as exc:  # noqa: BLE001 - any unreadable index is reported
                    raise SearchError(
                        f"The index at {generation} cannot be opened ({exc}). "
                        "Run `filmsearch index` to rebuild it.",
                        503,
                    ) from exc
                # Requests may still be reading the generation just replaced; close the
                # one replaced before it, which nothing can be using any more.
                for stale in self._retired:
                    stale.close()
                self._retired = [self._current] if self._current else []
                self._current = Generation(generation, ix, self.cache_size)
            return self._current

    def searcher(self) -> Searcher:
        """This thread's long-lived searcher on the current generation (`with` keeps it open)."""
        return self._state().searcher()

    def close(self) -> None:
        """Close the searchers of every generation this service has opened."""
        with self._lock:
            for state in [*self._retired, *([self._current] if self._current else [])]:
                state.close()

    def warm(self) -> None:
        """Load the current generation's columns now rather than on the first search."""
        self._state().columns()

    @property
    def generation(self) -> str:
        return self._current.path.name if self._current else ""

    # -- queries -----------------------------------------------------------------------

    def parse(self, searcher: Searcher, q: str) -> tuple[query.Query, str]:
        """Parse user query text; on a syntax problem, fall back to its plain words."""
        text, notice = repair_query(q)
        if not text:
            return query.Every(), notice
        parser = query_parser(searcher.schema)
        try:
            parsed = parser.parse(text)
            parsed = self._cap_expansions(parsed, searcher)
        except Exception:  # noqa: BLE001 - any parser failure becomes a plain-words search
            words = repair_query(SYNTAX_CHARS.sub(" ", text))[0]
            notice = f"Your query could not be read as written; showing results for: {words}"
            try:  # lowercased, AND/OR/NOT are words too
                parsed = parser.parse(words.lower()) if words.strip() else query.Every()
            except Exception:  # noqa: BLE001 - still unreadable: match nothing, say so
                parsed = query.NullQuery
        return parsed, notice

    def _cap_expansions(
        self, q: query.Query, searcher: Searcher, budget: list[int] | None = None
    ) -> query.Query:
        """Replace prefix, wildcard and range queries by their most frequent expansions.

        All of them together read at most MAX_EXPANSION_SCAN terms (`budget`).
        """
        budget = [MAX_EXPANSION_SCAN] if budget is None else budget
        if isinstance(q, query.MultiTerm):
            reader = searcher.reader()
            fieldname = q.field()
            if fieldname not in searcher.schema:
                return query.NullQuery
            expansions = self._state().expansions
            key = (type(q).__name__, fieldname, str(q))  # str: ranges have no .text
            terms = expansions.get(key)
            if terms is None:
                fieldobj = searcher.schema[fieldname]
                allowed = max(0, budget[0])
                scanned = list(islice(q.expanded_terms(reader), allowed))
                budget[0] -= len(scanned)
                terms = [fieldobj.from_bytes(btext) for _, btext in scanned]
                terms.sort(key=lambda t: -reader.doc_frequency(fieldname, t))
                terms = terms[:MAX_EXPANSIONS]
                if len(scanned) < allowed:  # complete, not cut short by this query's budget
                    expansions.put(key, terms)
            return query.Or([query.Term(fieldname, t) for t in terms])
        if q.is_leaf():
            return q
        return q.apply(lambda sub: self._cap_expansions(sub, searcher, budget))

    def search(
        self,
        q: str = "",
        filters: Mapping[str, Iterable[str]] | None = None,
        page: int = 1,
        page_size: int = 10,
        sort: str = "relevance",
        facet_limits: Mapping[str, int] | None = None,
    ) -> SearchPage:
        """Run a query with facet filters; return one page of hits and disjunctive facet counts.

        `facet_limits` overrides, per facet, how many values are listed (FACET_LIMIT).
        """
        limits = facet_limits or {}
        filters = clean_filters(filters or {})
        sort = sort if sort in SORTS else "relevance"
        state = self._state()
        chosen = tuple(sorted((name, tuple(values)) for name, values in filters.items()))
        lengths = tuple(sorted(limits.items()))  # "show more" asks for other facet lengths
        key = (" ".join(q.split()), chosen, page, page_size, sort, lengths)
        cached: SearchPage | None = state.cache.get(key)
        if cached is not None:
            return replace(cached, q=q)
        searcher, columns = state.searcher(), state.columns()
        parsed, notice = self.parse(searcher, q)
        scores: np.ndarray | None = None
        if parsed == query.Every():
            matched = columns.live.copy()
        else:
            try:
                matched, scores = Evaluator(searcher, state.postings()).run(parsed)
            except Unsupported:
                matched = columns.mask(searcher.docs_for_query(parsed))
        allowed = {
            name: columns.mask(searcher.docs_for_query(facet_query(name, values)))
            for name, values in filters.items()
        }
        docs = matched
        for mask in allowed.values():
            docs = docs & mask
        facets = {
            name: self._count(
                columns,
                name,
                matched,
                allowed,
                filters.get(name, []),
                limits.get(name, self.facet_limit),
            )
            for name in FACETS
        }
        total = int(np.count_nonzero(docs))
        page = min(max(1, page), max(1, -(-total // page_size)))
        hits: list[Hit] = []
        if total:
            start = (page - 1) * page_size
            ranked = self._rank(
                searcher,
                columns,
                parsed,
                docs,
                scores,
                bool(filters),
                sort,
                start,
                start + page_size,
            )
            words = self.query_words(parsed, searcher)
            hits = [
                self._hit(searcher.stored_fields(docnum), words, score) for docnum, score in ranked
            ]
        result = SearchPage(q, filters, sort, page, page_size, total, hits, facets, notice)
        state.cache.put(key, result)
        return replace(result)

    def _rank(
        self,
        searcher: Searcher,
        columns: Columns,
        parsed: query.Query,
        docs: np.ndarray,
        scores: np.ndarray | None,
        filtered: bool,
        sort: str,
        start: int,
        stop: int,
    ) -> list[tuple[int, float | None]]:
        """(docnum, score) of results `start` to `stop`, in the requested order."""
        if sort != "relevance":
            return [(d, None) for d in columns.by_date(docs, start, stop, sort == "newest")]
        if parsed == query.Every():
            # Every passage scores the same; Whoosh keeps them in document order.
            return [(int(d), 1.0) for d in np.flatnonzero(docs)[start:stop]]
        if scores is not None:
            return list(top(docs, scores, start, stop))
        allow = set(np.flatnonzero(docs).tolist()) if filtered else None
        results = searcher.search(parsed, limit=stop, filter=allow)
        return [(hit.docnum, hit.score) for hit in results[start:]]

    def _count(
        self,
        columns: Columns,
        name: str,
        matched: np.ndarray,
        allowed: dict[str, np.ndarray],
        selected: list[str],
        limit: int,
    ) -> list[FacetValue]:
        # Disjunctive faceting: apply every other facet's filter, but not this one's.
        docs = matched
        for other, mask in allowed.items():
            if other != name:
                docs = docs & mask
        column = columns.facets[name]
        counts = column.counts(docs)
        shown = column.top(counts, limit, name in BY_VALUE)
        chosen = {facet_term(v) for v in selected}
        shown_terms = {facet_term(v) for v, _ in shown}
        shown += [
            (v, int(counts[column.index[v]]) if v in column.index else 0)
            for v in selected
            if facet_term(v) not in shown_terms
        ]
        return [FacetValue(v, c, facet_term(v) in chosen) for v, c in shown]

    # -- highlighting ------------------------------------------------------------------

    def query_words(self, parsed: query.Query, searcher: Searcher) -> frozenset[str]:
        """The analysed words of the text fields a query matches, for highlighting."""
        words = set()
        for fieldname, btext in parsed.existing_terms(searcher.reader(), phrases=True, expand=True):
            if fieldname in TEXT_FIELDS:
                words.add(searcher.schema[fieldname].from_bytes(btext))
        return frozenset(words)

    def highlight(self, text: str, words: frozenset[str], whole: bool = False) -> Markup:
        """`text` escaped, with `words` wrapped in <mark>; fragments unless `whole`."""
        if words and text:
            fragmenter = (
                highlight.WholeFragmenter(charlimit=None)
                if whole
                else highlight.ContextFragmenter(maxchars=320, surround=90)
            )
            formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
            marked = highlight.highlight(text, words, self.analyzer, fragmenter, formatter, top=3)
            if marked:
                return Markup(marked)
        return escape(text if whole or len(text) <= 400 else text[:400].rsplit(" ", 1)[0] + " …")

    def _hit(self, fields: dict[str, Any], words: frozenset[str], score: float | None) -> Hit:
        meta = fields["meta"]
        turns = fields.get("turns") or []
        question, answer = fields.get("question", ""), fields.get("answer", "")
        return Hit(
            pid=fields["pid"],
            article_id=fields["article_id"],
            anchor=fields["anchor"],
            kind=fields["kind"],
            title=meta.get("title", ""),
            url=meta.get("url", ""),
            publication=meta.get("publication", ""),
            date=meta.get("date", ""),
            films=meta.get("films", []),
            directors=meta.get("directors", []),
            speakers=list(fields.get(FACETS["speaker"]) or ()),
            askers=_speakers(turns, "interviewer"),
            answerers=_speakers(turns, "interviewee"),
            question=question,
            answer=answer,
            question_html=self.highlight(question, words, whole=len(question) < 600),
            answer_html=self.highlight(answer, words),
            score=score,
        )

    # -- articles ----------------------------------------------------------------------

    def article(self, article_id: str) -> dict[str, Any] | None:
        """An article as `filmsearch inspect --json` prints it, or None when unknown."""
        with self.searcher() as searcher:
            docs = sorted(
                (
                    searcher.stored_fields(n)
                    for n in searcher.document_numbers(article_id=article_id)
                ),
                key=lambda f: f["ordinal"],
            )
        if not docs:
            return None
        passages = [
            {
                "anchor": f["anchor"],
                "kind": f["kind"],
                "question": f.get("question", ""),
                "answer": f.get("answer", ""),
                "speakers": list(f.get(FACETS["speaker"]) or ()),
                "turns": f.get("turns") or [],
            }
            for f in docs
        ]
        turns = [t for p in passages for t in p["turns"]]
        return {**docs[0]["meta"], "turns": turns, "passages": passages}

    def marker(self, q: str) -> Callable[[str], Markup]:
        """A function that escapes a text and marks the words of query `q` in it."""
        words: frozenset[str] = frozenset()
        if q.strip():
            with self.searcher() as searcher:
                words = self.query_words(self.parse(searcher, q)[0], searcher)
        return lambda text: self.highlight(text, words, whole=True)


def check_index(ix: index.Index) -> None:
    """Read a little of every part of an index, so a damaged one fails at open, not later."""
    with ix.searcher() as searcher:
        if searcher.doc_count_all():
            searcher.stored_fields(0)
            searcher.search(query.Every(), limit=1)
            searcher.search(query.Term("kind", "qa"), limit=1)


def clean_filters(filters: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Known facets only, trimmed, without empties or repeats, bounded in number."""
    cleaned: dict[str, list[str]] = {}
    for name, values in filters.items():
        if name not in FACETS:
            continue
        kept = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
        if len(kept) > MAX_FILTER_VALUES:
            raise SearchError(f"Too many {name} filters: at most {MAX_FILTER_VALUES} are allowed.")
        if kept:
            cleaned[name] = kept
    return cleaned


def query_parser(schema: Any) -> qparser.QueryParser:
    """The parser for user queries: plain words search the text fields."""
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema)
    parser.add_plugin(qparser.PlusMinusPlugin())
    return parser


def facet_query(name: str, values: list[str]) -> query.Query:
    return query.Or([query.Term(FACETS[name], facet_term(v)) for v in values])


def _speakers(turns: list[dict[str, str]], role: str) -> list[str]:
    return list(dict.fromkeys(t["speaker"] for t in turns if t["role"] == role))


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


def init_app(app: Flask) -> None:
    """Open the index at start-up so a missing or broken one is reported at once."""
    with app.app_context():
        get_service().warm()
