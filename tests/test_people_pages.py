"""A person page for every role: directors who never speak, interviewers, other spellings."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from indexer.indexing.generation import swap_in, write_index
from indexer.model import Article, Passage
from tests.conftest import qa
from webapp import create_app


def articles() -> list[Article]:
    """A director discussed but never quoted, and one name written two ways."""
    about = Article(
        id="herz-essay",
        source="herz-essay.txt",
        title="On the films of Wendel Herz",
        publication="Frame",
        date="2016-07-09",
        films=["Stone River"],
        directors=["Wendel Herz"],
        interviewers=["Ana Ruiz"],
        interviewees=["Lio Tamm"],
        is_qa=True,
        passages=[
            Passage(anchor="intro", kind="intro", text="Herz never gives interviews."),
            qa("q1", "Ana Ruiz", "Did Herz direct you?", ("Lio Tamm", "He barely spoke.")),
        ],
    )
    first = Article(
        id="koreeda-1",
        source="koreeda-1.txt",
        title="Family ties",
        publication="Frame",
        date="2018-05-01",
        films=["Shoplifters"],
        directors=["Hirokazu Kore-eda"],
        interviewers=["Ana Ruiz"],
        interviewees=["Hirokazu Kore-eda"],
        is_qa=True,
        passages=[qa("q1", "Ana Ruiz", "Why families?", ("Hirokazu Kore-eda", "They fight."))],
    )
    second = Article(
        id="koreeda-2",
        source="koreeda-2.txt",
        title="After the storm",
        publication="Reel Notes",
        date="2016-05-01",
        films=["After the Storm"],
        directors=["Hirokazu Koreeda"],
        interviewers=["Max Ode"],
        interviewees=["Hirokazu Koreeda"],
        is_qa=True,
        passages=[qa("q1", "Max Ode", "And rain?", ("Hirokazu Koreeda", "Rain is a gift."))],
    )
    found = [about, first, second]
    for article in found:
        article.turns = [t for p in article.passages for t in p.turns]
    return found


@pytest.fixture(scope="module")
def people_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    root: Path = tmp_path_factory.mktemp("people")
    write_index(articles(), root / "gen-1")
    swap_in(root, root / "gen-1")
    return create_app({"INDEX_DIR": str(root), "TESTING": True}).test_client()


def test_a_director_who_never_speaks_has_a_page(people_client: FlaskClient) -> None:
    response = people_client.get("/api/people/Wendel Herz")
    assert response.status_code == 200
    data = response.get_json()
    assert (data["roles"], data["passages"], data["films"]) == ({"director": 1}, 0, ["Stone River"])
    assert data["search_url"] == "/search?director=Wendel+Herz"
    assert [a["id"] for a in data["appearances"]] == ["herz-essay"]
    page = BeautifulSoup(people_client.get("/people/wendel herz").data, "html.parser")
    assert page.select_one("h1").get_text() == "Wendel Herz"
    summary = " ".join(page.select_one(".summary").get_text().split())
    assert summary == "Director in 1 interview (2016). Search these interviews"
    assert page.select_one('ul.films a[href="/films/Stone%20River"]') is not None


def test_dir_is_a_link_to_the_person(people_client: FlaskClient) -> None:
    for url in ("/search?q=herz&group=passage", "/a/herz-essay", "/films/Stone River"):
        page = BeautifulSoup(people_client.get(url).data, "html.parser")
        link = page.select_one('a[href="/people/Wendel%20Herz"]')
        assert link is not None and link.get_text() == "Wendel Herz", url
        assert people_client.get(link["href"]).status_code == 200


def test_an_interviewer_has_a_page_with_their_interviews(people_client: FlaskClient) -> None:
    data = people_client.get("/api/people/Ana Ruiz").get_json()
    assert data["roles"] == {"interviewer": 2}
    assert [(a["id"], a["roles"]) for a in data["appearances"]] == [
        ("koreeda-1", ["interviewer"]),
        ("herz-essay", ["interviewer"]),
    ]
    assert data["years"] == "2016–2018"


def test_other_spellings_are_one_person(people_client: FlaskClient) -> None:
    people = people_client.get("/api/people").get_json()
    assert [e["name"] for e in people["entries"] if "Hirokazu" in e["name"]] == [
        "Hirokazu Kore-eda"
    ]
    data = people_client.get("/api/people/Hirokazu Koreeda").get_json()
    assert data["name"] == "Hirokazu Kore-eda" and data["spellings"] == ["Hirokazu Koreeda"]
    assert data["films"] == ["After the Storm", "Shoplifters"]
    assert data["roles"] == {"director": 2, "interviewee": 2}
    assert sorted(a["id"] for a in data["articles"]) == ["koreeda-1", "koreeda-2"]
    found = people_client.get("/api/people?filter=koreeda").get_json()["entries"]
    assert [e["name"] for e in found] == ["Hirokazu Kore-eda"]


def test_a_name_typed_without_its_hyphen_leads_to_the_person(people_client: FlaskClient) -> None:
    data = people_client.get("/api/search?q=xyzzy+korееda").get_json()
    assert data["total"] == 0
    data = people_client.get("/api/search?q=koreda").get_json()
    assert data["total"] == 0
    assert data["closest"][0] == {
        "kind": "people",
        "name": "Hirokazu Kore-eda",
        "url": "/people/Hirokazu%20Kore-eda",
    }
    page = BeautifulSoup(people_client.get("/search?q=koreda").data, "html.parser")
    assert page.select_one("ul.closest a")["href"] == "/people/Hirokazu%20Kore-eda"
    assert people_client.get("/api/search?q=stone+rivr").get_json()["closest"][0]["name"] == (
        "Stone River"
    )


def test_stop_words_are_named_when_nothing_matches(people_client: FlaskClient) -> None:
    data = people_client.get("/api/search?q=the+of").get_json()
    assert (data["total"], data["stop_words"]) == (0, ["the", "of"])
    page = BeautifulSoup(people_client.get("/search?q=the").data, "html.parser")
    assert "“the” is a stop word" in page.select_one(".stop-words").get_text()
    assert people_client.get("/api/search?q=rain").get_json()["stop_words"] == []
