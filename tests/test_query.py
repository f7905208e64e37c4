"""Query syntax, repairs and spelling suggestions, through the JSON API and the search page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.indexing.generation import build_index
from webapp import create_app
from webapp.querytext import repair_query


def pids(client: FlaskClient, q: str) -> set[str]:
    data = client.get(
        "/api/search", query_string={"q": q, "size": 50, "group": "passage"}
    ).get_json()
    assert data["total"] == len(data["results"])
    return {r["pid"] for r in data["results"]}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # all words are required
        ("censorship night", {"lumen-interview#q1"}),
        ("censorship piano", set()),
        # exact phrases
        ('"broken piano"', {"lumen-interview#q2"}),
        ('"piano broken"', set()),
        # OR, -word, NOT
        ("piano OR red", {"lumen-interview#q2", "pedro-talk#q1"}),
        ("night -lighthouses", {"lumen-interview#q1", "velde-profile#p1"}),
        ("night NOT lighthouses", {"lumen-interview#q1", "velde-profile#p1"}),
        ("night AND NOT censorship", {"velde-profile#p1"}),
        (
            "film:(lumen OR rojo) -(night OR piano)",
            {"lumen-interview#intro", "pedro-talk#q1", "pedro-talk#q2"},
        ),
        # fields
        ("film:rojo", {"pedro-talk#q1", "pedro-talk#q2"}),
        ('film:"lumen years" piano', {"lumen-interview#q2"}),
        ("director:almodovar", {"pedro-talk#q1", "pedro-talk#q2"}),
        ("speaker:farrow", {"lumen-interview#q2"}),
        ('speaker:"mara velde"', {"lumen-interview#q1", "lumen-interview#q2"}),
        ("interviewer:pike censorship", {"lumen-interview#q1"}),
        ("publication:diario", {"pedro-talk#q1", "pedro-talk#q2"}),
        ('publication:"reel notes" night', {"lumen-interview#q1", "velde-profile#p1"}),
        ("year:2008", {"velde-profile#p1"}),
        ("year:2012-2019 censored", {"pedro-talk#q2"}),
        ("year:2008..2012 night", {"lumen-interview#q1", "velde-profile#p1"}),
        # prefixes, stemming and accent folding
        ("pian*", {"lumen-interview#q2"}),
        ("cens*", {"lumen-interview#q1", "pedro-talk#q2"}),
        ("filming", {"lumen-interview#intro", "lumen-interview#q1"}),  # film, filmed
        ("ALMODÓVAR memory", {"pedro-talk#q1"}),
    ],
)
def test_query_syntax(client: FlaskClient, q: str, expected: set[str]) -> None:
    assert pids(client, q) == expected


def test_syntax_slips_get_the_best_reading_and_a_notice(client: FlaskClient) -> None:
    data = client.get("/api/search", query_string={"q": '"broken piano'}).get_json()
    assert [r["pid"] for r in data["results"]] == ["lumen-interview#q2"]
    assert "unmatched quote" in data["notice"]
    data = client.get("/api/search", query_string={"q": "year:abc piano"}).get_json()
    assert data["total"] == 1 and "year:" in data["notice"]
    data = client.get("/api/search", query_string={"q": "((("}).get_json()
    assert data["total"] == 6 and "parenthesis" in data["notice"]
    assert client.get("/api/search?q=piano").get_json()["notice"] == ""
    page = BeautifulSoup(client.get("/?q=piano+OR").data, "html.parser")
    assert "dangling OR" in page.select_one(".notice").get_text()
    assert len(page.select("li.hit")) == 1


@pytest.mark.parametrize(
    ("q", "text", "notice"),
    [
        ("a AND NOT b", "a AND NOT b", ""),
        ("(a OR b", "(a OR b)", "an unmatched parenthesis"),
        ("a) b", "a b", "an unmatched parenthesis"),
        ("OR dog AND", "dog", "a dangling OR, a dangling AND"),
        ("(a OR) b", "(a) b", "a dangling OR"),
        ("title: x", "x", "title: without a value"),
        ("year:2008-2012", "year:[2008 TO 2012]", ""),
        ('film:"never sorry"', 'film:"never sorry"', ""),
        ("film:(lumen OR rojo) -(a OR b)", "film:(lumen OR rojo) NOT (a OR b)", ""),
        ("()AND a", "a", "a dangling AND"),
        ("x (NOT) y", "x y", "a dangling NOT"),
    ],
)
def test_repair_query(q: str, text: str, notice: str) -> None:
    repaired, message = repair_query(q)
    assert repaired == text
    assert (notice in message) if notice else message == ""


@pytest.mark.parametrize(
    ("q", "corrected"),
    [
        ("censorshp", "censorship"),
        ("broken pianp", "broken piano"),
        ("colour memroy", "colour memory"),
        ("speaker:farow", "speaker:farrow"),
        ("piano", None),
        ("pian*", None),
        ('"broken pianp"', None),  # phrases are left as typed
        ("piano 1999", None),  # and numbers
    ],
)
def test_did_you_mean(client: FlaskClient, q: str, corrected: str | None) -> None:
    data = client.get("/api/search", query_string={"q": q}).get_json()
    assert data["did_you_mean"] == corrected


def test_did_you_mean_is_a_link_that_finds_results(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/?q=broken+pianp&speaker=Ode+Farrow").data, "html.parser")
    link = page.select_one(".did-you-mean a")
    assert link.get_text() == "broken piano"
    assert "q=broken+piano" in link["href"] and "speaker=Ode+Farrow" in link["href"]
    followed = BeautifulSoup(client.get(link["href"]).data, "html.parser")
    assert len(followed.select("li.hit")) == 1
    assert followed.select_one(".did-you-mean") is None


def test_did_you_mean_on_the_bundled_corpus(tmp_path: Path) -> None:
    build_index(Path(__file__).parent.parent / "corpus", tmp_path / "index", jobs=1)
    client = create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True}).test_client()
    for q, corrected in [
        ("censorshp", "censorship"),
        ("klayman documentry", "klayman documentary"),
    ]:
        data = client.get("/api/search", query_string={"q": q}).get_json()
        assert data["total"] == 0 and data["did_you_mean"] == corrected
        again = client.get("/api/search", query_string={"q": corrected}).get_json()
        assert again["total"] > 0 and again["did_you_mean"] is None


PIECES = ["a", "b", " ", '"', "(", ")", "-", "+", "^2", "^", "~2", ":", "*", "AND", "OR", "NOT"]
PIECES += ["year:", "film:", "x:", "2019", "-2016"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_repaired_queries_are_balanced(q: str) -> None:
    text, notice = repair_query(q)
    assert text.count('"') % 2 == 0
    depth = 0
    for char in re.sub(r'"[^"]*"', "", text):  # brackets inside phrases are words
        depth += {"(": 1, ")": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    assert not text.startswith(("AND ", "OR ")) and not text.endswith((" AND", " OR", " NOT"))
    assert repair_query(text) == (text, "")  # a repaired query needs no more repair


@pytest.mark.parametrize(
    "q", ['2012(::-NOT:OR"', "NOT:OR(:-x:", "-NOT  ( NOT-*NOT", "year:-(", "()AND"]
)
def test_queries_the_parser_trips_on_still_get_an_answer(client: FlaskClient, q: str) -> None:
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 200
    assert response.get_json()["notice"]
