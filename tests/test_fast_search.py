"""The search on a real generated index (two segments) against the oracle and per-document
facet counting; the result cache, the shared searcher and the cached analyzer."""

from __future__ import annotations

import random
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from whoosh import query
from whoosh.analysis import RegexTokenizer

from benchmarks.generate import generate
from benchmarks.queries import Search, query_mix
from indexer.indexing import generation as build
from indexer.indexing.generation import build_index, swap_in
from indexer.schema import FACETS, facet_term, text_analyzer
from tests.oracle import And, Node, Not, Or, Oracle, Phrase, Prefix, Word, Year
from tests.test_oracle import check
from webapp import serving
from webapp.highlighting import Highlighter, query_words
from webapp.marking import TOKENS, WHOOSH_TOKENS, CachedWordAnalyzer
from webapp.search import SearchService, facet_query


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


def tree(search: Search) -> Node | None:
    """A query of the benchmark's mix as the oracle's query tree."""
    if search.op == "all":
        return None
    if search.op == "or":
        return Or([Word(t) for t in search.terms])
    if search.op == "phrase":
        return Phrase(list(search.terms))
    if search.op == "prefix":
        return Prefix(search.terms[0])
    if search.op == "field":
        return Word(search.terms[0], search.field)
    return And([Word(t) for t in search.terms]) if len(search.terms) > 1 else Word(search.terms[0])


EXTRA: list[Node] = [
    And([Word("camera"), Not(Word("film"))]),
    And([Word("story"), Not(Word("camera"), "-")]),
    And([Word("camera"), Or([Word("story"), Word("light")])]),
    And([Phrase(["new", "film"]), Word("camera")]),
    Word("camera", "title"),
    Year(1990, 2000),
    And([Prefix("cam"), Word("story")]),
    Word("lighthouse"),
    Word("zzzz"),
    Not(Word("film"), "-"),
    And([Phrase(["new", "film"]), Year(1965, 2025)]),
    And([Word("camera"), Not(Word("story"), "-"), Year(1990, 2010)]),
]


def test_query_mix_equals_the_oracle(generated: Path) -> None:
    service = SearchService(generated, cache_size=0)
    oracle = Oracle(service.searcher())
    for search in query_mix():
        for sort in ("relevance", "newest"):
            check(service, oracle, tree(search), search.filters, sort)
    for node in EXTRA:
        check(service, oracle, node, {}, "relevance")
        check(service, oracle, node, {}, "oldest")


def reference_facets(
    service: SearchService, q: str, filters: dict[str, list[str]]
) -> dict[str, list[tuple[str, int, bool]]]:
    """Disjunctive counts by iterating every matched passage's stored values."""
    searcher = service.searcher()
    parsed, _ = service.parse(q)
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


def test_repeated_query_is_cached_per_generation(generated: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    shutil.copytree(generated, root, symlinks=True)
    service = SearchService(root)
    first = service.search("camera", {"year": ["1999"]})
    with pytest.MonkeyPatch.context() as patch:
        # a cache hit neither parses nor matches: the one matching step fails if called
        patch.setattr("webapp.search.match", None)
        again = service.search("  camera ", {"year": ["1999"]})
    assert again.hits == first.hits and again.facets == first.facets
    assert again.q == "  camera "
    assert len(service.current().cache) == 1
    # a rebuild swaps in a new generation: the service follows it with a fresh cache
    build_index(generated.parent / "corpus", root, jobs=1)
    after = service.search("camera", {"year": ["1999"]})
    assert after.total == first.total
    assert len(service.current().cache) == 1
    assert service.generation != generated.joinpath("current").resolve().name


def test_the_current_link_unchanged_is_read_once_per_search(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While `current` names the generation served, a search reads the link and nothing
    else to know it; a link naming another generation is followed at once."""
    root = tmp_path / "index"
    shutil.copytree(generated, root, symlinks=True)
    service = SearchService(root, cache_size=0)
    served = service.current()
    looks = []
    resolve = serving.current_generation
    monkeypatch.setattr(serving, "current_generation", lambda r: looks.append(r) or resolve(r))
    assert service.current() is served and service.search("camera").total
    assert looks == []
    copy = root / "gen-99999999999999999999"
    shutil.copytree(served.path, copy)
    swap_in(root, copy)
    assert service.current().path == copy
    assert looks and service.current() is service.current()
    assert service.search("camera").total == SearchService(generated).search("camera").total


def test_index_has_several_segments(generated: Path) -> None:
    searcher = SearchService(generated).searcher()
    assert len(searcher.leaf_searchers()) > 1


def test_searcher_is_reused_and_not_closed_by_with(generated: Path) -> None:
    service = SearchService(generated)
    with service.searcher() as searcher:
        pass
    assert service.searcher() is searcher
    assert searcher.doc_count() > 0  # still open
    assert isinstance(service.parse("")[0], query.Every)


def test_cached_analyzer_highlights_exactly_like_the_text_analyzer(generated: Path) -> None:
    service = SearchService(generated, cache_size=0)
    fast, slow = Highlighter(), Highlighter(text_analyzer())
    texts = [h.answer for h in service.search("camera", page_size=50).hits]
    texts += ["Almodóvar's “Rojo” — it's the colours, U.S. film-making 3.5 times!", ""]
    for q in ["camera", "story light", '"new film"', "almodovar colour", "the", "cam*"]:
        words = query_words(service.parse(q)[0], service.searcher())
        for text in texts:
            for whole in (False, True):
                assert fast.highlight(text, words, whole) == slow.highlight(text, words, whole)
    tokens = [(t.text, t.pos) for t in fast.analyzer("The films of the year", positions=True)]
    assert tokens == [
        (t.text, t.pos) for t in text_analyzer()("The films of the year", positions=True)
    ]


def test_the_quicker_token_pattern_finds_whoosh_tokens() -> None:
    """Highlighting tokenises with TOKENS, which must find the tokens Whoosh's own pattern
    finds, in the same places."""
    assert RegexTokenizer().expression.pattern == WHOOSH_TOKENS
    whoosh, quick = re.compile(WHOOSH_TOKENS, re.UNICODE), re.compile(TOKENS, re.UNICODE)
    rng = random.Random(3)
    pieces = ["a", "bc", "3", ".", "..", "*", " ", "-", "é", "ß", "_", "’", "\n", "U.S.", "x.y.z"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        found = [m.span() for m in whoosh.finditer(text)]
        assert [m.span() for m in quick.finditer(text)] == found, text
        assert quick.findall(text) == [text[a:b] for a, b in found], text
    # spans from one split of the text, against a match at a time
    analyzer = CachedWordAnalyzer(text_analyzer())
    texts += ["Almodóvar's “Rojo” — it's the colours, U.S. film-making 3.5 times!", ""]
    for text in texts:
        assert analyzer.spans(text) == analyzer._spans(text), text


@pytest.mark.parametrize(
    "q",
    [
        '"new film" year:1965-2025',
        "camera -story year:1990-2010",
        "+camera story",
        "kind:qa camera",
        "(camera OR story)^2 year:1970-2025",
    ],
)
def test_every_shape_pages_exactly(generated: Path, q: str) -> None:
    """Shapes that once went to Whoosh's searcher lost and repeated hits across pages."""
    service = SearchService(generated, cache_size=0)
    first = service.search(q)
    assert first.total > 10, q
    pids = [h.pid for n in range(1, first.pages + 1) for h in service.search(q, page=n).hits]
    assert len(pids) == len(set(pids)) == first.total, q
    if "-story" in q:
        analyzer = text_analyzer()
        for n in range(1, first.pages + 1):
            for hit in service.search(q, page=n).hits:
                text = f"{hit.title} {hit.question} {hit.answer}"
                assert "stori" not in {t.text for t in analyzer(text)}, hit.pid
