"""One interview saved twice is counted once: near-duplicate articles across files.

`tests/fixtures/copies` holds an invented interview (`salt-meridian`), a reprint of it
under another name and outlet with another introduction and a respelled word
(`a-reprint`, arrived later), and another interview that quotes one whole answer of the
first (`paper-lanterns`), which is a different interview.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from indexer.cli import cli
from indexer.indexing.arrays import ARRAYS, load_arrays
from indexer.indexing.copies import (
    FILE,
    PERMUTATIONS,
    SAME,
    Sketched,
    copy_groups,
    load_copies,
    shingles,
    sketch_of,
)
from indexer.indexing.generation import build_index
from indexer.indexing.manifest import load_manifest
from indexer.schema import current_generation
from tests.oracle import Oracle, Phrase, Word
from tests.test_oracle import check
from webapp import create_app
from webapp.search import SearchService

FIXTURES = Path(__file__).parent / "fixtures" / "copies"
REPRINT = ("a-reprint.txt", "a-reprint.meta.json")
# Every JSON twin whose counts a second copy could change.
PAGES = [
    "/api/search?q=",
    "/api/search?q=lighthouse",
    "/api/search?q=lighthouse&group=passage",
    "/api/search?q=film&sort=newest",
    "/api/search?q=Tova&publication=Harbour+Review",
    "/api/search?q=where+idea",
    "/api/home",
    "/api/questions",
    "/api/films",
    "/api/people",
    "/api/people/Tova%20Lindqvist",
    "/api/films/Salt%20Meridian",
    "/api/articles/paper-lanterns",
    "/api/suggest?q=ligh",
    "/api/search.jsonl?q=foghorns",
]


def corpus_of(tmp_path: Path, reprint: bool = True) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    if not reprint:
        for name in REPRINT:
            (corpus / name).unlink()
    return corpus


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The collection indexed with the reprint ("twice") and without it ("once")."""
    found = {}
    for name, reprint in (("twice", True), ("once", False)):
        where = tmp_path_factory.mktemp(name)
        build_index(corpus_of(where, reprint), where / "index", jobs=1)
        found[name] = where / "index"
    return found


def client_of(root: Path) -> FlaskClient:
    return create_app({"INDEX_DIR": str(root), "TESTING": True}).test_client()


@pytest.fixture(scope="module")
def twice(roots: dict[str, Path]) -> FlaskClient:
    return client_of(roots["twice"])


def get_json(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    if url.startswith("/api/search.jsonl"):
        return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    return response.get_json()


@pytest.mark.parametrize("url", PAGES)
def test_every_json_twin_counts_the_interview_once(roots: dict[str, Path], url: str) -> None:
    """With the reprint, every count, list and score is what it is without it."""
    once, twice = client_of(roots["once"]), client_of(roots["twice"])
    assert get_json(twice, url) == get_json(once, url)


@pytest.mark.parametrize(
    "url",
    ["/", "/search?q=lighthouse", "/search?q=film&group=passage", "/questions", "/search.atom?q="],
)
def test_every_page_counts_the_interview_once(roots: dict[str, Path], url: str) -> None:
    once, twice = client_of(roots["once"]), client_of(roots["twice"])
    page = twice.get(url).get_data(as_text=True)
    assert page == once.get(url).get_data(as_text=True)
    assert "/a/a-reprint" not in page and "Northern Screen Digest" not in page


def test_the_counts_are_those_of_one_copy(twice: FlaskClient) -> None:
    home = get_json(twice, "/api/home")
    assert home["counts"]["interviews"] == 2 and home["counts"]["outlets"] == 2
    assert home["counts"]["passages"] == 12
    found = get_json(twice, "/api/search?q=foghorns&group=passage")
    assert found["total"] == 1 and found["results"][0]["article_id"] == "salt-meridian"
    publications = {f["value"]: f["count"] for f in found["facets"]["publication"]}
    assert publications == {"Harbour Review": 1}
    assert get_json(twice, "/api/search?q=&publication=Northern+Screen+Digest")["total"] == 0


def test_the_same_question_is_asked_in_two_interviews_not_three(twice: FlaskClient) -> None:
    asked = get_json(twice, "/api/questions")
    idea = next(q for q in asked["questions"] if "idea" in q["question"])
    assert idea["interviews"] == 2
    assert {p["article_id"] for p in idea["passages"]} == {"salt-meridian", "paper-lanterns"}
    lanterns = get_json(twice, "/api/articles/paper-lanterns")
    elsewhere = {e["article_id"] for p in lanterns["passages"] for e in p["elsewhere"]}
    assert elsewhere == {"salt-meridian"}


def test_the_copies_are_linked(twice: FlaskClient) -> None:
    counted = get_json(twice, "/api/articles/salt-meridian")
    reprint = get_json(twice, "/api/articles/a-reprint")
    assert counted["counted"] is True and reprint["counted"] is False
    assert [(c["id"], c["counted"]) for c in counted["copies"]] == [("a-reprint", False)]
    assert [(c["id"], c["counted"]) for c in reprint["copies"]] == [("salt-meridian", True)]
    assert reprint["copies"][0]["publication"] == "Harbour Review"
    assert reprint["copies"][0]["source"] == "salt-meridian.txt"
    assert len(reprint["passages"]) == 6  # its page still shows the whole interview
    page = twice.get("/a/a-reprint").get_data(as_text=True)
    assert 'href="/a/salt-meridian"' in page and "left out of searches" in page
    page = twice.get("/a/salt-meridian").get_data(as_text=True)
    assert 'href="/a/a-reprint"' in page and "Also saved as" in page


def test_interviews_sharing_a_paragraph_are_not_merged(twice: FlaskClient) -> None:
    lanterns = get_json(twice, "/api/articles/paper-lanterns")
    assert lanterns["counted"] is True and lanterns["copies"] == []
    quoted = get_json(twice, '/api/search?q="eleven+days"&group=passage')
    assert {r["article_id"] for r in quoted["results"]} == {"salt-meridian", "paper-lanterns"}
    assert "Also saved as" not in twice.get("/a/paper-lanterns").get_data(as_text=True)


def test_the_engine_equals_the_oracle_which_knows_the_rule(roots: dict[str, Path]) -> None:
    service = SearchService(roots["twice"], cache_size=0)
    oracle = Oracle(service.searcher())
    assert oracle.copies == {"a-reprint"}
    assert {p.key[0] for p in oracle.passages} == {"salt-meridian", "paper-lanterns"}
    nodes = [None, Word("lighthouse"), Word("film"), Phrase(["eleven", "days"]), Word("camera")]
    for node in nodes:
        for sort in ("relevance", "newest"):
            check(service, oracle, node, {}, sort)
    check(service, oracle, Word("idea"), {"publication": ["Harbour Review"]}, "relevance")


def test_the_earliest_copy_is_counted_then_the_first_path() -> None:
    text = "one two three four five six seven eight nine ten"
    entries = [
        Sketched("late", 20, "a.txt", sketch_of(text)),
        Sketched("early", 10, "z.txt", sketch_of(text + " eleven")),
        Sketched("other", 5, "b.txt", sketch_of("a different interview about something else")),
        Sketched("tie-b", 30, "b/x.txt", sketch_of("alpha beta gamma delta epsilon zeta eta")),
        Sketched("tie-a", 30, "a/x.txt", sketch_of("alpha beta gamma delta epsilon zeta eta")),
        Sketched("wordless", 1, "0.txt", sketch_of("... !")),
    ]
    assert copy_groups(entries) == [["early", "late"], ["tie-a", "tie-b"]]
    assert copy_groups(list(reversed(entries))) == copy_groups(entries)


def test_shingles_are_runs_of_words() -> None:
    assert len(shingles("One two, three! four five six")) == 2
    assert len(shingles("ONE two three four five six")) == 2
    assert np.array_equal(
        shingles("one two three four five six"), shingles("One TWO three four five six")
    )
    assert len(shingles("short text")) == 1 and len(shingles("")) == 0
    assert sketch_of("... !") == b"" and len(sketch_of("short text")) == 8 * PERMUTATIONS
    assert 0.5 <= SAME < 0.9


def copies_and_live(root: Path) -> tuple[list[list[str]], set[str]]:
    """The saved groups and the live passages (by id) of the index at `root`."""
    generation = current_generation(root)
    assert generation is not None
    service = SearchService(root, cache_size=0)
    searcher = service.searcher()
    arrays = load_arrays(generation, searcher.doc_count_all())
    assert arrays is not None
    live = {searcher.stored_fields(int(d))["pid"] for d in np.flatnonzero(arrays.live)}
    return load_copies(generation / ARRAYS), live


def test_update_gives_what_a_full_rebuild_gives(tmp_path: Path) -> None:
    corpus = corpus_of(tmp_path, reprint=False)
    updated, full = tmp_path / "updated", tmp_path / "full"
    build_index(corpus, updated, jobs=1)
    for name in REPRINT:  # the reprint arrives
        shutil.copy(FIXTURES / name, corpus / name)
    report = build_index(corpus, updated, jobs=1, update=True)
    assert report.mode == "update" and report.parsed == 1
    manifest = load_manifest(current_generation(updated))
    assert manifest is not None  # every file's sketch is kept for the next update
    assert {len(f.sketch or b"") for f in manifest.files.values()} == {8 * PERMUTATIONS}
    build_index(corpus, full, jobs=1)
    found = copies_and_live(updated)
    assert found == copies_and_live(full)
    assert found[0] == [["salt-meridian", "a-reprint"]]
    assert not any(pid.startswith("a-reprint#") for pid in found[1])
    generation = current_generation(updated)
    assert generation is not None and (generation / ARRAYS / FILE).is_file()
    for url in PAGES:
        assert get_json(client_of(updated), url) == get_json(client_of(full), url), url

    # the counted copy is removed: the reprint is counted now, as a rebuild counts it
    (corpus / "salt-meridian.txt").unlink()
    (corpus / "salt-meridian.meta.json").unlink()
    build_index(corpus, updated, jobs=1, update=True)
    shutil.rmtree(full)
    build_index(corpus, full, jobs=1)
    found = copies_and_live(updated)
    assert found == copies_and_live(full)
    assert found[0] == [] and any(pid.startswith("a-reprint#") for pid in found[1])
    reprint = get_json(client_of(updated), "/api/articles/a-reprint")
    assert reprint["counted"] is True and reprint["copies"] == []


def test_the_rebuild_names_the_copies(tmp_path: Path) -> None:
    corpus = corpus_of(tmp_path)
    args = ["index", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--jobs", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Indexed 18 passages from 3 articles" in result.output
    assert "Counted once: 1 interview(s) saved more than once" in result.output
    assert "  salt-meridian.txt, also saved as a-reprint.txt\n" in result.output


def test_the_api_description_names_the_copies_fields(twice: FlaskClient) -> None:
    doc = get_json(twice, "/api/openapi.json")
    get = doc["paths"]["/api/articles/{article_id}"]["get"]
    article = get["responses"]["200"]["content"]["application/json"]["schema"]
    reprint = get_json(twice, "/api/articles/a-reprint")
    assert {"counted", "copies"} <= set(article["properties"])
    copy = article["properties"]["copies"]["items"]
    assert set(copy["properties"]) == set(reprint["copies"][0])


def test_the_bundled_interview_and_its_reprint_are_one(tmp_path: Path) -> None:
    bundled = Path(__file__).parent.parent / "corpus" / "ai-weiwei-never-sorry.txt"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(bundled, corpus / bundled.name)
    shutil.copy(bundled.with_suffix(".meta.json"), corpus / "ai-weiwei-never-sorry.meta.json")
    text = bundled.read_text(encoding="utf-8")
    reprint = "Reprinted with permission from Cinema Without Borders.\n\n" + text
    (corpus / "reprints" / "never-sorry-klayman.txt").parent.mkdir()
    (corpus / "reprints" / "never-sorry-klayman.txt").write_text(reprint, encoding="utf-8")
    sidecar = {"publication": "Weekly Frame", "url": "https://weekly-frame.example/klayman"}
    (corpus / "reprints" / "never-sorry-klayman.meta.json").write_text(json.dumps(sidecar))
    report = build_index(corpus, tmp_path / "index", jobs=1)
    assert report.articles == 2
    assert report.copies == [["ai-weiwei-never-sorry.txt", "reprints/never-sorry-klayman.txt"]]
    client = client_of(tmp_path / "index")
    home = get_json(client, "/api/home")
    assert home["counts"]["interviews"] == 1 and home["counts"]["outlets"] == 1
    data = get_json(client, "/api/articles/reprints-never-sorry-klayman")
    assert data["counted"] is False and data["copies"][0]["id"] == "ai-weiwei-never-sorry"
