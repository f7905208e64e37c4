"""The same question, different answers: alike questions across interviews."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from whoosh import index as whoosh_index

from indexer.indexing import alike
from indexer.indexing.alike import (
    DIRECTORY,
    NEAREST,
    Nearest,
    Pairs,
    alike_pairs,
    common_cap,
    load_nearest,
    nearest,
    pairs,
)
from indexer.indexing.arrays import ARRAYS, load_arrays
from indexer.indexing.generation import passage_document, swap_in, write_arrays, write_index
from indexer.model import INTERVIEWER, Article, Passage, Turn
from tests.conftest import qa
from webapp import create_app
from webapp.search import SearchService


def interview(article_id: str, film: str, *passages: Passage) -> Article:
    who = f"{article_id.title()} Director"
    article = Article(
        id=article_id,
        source=f"{article_id}.txt",
        title=f"Talking about {film}",
        publication="Reel Notes",
        date="2015-01-01",
        films=[film],
        directors=[who],
        interviewers=["Jonas Pike"],
        interviewees=[who],
        is_qa=True,
        passages=list(passages),
    )
    article.turns = [t for p in article.passages for t in p.turns]
    return article


def asked(anchor: str, question: str, answer: str, who: str) -> Passage:
    return qa(anchor, "Jonas Pike", question, (who, answer))


def same_question_articles() -> list[Article]:
    """Invented interviews: one question three interviews ask, one two ask, and decoys."""
    return [
        interview(
            "harbour",
            "Harbour Lights",
            asked("q1", "Where did the idea for the film come from?", "A dream.", "Ann Lee"),
            asked("q2", "How long was the shoot in the harbour?", "Nine weeks.", "Ann Lee"),
            # the same question again in the same interview is never "elsewhere"
            asked(
                "q3",
                "Where did the idea for the film come from, again?",
                "Still a dream.",
                "Ann Lee",
            ),
            asked("q4", "And then?", "Then we edited.", "Ann Lee"),
        ),
        interview(
            "moons",
            "Paper Moons",
            asked("q1", "Where did the idea for Paper Moons come from?", "My aunt.", "Bo Tran"),
            asked("q2", "What music did you grow up with?", "Jazz records.", "Bo Tran"),
            asked("q3", "And then?", "Then we slept.", "Bo Tran"),
        ),
        interview(
            "glass",
            "Glass Rivers",
            asked("q1", "So where did the idea for your film come from?", "A newspaper.", "Cy Ode"),
            asked("q2", "How long was the shoot on the river?", "Three months.", "Cy Ode"),
            asked("q3", "Which lenses did you choose for the river scenes?", "Old ones.", "Cy Ode"),
        ),
        interview(
            "unanswered",
            "Quiet Rooms",
            Passage(
                anchor="q1",
                kind="qa",
                turns=[Turn("Jonas Pike", "PIKE", INTERVIEWER, "Where did the idea come from?")],
            ),
        ),
    ]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("same-question")
    generation = root / "gen-00000000000000000001"
    write_index(same_question_articles(), generation)
    write_arrays(generation)  # as the builder does: the alike questions are saved with them
    swap_in(root, generation)
    return root


def every_pair_sorted(
    found: Pairs, order: np.ndarray, article: np.ndarray
) -> tuple[dict[int, list[tuple[int, float]]], list[list[int]], list[int]]:
    """What a server worked out from every pair before the builder kept the nearest: each
    document's alike documents (most alike first, ties in reading order), the groups the
    pairs join (most interviews, then most passages, then the earliest first; members in
    reading order) and each group's document whose cosines sum highest (the first in
    reading order of equal sums), one Python step at a time."""
    near: dict[int, list[tuple[int, float]]] = {}
    parent: dict[int, int] = {}

    def root(d: int) -> int:
        while parent.setdefault(d, d) != d:
            d = parent[d]
        return d

    for a, b, cosine in zip(*(part.tolist() for part in found), strict=True):
        near.setdefault(a, []).append((b, cosine))
        near.setdefault(b, []).append((a, cosine))
        parent[root(a)] = root(b)
    for others in near.values():
        others.sort(key=lambda other: (-other[1], order[other[0]]))
    joined: dict[int, list[int]] = {}
    for docnum in sorted(near, key=lambda d: order[d]):
        joined.setdefault(root(docnum), []).append(docnum)
    groups = sorted(
        joined.values(), key=lambda g: (-len({int(article[d]) for d in g}), -len(g), order[g[0]])
    )
    central = [max(g, key=lambda d: sum(cosine for _, cosine in near[d])) for g in groups]
    return near, groups, central


def assert_nearest_is_every_pair_sorted(
    near: Nearest, found: Pairs, order: np.ndarray, article: np.ndarray
) -> None:
    every, groups, central = every_pair_sorted(found, order, article)
    size = len(near.starts) - 1
    for docnum in range(size):
        start, stop = int(near.starts[docnum]), int(near.starts[docnum + 1])
        kept = list(
            zip(near.targets[start:stop].tolist(), near.alike[start:stop].tolist(), strict=True)
        )
        assert kept == every.get(docnum, [])[:NEAREST], docnum
    bounds = near.bounds.tolist()
    assert [near.members[a:b].tolist() for a, b in zip(bounds, bounds[1:], strict=False)] == groups
    assert near.central.tolist() == central


def test_the_nearest_questions_kept_are_every_pair_sorted_at_start_up() -> None:
    rng = np.random.default_rng(5)
    sizes = ((1, 0, 1), (12, 20, 4), (40, 300, 4), (200, 600, 4), (30, 60, 1), (60, 400, 2))
    for size, count, cosines in sizes:
        every = [(a, b) for a in range(size) for b in range(a + 1, size)]
        candidates = np.array(every, dtype=np.int64).reshape(-1, 2)
        chosen = rng.choice(len(candidates), size=min(count, len(candidates)), replace=False)
        first, second = candidates[np.sort(chosen)].T  # in order, as `pairs` gives them
        # few distinct cosines: ties in the cosine, and in the sums of cosines
        alike = rng.choice([0.75, 0.5, 0.625, 1.0][:cosines], size=len(first))
        order = rng.permutation(size)
        article = rng.integers(0, max(1, size // 3), size)
        found = (first, second, alike)
        near = nearest(found, order, article, size)
        assert np.all(np.diff(near.starts) <= NEAREST)
        assert_nearest_is_every_pair_sorted(near, found, order, article)
        if count >= 300:  # some passages have more alike questions than are kept
            assert len(near.targets) < 2 * len(first)
    # cliques of equally alike questions: every member's cosines sum alike
    block = np.repeat(np.arange(8), [2, 3, 3, 4, 4, 6, 7, 7])
    first, second = np.triu_indices(len(block), k=1)
    same = block[first] == block[second]
    found = (first[same].astype(np.int64), second[same].astype(np.int64), np.full(same.sum(), 0.8))
    order = rng.permutation(len(block))
    article = rng.permutation(len(block))
    near = nearest(found, order, article, len(block))
    assert_nearest_is_every_pair_sorted(near, found, order, article)


def test_a_server_maps_the_nearest_questions_the_builder_kept(root: Path) -> None:
    generation = root / "gen-00000000000000000001"
    ix = whoosh_index.open_dir(str(generation))
    with ix.reader() as reader:
        arrays = load_arrays(generation, reader.doc_count_all())
        assert arrays is not None
        found = alike_pairs(reader, arrays.live, arrays.tier, arrays.article)
    ix.close()
    kept = load_nearest(generation / ARRAYS, arrays.size)
    assert kept is not None and isinstance(kept.starts, np.memmap)  # mapped, not read
    assert load_nearest(generation / ARRAYS, arrays.size + 1) is None  # another index
    assert len(found[0]) >= 4
    assert_nearest_is_every_pair_sorted(kept, found, arrays.order, arrays.article)


def test_a_server_compares_the_questions_itself_when_none_were_saved(
    root: Path, tmp_path: Path
) -> None:
    saved = root / "gen-00000000000000000001" / ARRAYS / DIRECTORY
    assert saved.is_dir()
    copy = tmp_path / "index"
    shutil.copytree(root, copy, symlinks=True)
    shutil.rmtree(copy / "gen-00000000000000000001" / ARRAYS / DIRECTORY)
    from_builder = SearchService(root).current().similar_questions()
    compared = SearchService(copy).current().similar_questions()
    assert isinstance(from_builder.near.targets, np.memmap)
    assert not isinstance(compared.near.targets, np.memmap)
    assert from_builder.groups() and from_builder.groups() == compared.groups()
    for part in ("starts", "targets", "alike", "members", "bounds", "central"):
        assert np.array_equal(getattr(from_builder.near, part), getattr(compared.near, part))


def test_question_words_are_read_as_whoosh_lists_them(tmp_path: Path) -> None:
    """Block-read postings, against Whoosh's own one posting at a time, over two segments
    with a deleted passage."""
    generation = tmp_path / "gen"
    write_index(same_question_articles(), generation)
    ix = whoosh_index.open_dir(str(generation))
    with ix.writer() as writer:
        writer.delete_by_term("article_id", "glass")
        writer.add_document(
            **passage_document(
                same_question_articles()[0],
                asked(
                    "late", "Where did the idea for the harbour come from?", "A dream.", "Ada Reyes"
                ),
                9,
            )
        )
    with ix.searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) == 2 and reader.has_deletions()
        eligible = np.ones(reader.doc_count_all(), dtype=bool)
        eligible[1] = False
        expected = set()
        for number, text in enumerate(reader.lexicon(alike.FIELD)):
            postings = reader.postings(alike.FIELD, text)
            for docnum, weight in postings.items_as("weight"):
                if eligible[docnum]:
                    expected.add((docnum, number, weight))
        docs, terms, freqs = alike.question_postings(reader, eligible)
        found = set(zip(docs.tolist(), terms.tolist(), freqs.tolist(), strict=True))
    ix.close()
    assert expected and found == expected


@pytest.fixture()
def same_app(root: Path) -> Iterator[Flask]:
    yield create_app({"INDEX_DIR": str(root), "TESTING": True})


@pytest.fixture()
def same_client(same_app: Flask) -> FlaskClient:
    return same_app.test_client()


def elsewhere(client: FlaskClient, article_id: str) -> dict[str, list[str]]:
    data = client.get(f"/api/articles/{article_id}").get_json()
    return {
        p["anchor"]: [f"{o['article_id']}#{o['anchor']}" for o in p["elsewhere"]]
        for p in data["passages"]
    }


def test_cosine_of_tf_idf_vectors() -> None:
    # documents 0 and 1 share both their words; 2 shares one word with each
    docs = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
    terms = np.array([0, 1, 2, 0, 1, 2, 2, 3, 4])
    freqs = np.ones(9)
    first, second, alike = pairs(docs, terms, freqs)
    found = {(int(a), int(b)): float(s) for a, b, s in zip(first, second, alike, strict=True)}
    assert found[(0, 1)] == pytest.approx(1.0)
    assert set(found) == {(0, 1), (0, 2), (1, 2)}
    assert found[(0, 2)] == pytest.approx(found[(1, 2)])
    assert 0 < found[(0, 2)] < 0.5
    # a document of fewer than three words is never compared
    first, _, _ = pairs(np.array([0, 0, 1, 1, 1]), np.array([0, 1, 0, 1, 2]), np.ones(5))
    assert len(first) == 0


def test_the_most_common_words_are_left_out_to_keep_within_the_pair_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    df = np.array([0, 1, 2, 3, 4, 10])  # pairs of questions per word: 0, 0, 1, 3, 6, 45
    assert common_cap(df, 50) == 50
    docs = np.repeat(np.arange(5), 3)
    terms = np.array([0, 1, 9, 0, 1, 9, 2, 3, 9, 2, 3, 9, 4, 5, 9])
    assert len(pairs(docs, terms, np.ones(15))[0]) == 10  # word 9 joins all 5: 10 pairs
    monkeypatch.setattr(alike, "PAIR_BUDGET", 10)
    assert common_cap(df, 50) == 9  # the word in 10 questions is left out
    monkeypatch.setattr(alike, "PAIR_BUDGET", 9)
    assert common_cap(df, 50) == 3
    monkeypatch.setattr(alike, "PAIR_BUDGET", 5)
    first, second, _ = pairs(docs, terms, np.ones(15))
    assert sorted(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 1), (2, 3)]


def test_each_passage_shows_other_interviews_answers_to_its_question(
    same_client: FlaskClient,
) -> None:
    harbour = elsewhere(same_client, "harbour")
    assert harbour["q1"] == ["glass#q1", "moons#q1"]  # most alike first; never harbour#q3
    assert harbour["q3"] == ["glass#q1"]
    assert harbour["q2"] == ["glass#q2"]
    assert harbour["q4"] == []  # "And then?" says too little to compare
    assert elsewhere(same_client, "glass")["q1"] == ["harbour#q1", "harbour#q3"]
    assert elsewhere(same_client, "moons") == {"q1": ["harbour#q1"], "q2": [], "q3": []}
    assert elsewhere(same_client, "unanswered")["q1"] == []  # nobody answers it
    data = same_client.get("/api/articles/moons").get_json()
    other = data["passages"][0]["elsewhere"][0]
    assert (other["answer"], other["answerers"]) == ("A dream.", ["Ann Lee"])
    assert other["permalink"] == "http://localhost/a/harbour#q1"
    assert 0.5 <= other["similarity"] <= 1


def test_the_panel_on_the_article_page(same_client: FlaskClient) -> None:
    page = BeautifulSoup(same_client.get("/a/harbour").data, "html.parser")
    panel = page.select_one("#q1 details.elsewhere")
    assert panel.select_one("summary").get_text() == "The same question in 2 other interviews"
    answers = [li.select_one(".answer").get_text(" ", strip=True) for li in panel.select("li")]
    assert answers == ["Cy Ode : A newspaper.", "Bo Tran : My aunt."]
    links = [a["href"] for a in panel.select("li .meta a")]
    assert links == ["/a/glass#q1", "/a/moons#q1"]
    assert page.select_one("#q4 details.elsewhere") is None
    glass = BeautifulSoup(same_client.get("/a/glass").data, "html.parser")
    summary = glass.select_one("#q1 details.elsewhere summary").get_text()
    assert summary == "The same question in 1 other interview"  # two answers, one interview


def test_most_asked_questions_with_their_answers(same_client: FlaskClient) -> None:
    data = same_client.get("/api/questions").get_json()
    assert data["total"] == 2
    idea, shoot = data["questions"]
    assert idea["interviews"] == 3
    assert [f"{p['article_id']}#{p['anchor']}" for p in idea["passages"]] == [
        "glass#q1",
        "harbour#q1",
        "harbour#q3",
        "moons#q1",
    ]
    assert "idea" in idea["question"]
    assert shoot["interviews"] == 2 and "shoot" in shoot["question"]
    page = BeautifulSoup(same_client.get("/questions").data, "html.parser")
    assert [h.get_text() for h in page.select(".asked h2")] == [
        idea["question"],
        shoot["question"],
    ]
    assert page.select_one('link[rel=alternate][type="application/json"]')["href"] == (
        "/api/questions"
    )
    assert page.select_one("nav.site-nav a[href='/questions']")


def test_computed_once_per_generation(root: Path, tmp_path: Path) -> None:
    service = SearchService(root)
    state = service.current()
    assert state.similar_questions() is state.similar_questions()
    newer = tmp_path / "index"
    first = newer / "gen-00000000000000000001"
    write_index(same_question_articles(), first)
    swap_in(newer, first)
    service = SearchService(newer)
    assert service.current().similar_questions().total == 2
    second = newer / "gen-00000000000000000002"
    write_index([a for a in same_question_articles() if a.id != "glass"], second)
    swap_in(newer, second)
    groups = service.current().similar_questions().groups()
    assert len(groups) == 1  # the shoot was only asked twice, once in glass
    service.close()


@pytest.mark.slow
def test_the_threshold_benchmark_reads_annotated_pages(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.similar_questions import main

    devset = Path(__file__).parent / "fixtures" / "devset"
    assert main([str(devset), "--show", "0.9"]) == 0
    out = capsys.readouterr().out
    pages = len(list(devset.glob("*.json")))
    assert re.search(rf"^\d+ answered questions in {pages} pages$", out, re.M)
    bands = [int(n) for n in re.findall(r"^cosine [\d.]+-[\d.]+: (\d+) pairs$", out, re.M)]
    kept = int(re.search(r"^at SIMILAR = 0\.5: (\d+) pairs$", out, re.M).group(1))
    assert len(bands) == 8 and 0 < kept == sum(bands[3:])
    shown = re.findall(r"^(\d\.\d\d) \S+#\w+ \| \S+#\w+$", out, re.M)
    assert shown and all(float(s) >= 0.9 for s in shown)


def test_two_questions_sharing_one_stem_are_not_the_same_question(tmp_path: Path) -> None:
    # "inspir" carries both: a cosine past SIMILAR on one word alone
    one_stem = (
        "Inspired? Inspiring? What inspires your cinema?",
        "Inspiration: which painters inspired you and inspire you now?",
    )
    articles = [
        *same_question_articles(),
        interview("ink", "Ink Tides", asked("q1", one_stem[0], "My mother.", "Ida Ink")),
        interview("salt", "Salt Roads", asked("q1", one_stem[1], "Old maps.", "Sal Road")),
    ]
    root = tmp_path / "index"
    generation = root / "gen-00000000000000000001"
    write_index(articles, generation)
    write_arrays(generation)
    swap_in(root, generation)
    client = create_app({"INDEX_DIR": str(root), "TESTING": True}).test_client()
    asked_in = [
        {p["article_id"] for p in group["passages"]}
        for group in client.get("/api/questions").get_json()["questions"]
    ]
    assert {"glass", "harbour", "moons"} in asked_in  # the same question still is
    assert not any({"ink", "salt"} & ids for ids in asked_in)
    assert elsewhere(client, "ink") == {"q1": []} and elsewhere(client, "salt") == {"q1": []}
    page = client.get("/questions").get_data(as_text=True)
    assert "Inspired?" not in page and "Inspiration:" not in page


def test_pairs_can_ask_for_more_than_one_shared_word() -> None:
    # 0 and 1 share only word 0, said three times each; 0 and 2 share words 0 and 1
    docs = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
    terms = np.array([0, 1, 2, 0, 3, 4, 0, 1, 5])
    freqs = np.array([3.0, 1, 1, 3, 1, 1, 1, 1, 1])
    first, second, _ = pairs(docs, terms, freqs)
    assert (0, 1) in set(zip(first.tolist(), second.tolist(), strict=True))
    first, second, _ = pairs(docs, terms, freqs, words=2)
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 2)]


def test_questions_sharing_all_their_content_words_pair_even_with_one() -> None:
    # 0 and 1 are "what's next?" twice (content word 1 only; word 0 is a function word);
    # 2 shares that one content word with them among others of its own
    docs = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
    terms = np.array([0, 1, 2, 0, 1, 2, 0, 1, 3])
    freqs = np.ones(9)
    content = np.array([False, True, False, True])
    first, second, _ = pairs(docs, terms, freqs, words=2, content=content)
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 1)]
