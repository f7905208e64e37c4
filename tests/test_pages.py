"""Search page details: facet "show more" and value search, chips, result cards, article tools."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app


@pytest.fixture()
def short_facets(index_root) -> FlaskClient:
    app: Flask = create_app({"INDEX_DIR": str(index_root), "TESTING": True, "FACET_LIMIT": 2})
    return app.test_client()


def soup(client: FlaskClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.data, "html.parser")


def values(page: BeautifulSoup, facet: str) -> list[str]:
    return [v.get_text() for v in page.select(f"#facet-{facet} .value")]


def test_long_facets_show_top_values_and_more(short_facets: FlaskClient) -> None:
    page = soup(short_facets, "/?q=&speaker=Ode+Farrow")
    # the top two, plus the selected value even though it ranks lower
    assert values(page, "speaker") == ["Cine Diario", "Inés Almodóvar", "Ode Farrow"]
    more = page.select_one("#facet-speaker a.more")
    assert more.get_text() == "Show more"
    assert parse_qs(urlsplit(more["href"]).query) == {
        "more": ["speaker"],
        "speaker": ["Ode Farrow"],
    }
    assert page.select_one("#facet-film a.more") is None  # two films: nothing hidden
    expanded = soup(short_facets, more["href"])
    assert len(values(expanded, "speaker")) == 5
    assert expanded.select_one("#facet-speaker a.more").get_text() == "Show fewer"
    # the same search, asked first with the usual limit, then with every value
    assert short_facets.get("/api/search").get_json()["facets_more"]["speaker"] is True
    data = short_facets.get("/api/search?more=speaker").get_json()
    assert len(data["facets"]["speaker"]) == 5 and data["facets_more"]["speaker"] is False


def test_search_within_a_facets_values(short_facets: FlaskClient) -> None:
    page = soup(short_facets, "/search")
    form = page.select_one("#facet-speaker form.facet-search")
    assert form.select_one("label").get_text() == "Find a speaker"
    hidden = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert hidden == {"more": "speaker"}
    found = soup(short_facets, "/?more=speaker&within=ALMO")  # case and accents ignored
    assert values(found, "speaker") == ["Inés Almodóvar"]
    assert found.select_one("#within-speaker")["value"] == "ALMO"
    none = soup(short_facets, "/?more=speaker&within=zzz")
    assert "No speaker matches" in none.select_one("#facet-speaker .empty").get_text()


def test_chips_remove_one_filter_or_all(client: FlaskClient) -> None:
    page = soup(client, "/?q=night&speaker=Mara+Velde&year=2012")
    chips = page.select("ul.chips a")
    assert [c.get_text(" ", strip=True) for c in chips] == [
        "Speaker: Mara Velde ×",
        "Year: 2012 ×",
        "Clear all",
    ]
    without_speaker = parse_qs(urlsplit(chips[0]["href"]).query)
    assert without_speaker == {"q": ["night"], "year": ["2012"]}
    assert parse_qs(urlsplit(chips[2]["href"]).query) == {"q": ["night"]}
    assert chips[0]["aria-label"] == "Remove filter Speaker: Mara Velde"


def test_result_card_shows_who_what_where_and_links(client: FlaskClient) -> None:
    card = soup(client, "/?q=piano").select_one("li.hit")
    assert [w.get_text() for w in card.select(".who")] == ["Jonas Pike:", "Ode Farrow, Mara Velde:"]
    meta = card.select_one(".meta").get_text()
    for part in ("The Lumen Years", "dir. Mara Velde", "Reel Notes", "2012-05-04"):
        assert part in meta
    links = [a["href"] for a in card.select(".links a")]
    assert links[0] == "/a/lumen-interview?q=piano#q2"
    assert links[1] == "https://example.org/lumen#:~:text=And%20the%20music%3F"
    data = client.get("/api/search?q=red").get_json()["results"][0]
    assert data["source_link"] == ""  # a javascript: URL from the corpus is never linked


def test_sort_and_page_size_keep_the_query_and_filters(client: FlaskClient) -> None:
    page = soup(client, "/?q=night&year=2012&sort=newest&size=20&page=1")
    form = page.select_one("form.sort")
    hidden = sorted((i["name"], i["value"]) for i in form.select("input[type=hidden]"))
    assert hidden == [("q", "night"), ("year", "2012")]
    assert form.select_one("select[name=sort] option[selected]")["value"] == "newest"
    assert form.select_one("select[name=size] option[selected]").get_text() == "20"
    one = client.get("/api/search?size=10&sort=oldest").get_json()
    assert one["page_size"] == 10 and one["pages"] == 1 and one["total"] == 6


def test_article_page_offers_passage_links_and_citations(client: FlaskClient) -> None:
    page = soup(client, "/a/lumen-interview?q=piano")
    q2 = page.select_one("section#q2")
    copy = q2.select_one("a.copy-link")
    assert copy["href"] == copy["data-copy"] == "http://localhost/a/lumen-interview#q2"
    accessed = datetime.now(UTC).date()
    assert q2.select_one(".citation.chicago").get_text() == (
        "Farrow, Ode and Mara Velde. “Inside ‘The Lumen Years.’” Interview by Jonas Pike. "
        "Reel Notes, May 4, 2012. https://example.org/lumen. "
        "Passage q2: http://localhost/a/lumen-interview#q2. "
        f"Accessed {accessed:%B} {accessed.day}, {accessed.year}."
    )
    assert (
        q2.select_one(".citation.apa")
        .get_text()
        .startswith(
            "Farrow, O., & Velde, M. (2012, May 4). Inside “The Lumen Years” (Jonas Pike, "
            "Interviewer) [Interview]. Reel Notes. https://example.org/lumen."
        )
    )
    assert "4 May 2012" in q2.select_one(".citation.mla").get_text()
    # without a safe original URL, the citation links to the passage here
    pedro = soup(client, "/a/pedro-talk").select_one("section#q1 .citation").get_text()
    assert "javascript" not in pedro and "Passage q1: http://localhost/a/pedro-talk#q1." in pedro
    assert pedro.startswith("Almodóvar, Inés. “Talking colour with Inés Almodóvar.”")


def test_every_page_links_opensearch_and_its_json_twin(client: FlaskClient) -> None:
    twins = {
        "/": "/api/home",
        "/?q=piano": "/api/search?q=piano",
        "/a/lumen-interview": "/api/articles/lumen-interview",
        "/films": "/api/films",
        "/people": "/api/people",
        "/films/The Lumen Years": "/api/films/The%20Lumen%20Years",
        "/people/Ode Farrow": "/api/people/Ode%20Farrow",
    }
    for url, twin in twins.items():
        page = soup(client, url)
        assert page.select_one('link[rel=alternate][type="application/json"]')["href"] == twin
        assert client.get(twin).status_code == 200
        search = page.select_one('link[rel=search][type="application/opensearchdescription+xml"]')
        assert search["href"] == "/opensearch.xml"
        assert page.select_one("main#main") and page.select_one("header.site nav")


def test_years_by_decade(client: FlaskClient) -> None:
    page = soup(client, "/search")
    decades = page.select("#facet-year .decades a")
    assert [d.get_text(" ", strip=True) for d in decades] == ["☐ 2010s 5", "☐ 2000s 1"]
    chosen = soup(client, decades[0]["href"])
    assert parse_qs(urlsplit(decades[0]["href"]).query) == {"year": ["2019", "2012"]}
    assert chosen.select_one("#result-count").get_text().split()[0] == "5"
    again = chosen.select_one("#facet-year .decades a[aria-current=true]")
    assert again.select_one(".value").get_text() == "2010s"
    assert "year" not in parse_qs(urlsplit(again["href"]).query)  # choosing it again clears it


def test_cards_and_articles_link_to_browse_pages(client: FlaskClient) -> None:
    card = soup(client, "/?q=piano").select_one("li.hit")
    assert card.select_one("a.film")["href"] == "/films/The%20Lumen%20Years"
    article = soup(client, "/a/lumen-interview")
    speakers = {a["href"] for a in article.select(".turn .who a")}
    assert speakers == {"/people/Jonas%20Pike", "/people/Mara%20Velde", "/people/Ode%20Farrow"}
    for href in speakers:
        assert client.get(href).status_code == 200


def test_pages_need_no_inline_script_or_style(client: FlaskClient) -> None:
    for url in (
        "/?q=pianp&more=speaker",
        "/a/lumen-interview?q=piano",
        "/films",
        "/people/Ode Farrow",
    ):
        page = soup(client, url)
        for script in page.find_all("script"):
            src = script.get("src", "")
            assert re.fullmatch(r"/static/app\.[0-9a-f]{12}\.js", src) and not script.string
        assert not page.find_all("style")
        for tag in page.find_all(True):
            assert "style" not in tag.attrs, tag
            assert not [a for a in tag.attrs if a.startswith("on")], tag


def test_the_home_page_says_what_the_collection_is(client: FlaskClient) -> None:
    data = client.get("/api/home").get_json()
    assert data["counts"] == {
        "interviews": 3,
        "passages": 6,
        "outlets": 2,
        "films": 2,
        "people": 5,
    }
    assert data["years"] == "2008–2019"
    assert [a["id"] for a in data["newest"]] == ["pedro-talk", "lumen-interview", "velde-profile"]
    assert all(e["passages"] > 0 for e in data["examples"])  # only examples that find something
    assert data["person"]["url"] in {"/people/Mara%20Velde", "/people/In%C3%A9s%20Almod%C3%B3var"}
    page = soup(client, "/")
    text = " ".join(page.select_one(".collection").get_text().split())
    assert text.startswith("3 interviews from 2 outlets (2008–2019), split into 6 questions")
    assert [a.get_text() for a in page.select(".newest li > a")][
        0
    ] == "Talking colour with Inés Almodóvar"
    assert page.select_one("ol.hits") is None  # not every passage
    assert soup(client, "/?q=piano").select_one("ol.hits li.hit") is not None
