"""SearchService: the only place that talks to Whoosh. Views, API and CLI render its results.

Whoosh parses the query text (after `querytext.repair_query` has tidied it) and
highlights; `vector.Evaluator` matches and scores every parsed query over live documents,
and this module filters, counts facets, sorts and pages those arrays. There is no second
path: no query is handed to Whoosh's searcher for ranking.
"""

from __future__ import annotations

import html
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
from flask import Flask, current_app, g
from markupsafe import Markup, escape
from whoosh import fields, highlight, index, qparser, query
from whoosh.analysis import STOP_WORDS
from whoosh.searching import Searcher

from indexer.indexing.arrays import BY_VALUE
from indexer.schema import (
    CURRENT,
    FACETS,
    QUERY_FIELDS,
    TEXT_FIELDS,
    WRITTEN,
    current_generation,
    facet_term,
    fold_words,
    speaks_as,
    stem_word,
    text_analyzer,
)
from indexer.segments import prefix_frequencies

from .columns import Columns
from .errors import UNAVAILABLE, SearchError
from .generation import Generation, open_generation
from .grouping import page_groups, rank_articles
from .marking import CachedWordAnalyzer
from .querytext import repair_query
from .snippets import marked_fragments
from .vector import Evaluator, all_live, live_frequency, most_frequent, top

SORTS = {"relevance": None, "newest": ("date", True), "oldest": ("date", False)}
GROUPS = ("article", "passage")  # one entry per interview, or every passage
MAX_FILTER_VALUES = 50  # per facet
MAX_EXPANSIONS = 64  # terms a prefix or wildcard may expand to
MAX_EXPANSION_SCAN = 50_000  # terms one query may read while expanding prefixes and ranges
TAGS = re.compile(r"<[^>]+>")
WORDS = re.compile(r"\w+")
EDGES = re.compile(r"^\W+|\W+$")
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
    speaks: str = ""  # the `speaks` facet's value: answers, questions or intros
    score: float | None = None
    matches: int = 1  # matching passages of this article (results grouped by article)
    more: list[Hit] = field(default_factory=list)  # the others, in reading order


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
    facet_sizes: dict[str, int] = field(default_factory=dict)  # values with a count, per facet
    group: str = "passage"  # "article": one entry per interview, paged by interview
    groups: int = 0  # interviews with a matching passage
    closest: list[tuple[str, str]] = field(default_factory=list)  # names near a 0-result q
    stop_words: list[str] = field(default_factory=list)  # words of q too common to search
    unmentioned: str = ""  # q, when it is a name that no passage holds

    @property
    def pages(self) -> int:
        entries = self.groups if self.group == "article" else self.total
        return max(1, -(-entries // self.page_size))


class SearchService:
    """Searches one index root, following the `current` generation as rebuilds swap it."""

    def __init__(self, index_root: Path, facet_limit: int = 10, cache_size: int = 512) -> None:
        self.index_root = Path(index_root)
        self.facet_limit = facet_limit
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._current: Generation | None = None
        self._retired: list[Generation] = []
        self._link = str(self.index_root / CURRENT)
        # what the `current` link named when it was last found to be `_current`
        self._served: tuple[str, Generation] | None = None
        self.analyzer = CachedWordAnalyzer(text_analyzer())
        self.current()  # a missing or broken index is reported at once

    # -- index lifecycle ---------------------------------------------------------------

    def current(self) -> Generation:
        """The generation being served, opened on first use and when a rebuild swaps."""
        served = self._served
        if served is not None:
            try:  # one system call: the `current` link still names the generation served
                if os.readlink(self._link) == served[0]:
                    return served[1]
            except OSError:
                pass
        return self._resolve()

    def _resolve(self) -> Generation:
        generation = current_generation(self.index_root)
        if generation is None:
            raise SearchError(
                UNAVAILABLE,
                503,
                f"No index at {self.index_root}. Run `filmsearch index` to build it.",
            )
        state = self._current
        if state is not None and state.path == generation:
            return state
        with self._lock:
            try:
                target: str | None = os.readlink(self._link)
            except OSError:
                target = None
            # Read again: a look taken before another thread swapped may be older than
            # what is served now, and going back would close readers still in use.
            generation = current_generation(self.index_root) or generation
            if self._current is None or self._current.path != generation:
                try:
                    ix = open_generation(generation)
                    check_index(ix)
                except Exception as exc:  # noqa: BLE001 - any unreadable index is reported
                    raise SearchError(
                        UNAVAILABLE,
                        503,
                        f"The index at {generation} cannot be opened ({exc}). "
                        "Run `filmsearch index` to rebuild it.",
                    ) from exc
                # Requests may still be reading the generation just replaced; close the
                # one replaced before it, which nothing can be using any more.
                for stale in self._retired:
                    stale.close()
                self._retired = [self._current] if self._current else []
                self._current = Generation(generation, ix, self.cache_size)
            named = None if target is None else (self.index_root / target).resolve()
            self._served = (target, self._current) if target and named == generation else None
            return self._current

    def searcher(self) -> Searcher:
        """This thread's long-lived searcher on the current generation (`with` keeps it open)."""
        return self.current().searcher()

    def close(self) -> None:
        """Close the searchers of every generation this service has opened."""
        with self._lock:
            for state in [*self._retired, *([self._current] if self._current else [])]:
                state.close()

    def warm(self) -> None:
        """Load the current generation's columns and alike questions now, rather than on
        the first search or article page."""
        self.current().similar_questions()

    def columns(self) -> Columns:
        """The current generation's facet values, dates and live documents as arrays."""
        return self.current().columns()

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

    @property
    def generation(self) -> str:
        return self._current.path.name if self._current else ""

    # -- queries -----------------------------------------------------------------------

    def parse(self, q: str, state: Generation | None = None) -> tuple[query.Query, str]:
        """Parse user query text against `state` (the current generation unless given);
        on a syntax problem, fall back to its plain words. Kept per generation: the
        parsed query is only read afterwards, never changed."""
        state = state or self.current()
        found = state.parsed.get(q)
        if found is None:
            found = self._parse(q, state)
            state.parsed.put(q, found)
        return found

    def _parse(self, q: str, state: Generation) -> tuple[query.Query, str]:
        searcher = state.searcher()
        text, notice = repair_query(q)
        if not text:
            return query.Every(), notice
        parser = state.parser
        if parser is None:
            parser = state.parser = query_parser(searcher.schema)
        try:
            # Not normalized: Whoosh's normalize() drops repeated parts and merges ranges,
            # which the engine's contract does not (see vector.py).
            parsed = parser.parse(text, normalize=False)
            parsed = self._cap_expansions(parsed, state)
        except Exception:  # noqa: BLE001 - any parser failure becomes a plain-words search
            words = repair_query(SYNTAX_CHARS.sub(" ", text))[0]
            notice = f"Your query could not be read as written; showing results for: {words}"
            try:  # lowercased, AND/OR/NOT are words too
                parsed = (
                    parser.parse(words.lower(), normalize=False) if words.strip() else query.Every()
                )
            except Exception:  # noqa: BLE001 - still unreadable: match nothing, say so
                parsed = query.NullQuery
        return parsed, notice

    def _cap_expansions(
        self, q: query.Query, state: Generation, budget: list[int] | None = None
    ) -> query.Query:
        """Replace prefix, wildcard and range queries by their most frequent expansions.

        All of them together read at most MAX_EXPANSION_SCAN terms (`budget`).
        """
        budget = [MAX_EXPANSION_SCAN] if budget is None else budget
        if isinstance(q, query.MultiTerm):
            searcher = state.searcher()
            reader = searcher.reader()
            fieldname = q.field()
            if fieldname not in searcher.schema:
                return query.NullQuery
            key = (type(q).__name__, fieldname, str(q))  # str: ranges have no .text
            terms = state.expansions.get(key)
            if terms is None:
                fieldobj = searcher.schema[fieldname]
                allowed = max(0, budget[0])
                counted: list[tuple[Any, int]] | None = None  # (term, indexed frequency)
                read = 0  # terms read to find them
                if type(q) is query.Prefix and _written(searcher, fieldname):
                    counted, read = self._written_stems(state, fieldname, q.text, allowed)
                elif type(q) is query.Prefix and isinstance(fieldobj, (fields.TEXT, fields.ID)):
                    prefix = fieldobj.to_bytes(q.text)
                    found_terms = prefix_frequencies(reader, fieldname, prefix, allowed)
                    if found_terms is not None:
                        counted = [(fieldobj.from_bytes(t), f) for t, f in found_terms]
                        read = len(counted)
                if counted is None:
                    scanned = [t for _, t in islice(q.expanded_terms(reader), allowed)]
                    counted = [
                        (fieldobj.from_bytes(t), reader.doc_frequency(fieldname, t))
                        for t in scanned
                    ]
                    read = len(counted)
                budget[0] -= read
                found = most_frequent(
                    searcher,
                    state.postings(),
                    state.columns().live,
                    fieldname,
                    counted,
                    MAX_EXPANSIONS,
                )
                terms = [t for t, _ in found]
                if read < allowed:  # complete, not cut short by this query's budget
                    state.expansions.put(key, terms)
            return query.Or([query.Term(fieldname, t) for t in terms], boost=q.boost)
        if q.is_leaf():
            return q
        return q.apply(lambda sub: self._cap_expansions(sub, state, budget))

    def _written_stems(
        self, state: Generation, fieldname: str, prefix: str, limit: int
    ) -> tuple[list[tuple[str, int]], int]:
        """The stems in `fieldname` of the live words written with `prefix` (the first
        `limit` such words), with their indexed frequencies there; and how many words
        were read."""
        searcher = state.searcher()
        reader = searcher.reader()
        written = searcher.schema[WRITTEN]
        words = prefix_frequencies(reader, WRITTEN, written.to_bytes(prefix), limit)
        if words is None:
            words = [(t, 0) for t in islice(reader.expand_prefix(WRITTEN, prefix), limit)]
        live, postings = state.columns().live, state.postings()
        deleted = not all_live(searcher, live)
        stems: set[str] = set()
        for btext, _ in words:
            found = stem_word(written.from_bytes(btext))
            if found in stems:
                continue
            if deleted and not live_frequency(searcher, postings, live, WRITTEN, btext):
                continue  # only in passages an update deleted, or in uncounted copies
            stems.add(found)
        counted = [(stem, reader.doc_frequency(fieldname, stem)) for stem in sorted(stems)]
        return [(stem, f) for stem, f in counted if f], len(words)

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
        searcher, columns = state.searcher(), state.columns()
        parsed, notice = self.parse(q, state)
        scores: np.ndarray | None = None
        if parsed == query.Every():
            matched = columns.live.copy()
        else:
            matched, scores = self.evaluator(state).run(parsed)
        allowed = {
            name: columns.facets[name].select(values, columns.size)
            for name, values in wanted.items()
        }
        # a filter typed in another case is the same filter: show it as the index writes it
        wanted = {
            name: [columns.facets[name].spelling(v) for v in values]
            for name, values in wanted.items()
        }
        docs = matched
        for mask in allowed.values():
            docs = docs & mask
        facets: dict[str, list[FacetValue]] = {}
        more: dict[str, int] = {}
        # every facet without a filter of its own counts `docs`: all of them in one pass
        unfiltered = columns.tally.counts(docs) if set(FACETS) - set(allowed) else {}
        for name in FACETS:
            facets[name], more[name] = self._count(
                columns,
                name,
                None if name in allowed else unfiltered.get(name),
                matched,
                allowed,
                wanted.get(name, []),
                limits.get(name, self.facet_limit),
            )
        total = int(np.count_nonzero(docs))
        hits: list[Hit] = []
        best = rank_articles(columns, docs, scores, sort) if group == "article" else None
        groups = 0 if best is None else len(best)
        entries = groups if group == "article" else total
        page = min(max(1, page), max(1, -(-entries // page_size)))
        if total:
            start = (page - 1) * page_size
            words = self.highlighted_words(q, state)

            def score_of(docnum: int) -> float | None:
                return None if scores is None or sort != "relevance" else float(scores[docnum])

            def make(docnum: int, score: float | None) -> Hit:
                return self._hit(searcher.stored_fields(docnum), words, score)

            if best is not None:
                for g in page_groups(columns, docs, best[start : start + page_size]):
                    shown = make(g.best, score_of(g.best))
                    shown.matches = g.count
                    shown.more = [make(d, score_of(d)) for d in g.others]
                    hits.append(shown)
            else:
                ranked = self._rank(columns, docs, scores, sort, start, start + page_size)
                hits = [make(docnum, score) for docnum, score in ranked]
        result = SearchPage(q, wanted, sort, page, page_size, total, hits, facets, notice)
        result.facet_sizes = more
        result.group, result.groups = group, groups
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
        searcher, columns = state.searcher(), state.columns()
        parsed, _ = self.parse(q, state)
        scores: np.ndarray | None = None
        if parsed == query.Every():
            docs = columns.live.copy()
        else:
            docs, scores = self.evaluator(state).run(parsed)
        for name, values in wanted.items():
            docs = docs & columns.facets[name].select(values, columns.size)
        total = int(np.count_nonzero(docs))
        ranked = self._rank(columns, docs, scores, sort, 0, max(0, limit)) if total else []
        # read lazily, so an export streams rather than holding every passage at once
        return total, ((searcher.stored_fields(d), score) for d, score in ranked)

    def arrivals(
        self, q: str = "", filters: Mapping[str, Iterable[str]] | None = None, limit: int = 20
    ) -> list[tuple[Hit, int]]:
        """The `limit` passages of a search whose articles entered the collection last, each
        with that time (microseconds since the epoch, 0 when unknown); ties newest first
        by date, then in article and passage order."""
        wanted = clean_filters(filters or {})
        state = self.current()
        searcher, columns = state.searcher(), state.columns()
        parsed, _ = self.parse(q, state)
        if parsed == query.Every():
            docs = columns.live.copy()
        else:
            docs = self.evaluator(state).run(parsed)[0]
        for name, values in wanted.items():
            docs = docs & columns.facets[name].select(values, columns.size)
        chosen = np.flatnonzero(docs)
        arrived = state.arrivals()
        by = (columns.order[chosen], -columns.date[chosen], -arrived[chosen])
        ranked = chosen[np.lexsort(by)][: max(0, limit)]
        words = self.highlighted_words(q, state)
        return [
            (self._hit(searcher.stored_fields(int(d)), words, None), int(arrived[d]))
            for d in ranked
        ]

    def evaluator(self, state: Generation | None = None) -> Evaluator:
        """The engine over one generation's postings and live documents (by default the
        current one). A request uses one generation throughout: a rebuild swapping in
        another mid-request must not mix the two."""
        state = state or self.current()
        return Evaluator(state.searcher(), state.postings(), state.columns().live)

    def count(self, q: str) -> int:
        """How many live passages a query finds (no filters)."""
        state = self.current()
        parsed, _ = self.parse(q, state)
        if parsed == query.Every():
            return int(np.count_nonzero(state.columns().live))
        return int(np.count_nonzero(self.evaluator(state).run(parsed)[0]))

    def _rank(
        self,
        columns: Columns,
        docs: np.ndarray,
        scores: np.ndarray | None,
        sort: str,
        start: int,
        stop: int,
    ) -> list[tuple[int, float | None]]:
        """(docnum, score) of results `start` to `stop`, in the requested order."""
        if sort != "relevance":
            return [(d, None) for d in columns.by_date(docs, start, stop, sort == "newest")]
        if scores is None:  # every passage scores the same: answers first, then in order
            return [(d, 1.0) for d in columns.in_sequence(docs, "relevance", start, stop)]
        return list(top(docs, scores, columns.order, start, stop, columns.tier))

    def _count(
        self,
        columns: Columns,
        name: str,
        counts: np.ndarray | None,
        matched: np.ndarray,
        allowed: dict[str, np.ndarray],
        selected: list[str],
        limit: int,
    ) -> tuple[list[FacetValue], int]:
        """The top values of one facet with counts, and how many values have a count.

        `counts` are the facet's counts when already known (`FacetTally.counts` of the
        matched documents that every filter allows, when this facet has none)."""
        column = columns.facets[name]
        if counts is None:
            # Disjunctive faceting: apply every other facet's filter, but not this one's.
            docs = matched
            for other, mask in allowed.items():
                if other != name:
                    docs = docs & mask
            counts = column.counts(docs)
        top = column.top_ids(counts, limit, name in BY_VALUE)
        chosen = {column.find(v) for v in selected}  # a value id, or None when not one
        values = [
            FacetValue(column.values[i], int(c), i in chosen)
            for i, c in zip(top.tolist(), counts[top].tolist(), strict=True)
        ]
        shown = set(top.tolist())
        missing = set()  # selected values that are no value of the facet
        for value in selected:  # selected but not among the top: listed after them
            i = column.find(value)
            if i is None and facet_term(value) not in missing:
                missing.add(facet_term(value))
                values.append(FacetValue(value, 0, True))
            elif i is not None and i not in shown:
                shown.add(i)
                values.append(FacetValue(column.values[i], int(counts[i]), True))
        return values, int(np.count_nonzero(counts))

    # -- highlighting ------------------------------------------------------------------

    def query_words(self, parsed: query.Query, searcher: Searcher) -> frozenset[str]:
        """The analysed words of the text fields a query matches, for highlighting."""
        words = set()
        for fieldname, btext in parsed.existing_terms(searcher.reader(), phrases=True, expand=True):
            if fieldname in TEXT_FIELDS:
                words.add(searcher.schema[fieldname].from_bytes(btext))
        return frozenset(words)

    def highlighted_words(self, q: str, state: Generation) -> frozenset[str]:
        """`query_words` of query text `q` parsed against `state`: kept per generation,
        as the parsed query is."""
        words = state.words.get(q)
        if words is None:
            words = self.query_words(self.parse(q, state)[0], state.searcher())
            state.words.put(q, words)
        return words

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
            speaks=speaks_as(fields["kind"], (t.get("role", "") for t in turns)),
            score=score,
        )

    # -- articles ----------------------------------------------------------------------

    def article(self, article_id: str, state: Generation | None = None) -> dict[str, Any] | None:
        """An article as `filmsearch inspect --json` prints it, or None when unknown; with
        whether it is counted and the other copies of its interview, when it was saved
        more than once."""
        state = state or self.current()
        group = state.copies().get(article_id, [article_id])
        with state.searcher() as searcher:
            docs = sorted(
                (
                    searcher.stored_fields(n)
                    for n in searcher.document_numbers(article_id=article_id)
                ),
                key=lambda f: f["ordinal"],
            )
            copies = [copy_of(searcher, key, key == group[0]) for key in group if key != article_id]
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
        counted = group[0] == article_id
        meta = docs[0]["meta"]
        return {**meta, "turns": turns, "passages": passages, "counted": counted, "copies": copies}

    def marker(self, q: str, state: Generation | None = None) -> Callable[[str], Markup]:
        """A function that escapes a text and marks the words of query `q` in it."""
        words: frozenset[str] = frozenset()
        if q.strip():
            state = state or self.current()
            words = self.highlighted_words(q, state)
        return lambda text: self.highlight(text, words, whole=True)


def copy_of(searcher: Searcher, article_id: str, counted: bool) -> dict[str, Any]:
    """Another copy of an interview: its id, where it is saved and whether it is counted."""
    first = next(iter(searcher.document_numbers(article_id=article_id)), None)
    meta = searcher.stored_fields(first)["meta"] if first is not None else {}
    return {
        "id": article_id,
        "title": meta.get("title", ""),
        "publication": meta.get("publication", ""),
        "source": meta.get("source", ""),
        "url": meta.get("url", ""),
        "counted": counted,
    }


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


def stop_words(q: str) -> list[str]:
    """The words of `q` the analyzer leaves out as too common ("the", "of")."""
    return [w for w in WORDS.findall(q.lower()) if w in STOP_WORDS]


def check_index(ix: index.Index) -> None:
    """Read a little of every part of every segment (stored fields, field lengths, terms
    and a posting), so a damaged index fails at open, not later; the time it takes does
    not grow with the index."""
    with ix.searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            if not leaf.doc_count_all():
                continue
            leaf.stored_fields(0)
            leaf.doc_field_length(0, "answer")
            first = next(iter(leaf.lexicon("kind")), None)
            postings = leaf.postings("kind", first) if first is not None else None
            if postings is not None and postings.is_active():  # all deleted: none to read
                postings.id()


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


class QueryParser(qparser.QueryParser):  # type: ignore[misc]
    """Whoosh's parser, with a prefix kept as typed (folded, not stemmed): `families*`
    starts the words written "families…", not the stem "famili"; and field values in any
    case."""

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: type,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> query.Query:
        if termclass is query.Prefix and _written(self.schema, fieldname):
            return query.Prefix(fieldname, fold_words(text), boost=boost)
        if fieldname == "kind":  # indexed in lower case: `kind:QA` is `kind:qa`
            text = text.lower()
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def _written(schema_or_searcher: Any, fieldname: str) -> bool:
    """Whether a prefix in `fieldname` is matched to the words as written."""
    schema = getattr(schema_or_searcher, "schema", schema_or_searcher)
    return fieldname in QUERY_FIELDS and schema is not None and WRITTEN in schema


def query_parser(schema: Any) -> qparser.QueryParser:
    """The parser for user queries: plain words search the text fields."""
    # `+word` and `-word` are rewritten by repair_query (`-word` to `NOT word`), so a
    # hyphen inside a word never reaches the parser as an operator.
    parser = QueryParser(None, schema)
    parser.add_plugin(qparser.MultifieldPlugin(list(TEXT_FIELDS)))
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
