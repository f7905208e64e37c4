"""SearchService: the only place that talks to Whoosh. Views, API and CLI render its results."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

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

from .errors import SearchError

SORTS = {"relevance": None, "newest": ("date", True), "oldest": ("date", False)}
MAX_QUERY_CHARS = 1000
MAX_FILTER_VALUES = 50  # per facet
MAX_EXPANSIONS = 64  # terms a prefix or wildcard may expand to
MAX_EXPANSION_SCAN = 50_000  # terms one query may read while expanding prefixes and ranges
YEAR_RANGE = re.compile(r"\byear:(\d{4})\s*(?:-|\.\.)\s*(\d{4})\b")
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

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


class SearchService:
    """Searches one index root, following the `current` generation as rebuilds swap it."""

    def __init__(self, index_root: Path, facet_limit: int = 10) -> None:
        self.index_root = Path(index_root)
        self.facet_limit = facet_limit
        self._lock = threading.Lock()
        self._generation: Path | None = None
        self._index: index.Index | None = None
        self._facet_values: dict[str, list[tuple[str, ...]]] = {}
        self.analyzer = text_analyzer()
        self.refresh()

    # -- index lifecycle ---------------------------------------------------------------

    def refresh(self) -> index.Index:
        """Open the current generation, reopening when a rebuild has swapped in a new one."""
        return self._open()[0]

    def _open(self) -> tuple[index.Index, dict[str, list[tuple[str, ...]]]]:
        # The facet cache is returned with its index, so a request still reading an older
        # generation never fills or reads the cache of a newer one.
        generation = current_generation(self.index_root)
        if generation is None:
            raise SearchError(
                f"No index at {self.index_root}. Run `filmsearch index` to build it.", 503
            )
        with self._lock:
            if generation != self._generation or self._index is None:
                try:
                    ix = index.open_dir(str(generation))
                    check_index(ix)
                except Exception as exc:  # noqa: BLE001 - any unreadable index is reported
                    raise SearchError(
                        f"The index at {generation} cannot be opened ({exc}). "
                        "Run `filmsearch index` to rebuild it.",
                        503,
                    ) from exc
                self._index, self._generation, self._facet_values = ix, generation, {}
            return self._index, self._facet_values

    def searcher(self) -> Searcher:
        return self.refresh().searcher()

    @property
    def generation(self) -> str:
        return self._generation.name if self._generation else ""

    def _values(
        self, searcher: Searcher, facet: str, cache: dict[str, list[tuple[str, ...]]]
    ) -> list[tuple[str, ...]]:
        """Per-document facet values, loaded once per index generation."""
        cached = cache.get(facet)
        if cached is None:
            stored = FACETS[facet]
            cached = [
                tuple(fields.get(stored) or ())
                for fields in (searcher.stored_fields(n) for n in range(searcher.doc_count_all()))
            ]
            cache[facet] = cached
        return cached

    # -- queries -----------------------------------------------------------------------

    def parse(self, searcher: Searcher, q: str) -> tuple[query.Query, str]:
        """Parse user query text; on a syntax problem, fall back to its plain words."""
        q = " ".join(q.split())[:MAX_QUERY_CHARS]
        if not q:
            return query.Every(), ""
        parser = qparser.MultifieldParser(list(TEXT_FIELDS), searcher.schema)
        parser.add_plugin(qparser.PlusMinusPlugin())
        text = YEAR_RANGE.sub(r"year:[\1 TO \2]", q)
        notice = ""
        try:
            parsed = parser.parse(text)
            parsed = self._cap_expansions(parsed, searcher)
        except Exception:  # noqa: BLE001 - any parser failure becomes a plain-words search
            words = SYNTAX_CHARS.sub(" ", q)
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
            fieldobj = searcher.schema[fieldname]
            scanned = list(islice(q.expanded_terms(reader), max(0, budget[0])))
            budget[0] -= len(scanned)
            terms = [fieldobj.from_bytes(btext) for _, btext in scanned]
            terms.sort(key=lambda t: -reader.doc_frequency(fieldname, t))
            return query.Or([query.Term(fieldname, t) for t in terms[:MAX_EXPANSIONS]])
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
    ) -> SearchPage:
        """Run a query with facet filters; return one page of hits and disjunctive facet counts."""
        filters = clean_filters(filters or {})
        sort = sort if sort in SORTS else "relevance"
        ix, cache = self._open()
        with ix.searcher() as searcher:
            parsed, notice = self.parse(searcher, q)
            matched = set(searcher.docs_for_query(parsed))
            allowed = {
                name: set(searcher.docs_for_query(facet_query(name, values)))
                for name, values in filters.items()
            }
            docs = matched.intersection(*allowed.values())
            facets = {
                name: self._count(searcher, cache, name, matched, allowed, filters.get(name, []))
                for name in FACETS
            }
            total = len(docs)
            page = min(max(1, page), max(1, -(-total // page_size)))
            hits: list[Hit] = []
            if docs:
                sortedby = SORTS[sort]
                results = searcher.search_page(
                    parsed,
                    page,
                    pagelen=page_size,
                    filter=docs,
                    sortedby=sortedby[0] if sortedby else None,
                    reverse=bool(sortedby and sortedby[1]),
                    terms=True,
                )
                words = self.query_words(parsed, searcher)
                hits = [self._hit(h.fields(), words, h.score) for h in results]
            return SearchPage(q, filters, sort, page, page_size, total, hits, facets, notice)

    def _count(
        self,
        searcher: Searcher,
        cache: dict[str, list[tuple[str, ...]]],
        name: str,
        matched: set[int],
        allowed: dict[str, set[int]],
        selected: list[str],
    ) -> list[FacetValue]:
        # Disjunctive faceting: apply every other facet's filter, but not this one's.
        others = [docs for other, docs in allowed.items() if other != name]
        docs = matched.intersection(*others) if others else matched
        values = self._values(searcher, name, cache)
        counts: Counter[str] = Counter()
        for docnum in docs:
            counts.update(values[docnum])
        if name == "year":
            ranked = sorted(counts.items(), key=lambda kv: kv[0], reverse=True)
        else:
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))
        shown = ranked[: self.facet_limit]
        chosen = {facet_term(v) for v in selected}
        shown_terms = {facet_term(v) for v, _ in shown}
        shown += [(v, counts.get(v, 0)) for v in selected if facet_term(v) not in shown_terms]
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


def facet_query(name: str, values: list[str]) -> query.Query:
    return query.Or([query.Term(FACETS[name], facet_term(v)) for v in values])


def _speakers(turns: list[dict[str, str]], role: str) -> list[str]:
    return list(dict.fromkeys(t["speaker"] for t in turns if t["role"] == role))


# -- Flask integration (as flaskr's db.py) ------------------------------------------------


def get_service() -> SearchService:
    """The app's SearchService, created on first use."""
    service: SearchService | None = current_app.extensions.get("filmsearch")
    if service is None:
        service = SearchService(
            Path(current_app.config["INDEX_DIR"]), current_app.config["FACET_LIMIT"]
        )
        current_app.extensions["filmsearch"] = service
    return service


def init_app(app: Flask) -> None:
    """Open the index at start-up so a missing or broken one is reported at once."""
    with app.app_context():
        get_service()
