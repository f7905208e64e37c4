"""The fast search path gives what Whoosh and per-document counting give, on a real index."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from whoosh import query

from benchmarks.generate import generate
from benchmarks.queries import query_mix
from indexer.build import build_index
from indexer.schema import FACETS, facet_term
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
    """About 700 generated passages, parsed and indexed by the real pipeline."""
    root = tmp_path_factory.mktemp("generated")
    list(generate(root / "corpus", 600))
    build_index(root / "corpus", root / "index", jobs=1)
    return root / "index"


def queries() -> list[str]:
    return [s.q for s in query_mix() if s.q] + EXTRA_QUERIES


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
        expected = sorted(searcher.docs_for_query(parsed))
        assert mask.nonzero()[0].tolist() == expected, q
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


def test_searcher_is_reused_and_not_closed_by_with(generated: Path) -> None:
    service = SearchService(generated)
    with service.searcher() as searcher:
        pass
    assert service.searcher() is searcher
    assert searcher.doc_count() > 0  # still open
    assert isinstance(service.parse(searcher, "")[0], query.Every)
