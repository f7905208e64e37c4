"""Tantivy doing our request's work: BM25 top 10, snippets, disjunctive facet counts."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tantivy

from indexer.schema import FACETS

from .corpus import QUERY_ONLY, TEXT, Passage
from .queries import Search


class Tantivy:
    """A Tantivy index with stemmed text fields and raw, fast, multi-valued facet fields."""

    name = "Tantivy"

    def __init__(self, path: Path, facet_limit: int = 10) -> None:
        self.path = path
        self.facet_limit = facet_limit
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("pid", stored=True, tokenizer_name="raw")
        for name in TEXT:
            builder.add_text_field(name, stored=True, tokenizer_name="en_stem")
        for name in QUERY_ONLY:
            builder.add_text_field(name, tokenizer_name="en_stem")
        for name in FACETS:
            builder.add_text_field(f"{name}_f", fast=True, tokenizer_name="raw")
        self.schema = builder.build()
        self.index: tantivy.Index | None = None

    def build(self, passages: Iterable[Passage]) -> int:
        """Index `passages` with two writer threads; return how many."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        self.index = tantivy.Index(self.schema, path=str(self.path))
        writer = self.index.writer(heap_size=256_000_000, num_threads=2)
        count = 0
        for passage in passages:
            doc = tantivy.Document(pid=passage.pid, **passage.text)
            for name, values in passage.facets.items():
                for value in values:
                    doc.add_text(f"{name}_f", value)
            writer.add_document(doc)
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return count

    def open(self) -> None:
        self.index = tantivy.Index.open(str(self.path))
        self.index.reload()

    def query(self, search: Search) -> tantivy.Query:
        """Our query in Tantivy's syntax: all words required, title boosted."""
        assert self.index is not None
        t = search.terms
        if search.op == "all":
            return tantivy.Query.all_query()
        if search.op == "prefix":
            # the query parser's prefix form needs a phrase; a regex per field does the same
            pattern = f"{t[0]}.*"
            return tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Should, tantivy.Query.regex_query(self.schema, f, pattern))
                    for f in TEXT
                ]
            )
        if search.op == "or":
            text = f"{t[0]} OR {t[1]}"
        elif search.op == "phrase":
            text = f'"{" ".join(t)}"'
        elif search.op == "field":
            text = f"{search.field}:{t[0]}"
        else:
            text = " ".join(t)
        return self.index.parse_query(
            text, list(TEXT), field_boosts={"title": 1.5}, conjunction_by_default=True
        )

    def filtered(self, base: tantivy.Query, filters: dict[str, list[str]]) -> tantivy.Query:
        if not filters:
            return base
        parts = [(tantivy.Occur.Must, base)]
        for name, values in filters.items():
            parts.append(
                (tantivy.Occur.Must, tantivy.Query.term_set_query(self.schema, f"{name}_f", values))
            )
        return tantivy.Query.boolean_query(parts)

    def search(self, search: Search) -> dict[str, Any]:
        """Top 10 with snippets, the total, and every facet's disjunctive counts."""
        assert self.index is not None
        searcher = self.index.searcher()
        base = self.query(search)
        full = self.filtered(base, search.filters)
        result = searcher.search(full, limit=10, count=True)
        hits = []
        answers = tantivy.SnippetGenerator.create(searcher, full, self.schema, "answer")
        for _, address in result.hits:
            doc = searcher.doc(address)
            hits.append((doc["pid"][0], answers.snippet_from_doc(doc).to_html()))
        # Facets without a filter of their own share one aggregation over the full query.
        groups: dict[tuple[str, ...], list[str]] = {}
        for name in FACETS:
            key = tuple(sorted(other for other in search.filters if other != name))
            groups.setdefault(key, []).append(name)
        facets: dict[str, Any] = {}
        for key, names in groups.items():
            query = self.filtered(base, {k: search.filters[k] for k in key})
            aggs = {n: {"terms": {"field": f"{n}_f", "size": self.facet_limit}} for n in names}
            facets |= searcher.aggregate(query, aggs)
        return {"total": result.count, "hits": hits, "facets": facets}

    def close(self) -> None:
        self.index = None
