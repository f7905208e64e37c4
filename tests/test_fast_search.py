"""The fast search path gives what Whoosh and per-document counting give, on a real index."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from whoosh import query
from whoosh.searching import Searcher

from benchmarks.generate import generate
from benchmarks.queries import query_mix
from indexer.build import generation as build
from indexer.build.generation import build_index
from indexer.schema import FACETS, facet_term, text_analyzer
from webapp.search import SearchService, facet_query
from webapp.vector import Evaluator, Unsupported, top

EXTRA_QUERIES = [
    "camera NOT film",
    "story -camera",
    "camera (story OR light)",
    '"new film" camera',
    "title:camera",
    "year:1990-2000",
    "cam* story",
    "lighthouse",
    "zzzz",
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 700 generated passages, parsed and indexed by the real pipeline.

    Two writer processes make two segments, so document offsets across segments count.
    """
    root = tmp_path_factory.mktemp("generated")
    list(generate(root / "corpus", 600))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "PARALLEL_WRITE_THRESHOLD", 0)
        build_index(root / "corpus", root / "index", jobs=2)
    return root / "index"


def queries() -> list[str]:
    return [s.q for s in query_mix() if s.q] + EXTRA_QUERIES


def reference_docs(q: query.Query, searcher: Searcher) -> set[int]:
    """Boolean set algebra over Whoosh's own matches for each term and phrase."""
    kind = type(q)
    if kind is query.Or:
        return set().union(*(reference_docs(sub, searcher) for sub in q.subqueries))
    if kind is query.And:
        positive = [s for s in q.subqueries if type(s) is not query.Not]
        docs = set.intersection(*(reference_docs(sub, searcher) for sub in positive))
        for sub in q.subqueries:
            if type(sub) is query.Not:
                docs -= reference_docs(sub.query, searcher)
        return docs
    if kind is query.AndNot:
        return reference_docs(q.a, searcher) - reference_docs(q.b, searcher)
    return set(searcher.docs_for_query(q))


def has_negation(q: query.Query) -> bool:
    return type(q) in (query.Not, query.AndNot) or any(has_negation(s) for s in q.children())


def test_vectorised_matching_and_ranking_equal_whooshs(generated: Path) -> None:
    service = SearchService(generated, cache_size=0)
    state = service._state()
    searcher = state.searcher()
    checked = 0
    for q in queries():
        parsed, _ = service.parse(searcher, q)
        try:
            mask, scores = Evaluator(searcher, state.postings()).run(parsed)
        except Unsupported:
            continue
        checked += 1
        assert mask.nonzero()[0].tolist() == sorted(reference_docs(parsed, searcher)), q
        if has_negation(parsed):
            # Whoosh's AndNot matcher can let through documents that have the excluded
            # word when the index has several segments; the arrays do not.
            continue
        assert mask.nonzero()[0].tolist() == sorted(searcher.docs_for_query(parsed)), q
        whoosh = [(hit.docnum, hit.score) for hit in searcher.search(parsed, limit=20)]
        ours = top(mask, scores, 0, 20)
        assert [d for d, _ in ours] == [d for d, _ in whoosh], q
        assert [s for _, s in ours] == pytest.approx([s for _, s in whoosh], rel=1e-9), q
        assert top(mask, scores, 5, 10) == ours[5:10]
    assert checked >= len(queries()) - 2  # only the year range falls back to Whoosh


def reference_facets(
    service: SearchService, q: str, filters: dict[str, list[str]]
) -> dict[str, list[tuple[str, int, bool]]]:
    """Disjunctive counts by iterating every matched passage's stored values."""
    searcher = service.searcher()
    parsed, _ = service.parse(searcher, q)
    matched = set(searcher.docs_for_query(parsed))
    allowed = {
        name: set(searcher.docs_for_query(facet_query(name, values)))
        for name, values in filters.items()
    }
    result = {}
    for name, field in FACETS.items():
        others = [docs for other, docs in allowed.items() if other != name]
        counts: Counter[str] = Counter()
        for docnum in matched.intersection(*others):
            counts.update(searcher.stored_fields(docnum).get(field) or ())
        if name == "year":
            ranked = sorted(counts.items(), key=lambda kv: kv[0], reverse=True)
        else:
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))
        shown = ranked[: service.facet_limit]
        chosen = {facet_term(v) for v in filters.get(name, [])}
        terms = {facet_term(v) for v, _ in shown}
        shown += [
            (v, counts.get(v, 0)) for v in filters.get(name, []) if facet_term(v) not in terms
        ]
        result[name] = [(v, c, facet_term(v) in chosen) for v, c in shown]
    return result


def test_facet_counts_equal_per_document_counting(generated: Path) -> None:
    service = SearchService(generated, cache_size=0)
    browse = service.search("")
    film = browse.facets["film"][0].value
    speaker = browse.facets["speaker"][1].value
    cases = [(s.q, s.filters) for s in query_mix()] + [
        ("camera", {"film": [film]}),
        ("", {"speaker": [speaker, "Nobody Here"], "year": [browse.facets["year"][0].value]}),
        ("story", {"film": [film], "speaker": [speaker], "publication": ["Reel Notes"]}),
    ]
    for q, filters in cases:
        page = service.search(q, filters)
        got = {
            name: [(v.value, v.count, v.selected) for v in vs] for name, vs in page.facets.items()
        }
        assert got == reference_facets(service, q, filters), (q, filters)


def test_sorting_by_date_matches_whoosh(generated: Path) -> None:
    service = SearchService(generated, cache_size=0)
    searcher = service.searcher()
    for q, sort, reverse in [("", "newest", True), ("camera", "oldest", False)]:
        parsed, _ = service.parse(searcher, q)
        expected = [
            h["pid"] for h in searcher.search(parsed, limit=20, sortedby="date", reverse=reverse)
        ]
        pages = [service.search(q, sort=sort, page=n, page_size=10) for n in (1, 2)]
        assert [h.pid for p in pages for h in p.hits] == expected, q


def test_repeated_query_is_cached_per_generation(generated: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    shutil.copytree(generated, root, symlinks=True)
    service = SearchService(root)
    first = service.search("camera", {"year": ["1999"]})
    started = time.perf_counter()
    again = service.search("  camera ", {"year": ["1999"]})
    assert time.perf_counter() - started < 0.05
    assert again.hits == first.hits and again.facets == first.facets
    assert again.q == "  camera "
    assert len(service._state().cache) == 1
    # a rebuild swaps in a new generation: the service follows it with a fresh cache
    build_index(generated.parent / "corpus", root, jobs=1)
    after = service.search("camera", {"year": ["1999"]})
    assert after.total == first.total
    assert len(service._state().cache) == 1
    assert service.generation != generated.joinpath("current").resolve().name


def test_index_has_several_segments(generated: Path) -> None:
    searcher = SearchService(generated).searcher()
    assert len(searcher.leaf_searchers()) > 1


def test_searcher_is_reused_and_not_closed_by_with(generated: Path) -> None:
    service = SearchService(generated)
    with service.searcher() as searcher:
        pass
    assert service.searcher() is searcher
    assert searcher.doc_count() > 0  # still open
    assert isinstance(service.parse(searcher, "")[0], query.Every)


def test_cached_analyzer_highlights_exactly_like_the_text_analyzer(generated: Path) -> None:
    fast = SearchService(generated, cache_size=0)
    slow = SearchService(generated, cache_size=0)
    slow.analyzer = text_analyzer()
    texts = [h.answer for h in fast.search("camera", page_size=50).hits]
    texts += ["Almodóvar's “Rojo” — it's the colours, U.S. film-making 3.5 times!", ""]
    for q in ["camera", "story light", '"new film"', "almodovar colour", "the", "cam*"]:
        searcher = fast.searcher()
        words = fast.query_words(fast.parse(searcher, q)[0], searcher)
        for text in texts:
            for whole in (False, True):
                assert fast.highlight(text, words, whole) == slow.highlight(text, words, whole)
    tokens = [(t.text, t.pos) for t in fast.analyzer("The films of the year", positions=True)]
    assert tokens == [
        (t.text, t.pos) for t in text_analyzer()("The films of the year", positions=True)
    ]
