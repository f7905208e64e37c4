"""The query syntax help page: every example it shows finds exactly what it says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from indexer.indexing.generation import swap_in, write_index
from indexer.model import Article, Passage
from tests.conftest import qa
from webapp import create_app
from webapp.syntax import SECTIONS


def help_articles() -> list[Article]:
    """Invented interviews holding the examples' words, fields and years."""
    sorry = Article(
        id="sorry",
        source="sorry.txt",
        title="Filming an artist",
        publication="Cinema Without Borders",
        date="2012-07-01",
        films=["Ai Weiwei: Never Sorry"],
        directors=["Alison Klayman"],
        interviewers=["Bijan Tehrani"],
        interviewees=["Alison Klayman"],
        is_qa=True,
        passages=[
            Passage(anchor="intro", kind="intro", text="An artist, a camera and the internet."),
            qa(
                "q1",
                "Bijan Tehrani",
                "How did censorship of the internet shape the film?",
                ("Alison Klayman", "It made freedom of expression the subject."),
            ),
            qa(
                "q2",
                "Bijan Tehrani",
                "Was propaganda part of it?",
                ("Alison Klayman", "Propaganda was loud, and we filmed anyway."),
            ),
            qa(
                "q3",
                "Bijan Tehrani",
                "Did the censors see the footage?",
                ("Alison Klayman", "They censored the blog in China, never the footage."),
            ),
        ],
    )
    walking = Article(
        id="walking",
        source="walking.txt",
        title="Family by the sea",
        publication="Reel Notes",
        date="2008-05-02",
        films=["Still Walking"],
        directors=["Hirokazu Kore-eda"],
        interviewers=["Jonas Pike"],
        interviewees=["Hirokazu Kore-eda"],
        is_qa=True,
        passages=[
            qa(
                "q1",
                "Jonas Pike",
                "Is Koreeda a name you spell one way?",
                ("Hirokazu Kore-eda", "People write Kore eda too."),
            ),
            qa(
                "q2",
                "Jonas Pike",
                "Was there censorship in Japan?",
                ("Hirokazu Kore-eda", "No censorship then, but the internet came later."),
            ),
        ],
    )
    quiet = Article(
        id="quiet",
        source="quiet.txt",
        title="Censorship, quietly",
        publication="Reel Notes",
        date="2019-03-03",
        films=["Quiet Rooms"],
        is_qa=False,
        passages=[
            Passage(anchor="p1", kind="narrative", text="An office in China that reads scripts.")
        ],
    )
    for article in (sorry, walking, quiet):
        article.turns = [t for p in article.passages for t in p.turns]
    return [sorry, walking, quiet]


SORRY = {"sorry#intro", "sorry#q1", "sorry#q2", "sorry#q3"}
WALKING = {"walking#q1", "walking#q2"}
EVERY = SORRY | WALKING | {"quiet#p1"}
CHINA = {"sorry#q3", "quiet#p1"}
CENSORSHIP = {"sorry#q1", "walking#q2", "quiet#p1"}  # quiet: in its headline

# What each example on the page must find in the articles above.
EXPECTED: dict[str, set[str]] = {
    "censorship internet": {"sorry#q1", "walking#q2"},
    "censoring": {"sorry#q3"},  # censors, censored
    "Kore-eda": {"walking#q1"},  # Koreeda, Kore eda
    '"freedom of expression"': {"sorry#q1"},
    '"censorship internet"~3': {"sorry#q1", "walking#q2"},  # two words apart in walking
    "censorship OR propaganda": CENSORSHIP | {"sorry#q2"},
    "censorship AND internet": {"sorry#q1", "walking#q2"},
    "censorship -china": CENSORSHIP - CHINA,
    "censorship NOT china": CENSORSHIP - CHINA,
    "-china": EVERY - CHINA,
    "(censorship OR propaganda) -china": (CENSORSHIP | {"sorry#q2"}) - CHINA,
    "+censorship": CENSORSHIP,
    "speaker:klayman": {"sorry#q1", "sorry#q2", "sorry#q3"},
    "director:klayman": SORRY,
    'film:"never sorry"': SORRY,
    "film:(sorry OR walking)": SORRY | WALKING,
    "interviewer:tehrani": SORRY,
    'publication:"cinema without borders"': SORRY,
    "question:censorship": {"sorry#q1", "walking#q2"},
    "answer:censorship": {"walking#q2"},
    "title:censorship": {"quiet#p1"},
    "year:2012": SORRY,
    "year:2008-2012": SORRY | WALKING,
    "kind:intro": {"sorry#intro"},
    "censorship kind:qa": {"sorry#q1", "walking#q2"},
    "censor*": CENSORSHIP | {"sorry#q3"},
    "c?nsorship": CENSORSHIP,
    "censorship^2 OR propaganda": CENSORSHIP | {"sorry#q2"},
}


@pytest.fixture(scope="module")
def help_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    root: Path = tmp_path_factory.mktemp("help-index")
    generation = root / "gen-00000000000000000001"
    write_index(help_articles(), generation)
    swap_in(root, generation)
    yield create_app({"INDEX_DIR": str(root), "TESTING": True})


@pytest.fixture()
def help_client(help_app: Flask) -> FlaskClient:
    return help_app.test_client()


def found(client: FlaskClient, q: str) -> list[str]:
    """The passages a query finds, in rank order."""
    args = {"q": q, "group": "passage", "size": 50}
    data = client.get("/api/search", query_string=args).get_json()
    assert data["notice"] == "", q  # read as written, nothing repaired
    return [hit["pid"] for hit in data["results"]]


def test_every_example_on_the_page_is_held_to_what_it_finds() -> None:
    shown = [e.query for section in SECTIONS for e in section.examples]
    assert len(shown) == len(set(shown)) and set(shown) == set(EXPECTED)


@pytest.mark.parametrize("q", list(EXPECTED))
def test_example_finds_what_the_page_says(help_client: FlaskClient, q: str) -> None:
    assert set(found(help_client, q)) == EXPECTED[q]


def test_a_weight_ranks_the_weighed_word_higher(help_client: FlaskClient) -> None:
    plain = found(help_client, "censorship OR propaganda")
    weighed = found(help_client, "censorship^2 OR propaganda")
    # propaganda, rarer and said twice in one passage, leads unweighed; weighed, a
    # censorship answer comes before it
    assert plain[0] == "sorry#q2"
    assert weighed[0] == "walking#q2" and weighed.index("sorry#q2") == 1


def test_help_page_and_its_json_twin(help_client: FlaskClient) -> None:
    data = help_client.get("/api/help/search").get_json()
    examples = {e["query"]: e for s in data["sections"] for e in s["examples"]}
    assert {q: e["count"] for q, e in examples.items()} == {q: len(p) for q, p in EXPECTED.items()}
    assert examples["censor*"]["url"] == "/search?q=censor*"
    assert {"speaker", "film", "question", "year", "kind"} <= {f["name"] for f in data["fields"]}
    documented = help_client.get("/api/openapi.json").get_json()["paths"]["/api/help/search"]
    schema = documented["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]) == set(data)
    section = schema["properties"]["sections"]["items"]
    assert set(section["properties"]) == set(data["sections"][0])
    example = section["properties"]["examples"]["items"]["properties"]
    assert set(example) == set(data["sections"][0]["examples"][0])
    page = BeautifulSoup(help_client.get("/help/search").data, "html.parser")
    assert page.select_one('link[rel=alternate][type="application/json"]')["href"] == (
        "/api/help/search"
    )
    rows = page.select("table.syntax tbody tr")
    assert len(rows) == len(EXPECTED)
    first = rows[0]
    assert first.select_one("a")["href"] == "/search?q=censorship+internet"
    assert first.select_one(".count").get_text() == "2"


def test_help_is_linked_from_the_search_box_and_when_nothing_matches(
    help_client: FlaskClient,
) -> None:
    for url in ("/", "/a/sorry", "/films"):
        page = BeautifulSoup(help_client.get(url).data, "html.parser")
        assert page.select_one("form.searchbox a.syntax-link")["href"] == "/help/search"
    empty = BeautifulSoup(help_client.get("/search?q=zzzzqx").data, "html.parser")
    assert empty.select_one(".empty a.syntax-help")["href"] == "/help/search"
    some = BeautifulSoup(help_client.get("/search?q=censorship").data, "html.parser")
    assert some.select_one(".empty") is None


def test_a_phrase_slop_is_words_apart_in_order(help_client: FlaskClient) -> None:
    # walking#q2 reads "censorship then but internet": two words between
    assert set(found(help_client, '"censorship internet"~3')) == {"sorry#q1", "walking#q2"}
    assert found(help_client, '"censorship internet"~2') == ["sorry#q1"]
    assert found(help_client, '"internet censorship"~3') == []  # in this order only
