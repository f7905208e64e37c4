"""Query text to a Whoosh query: repaired, parsed, its prefixes and ranges capped."""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from whoosh import fields, qparser, query

from indexer.schema import QUERY_FIELDS, TEXT_FIELDS, WRITTEN, fold_words, stem_word
from indexer.segments import prefix_frequencies

from .generation import Generation
from .querytext import repair_query
from .vector import all_live, live_frequency, most_frequent

MAX_EXPANSIONS = 64  # terms a prefix or wildcard may expand to
MAX_EXPANSION_SCAN = 50_000  # terms one query may read while expanding prefixes and ranges
SYNTAX_CHARS = re.compile(r"[\"'()\[\]{}^~*?:+\-]")


def parse(q: str, state: Generation) -> tuple[query.Query, str]:
    """Parse user query text against `state`; on a syntax problem, fall back to its plain
    words. Kept per generation: the parsed query is only read afterwards, never changed."""
    found = state.parsed.get(q)
    if found is None:
        found = _parse(q, state)
        state.parsed.put(q, found)
    return found


def _parse(q: str, state: Generation) -> tuple[query.Query, str]:
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
        parsed = cap_expansions(parsed, state)
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


def cap_expansions(
    q: query.Query, state: Generation, budget: list[int] | None = None
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
                counted, read = _written_stems(state, fieldname, q.text, allowed)
            elif type(q) is query.Prefix and isinstance(fieldobj, (fields.TEXT, fields.ID)):
                prefix = fieldobj.to_bytes(q.text)
                found_terms = prefix_frequencies(reader, fieldname, prefix, allowed)
                if found_terms is not None:
                    counted = [(fieldobj.from_bytes(t), f) for t, f in found_terms]
                    read = len(counted)
            if counted is None:
                scanned = [t for _, t in islice(q.expanded_terms(reader), allowed)]
                counted = [
                    (fieldobj.from_bytes(t), reader.doc_frequency(fieldname, t)) for t in scanned
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
    return q.apply(lambda sub: cap_expansions(sub, state, budget))


def _written_stems(
    state: Generation, fieldname: str, prefix: str, limit: int
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
