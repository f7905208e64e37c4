"""Browse pages, suggestions, OpenSearch and the OpenAPI document."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from indexer.schema import FACET_TABLE


def test_films_and_people_list_every_value_a_to_z(client: FlaskClient) -> None:
    films = client.get("/api/films").get_json()
    assert [(e["name"], e["passages"], e["interviews"]) for e in films["entries"]] == [
        ("Rojo Sobre Rojo", 2, 1),
        ("The Lumen Years", 4, 2),
    ]
    assert films["entries"][1]["url"] == "/films/The%20Lumen%20Years"
    assert films["entries"][1]["directors"] == ["Mara Velde"]
    assert films["entries"][1]["years"] == "2008–2012"
    people = client.get("/api/people").get_json()
    assert [e["name"] for e in people["entries"]] == [
        "Cine Diario",
        "Inés Almodóvar",
        "Jonas Pike",
        "Mara Velde",
        "Ode Farrow",
    ]
    assert {e["name"]: e["passages"] for e in people["entries"]}["Ode Farrow"] == 1
    page = BeautifulSoup(client.get("/people").data, "html.parser")
    rows = [li.get_text(" ", strip=True) for li in page.select("ul.entries li")]
    assert "Inés Almodóvar director, interviewee · 2019" in rows
    assert "Mara Velde director (2), interviewee · 2008–2012" in rows
    assert "Jonas Pike interviewer · 2012" in rows


def test_the_name_filter_works_without_javascript(client: FlaskClient) -> None:
    data = client.get("/api/people?filter=almodovar").get_json()
    assert [e["name"] for e in data["entries"]] == ["Inés Almodóvar"]
    page = BeautifulSoup(client.get("/films?filter=LUMEN").data, "html.parser")
    assert [a.get_text() for a in page.select("ul.entries li > a")] == ["The Lumen Years"]
    assert page.select_one("#name-filter")["value"] == "LUMEN"


def test_a_films_passages_grouped_by_article_newest_first(client: FlaskClient) -> None:
    data = client.get("/api/films/the lumen years").get_json()  # any case finds it
    assert data["name"] == "The Lumen Years" and data["passages"] == 4
    assert [(a["id"], [p["anchor"] for p in a["passages"]]) for a in data["articles"]] == [
        ("lumen-interview", ["intro", "q1", "q2"]),
        ("velde-profile", ["p1"]),
    ]
    assert data["articles"][0]["passages"][2]["permalink"] == "/a/lumen-interview#q2"
    assert data["search_url"] == "/search?film=The+Lumen+Years"
    page = BeautifulSoup(client.get("/films/The Lumen Years").data, "html.parser")
    assert [h.get_text() for h in page.select("section.group h3")] == [
        "Inside “The Lumen Years”",
        "Mara Velde, night filmmaker",
    ]
    assert page.select_one('a[href="/a/lumen-interview#q2"]') is not None


def test_a_persons_passages(client: FlaskClient) -> None:
    data = client.get("/api/people/Inés Almodóvar").get_json()
    assert [p["anchor"] for p in data["articles"][0]["passages"]] == ["q1", "q2"]
    page = BeautifulSoup(client.get("/people/Ode Farrow").data, "html.parser")
    assert page.select_one("h1").get_text() == "Ode Farrow"
    assert "broken piano" in page.select_one("ol.passages").get_text()


def test_unknown_names_are_404(client: FlaskClient) -> None:
    assert client.get("/films/Nothing Here").status_code == 404
    response = client.get("/api/people/Nobody")
    assert response.status_code == 404
    assert response.get_json()["error"] == "No person called Nobody is in the index."
    assert client.get("/api/directors").status_code == 404


def test_suggestions_are_opensearch_json(client: FlaskClient) -> None:
    q, texts, descriptions, urls = client.get("/api/suggest?q=lum").get_json()
    assert (q, texts, descriptions) == ("lum", ["The Lumen Years"], ["film · 4 passages"])
    assert urls == ["http://localhost/search?film=The+Lumen+Years"]
    _, texts, descriptions, urls = client.get("/api/suggest?q=almo").get_json()
    assert texts[0] == "Inés Almodóvar" and descriptions[0] == "person · 2 passages"
    assert urls[0].endswith("/search?speaker=In%C3%A9s+Almod%C3%B3var")
    _, texts, descriptions, _ = client.get("/api/suggest?q=broken+pia").get_json()
    assert texts == ["broken piano"] and descriptions == ["word · 1 passage"]
    _, texts, _, _ = client.get("/api/suggest?q=cens").get_json()
    assert set(texts) == {"censorship", "censored"}  # as written, not as stemmed
    assert client.get("/api/suggest?q=").get_json() == ["", [], [], []]
    assert client.get("/api/suggest?q=" + "x" * 5000).status_code == 200


def test_opensearch_description(client: FlaskClient) -> None:
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    root = ElementTree.fromstring(response.data)
    assert root.findtext("os:ShortName", namespaces=ns) == "filmsearch"
    templates = {u.get("type"): u.get("template") for u in root.findall("os:Url", ns)}
    assert templates["text/html"] == "http://localhost/search?q={searchTerms}"
    assert (
        templates["application/x-suggestions+json"]
        == "http://localhost/api/suggest?q={searchTerms}"
    )
    with client.get("/static/icon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def _path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_openapi_lists_every_endpoint_and_parameter(app: Flask, client: FlaskClient) -> None:
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = set(doc["paths"])
    served = {_path(r.rule) for r in app.url_map.iter_rules() if r.rule.startswith("/api/")}
    assert served == documented
    search_params = {p["name"] for p in doc["paths"]["/api/search"]["get"]["parameters"]}
    assert search_params == {
        "q",
        "film",
        "director",
        "speaker",
        "interviewer",
        "publication",
        "year",
        "page",
        "size",
        "sort",
        "group",
        "speaks",
        "more",
        "within",
    }


def _properties(doc: dict, path: str) -> dict:
    return doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def test_openapi_documents_every_response_field(client: FlaskClient) -> None:
    doc = client.get("/api/openapi.json").get_json()
    search = _properties(doc, "/api/search")
    data = client.get("/api/search?q=piano").get_json()
    assert set(search["properties"]) == set(data)
    assert set(search["properties"]["results"]["items"]["properties"]) == set(data["results"][0])
    facet = search["properties"]["facets"]["additionalProperties"]["items"]
    assert set(facet["properties"]) == set(data["facets"]["speaker"][0])
    listing = _properties(doc, "/api/{kind}")
    films = client.get("/api/films").get_json()
    assert set(listing["properties"]) == set(films)
    assert set(listing["properties"]["entries"]["items"]["properties"]) == set(films["entries"][0])
    detail = _properties(doc, "/api/{kind}/{name}")
    film = client.get("/api/films/Rojo Sobre Rojo").get_json()
    assert set(detail["properties"]) == set(film)
    group = detail["properties"]["articles"]["items"]
    assert set(group["properties"]) == set(film["articles"][0])
    assert set(group["properties"]["passages"]["items"]["properties"]) == set(
        film["articles"][0]["passages"][0]
    )
    article = _properties(doc, "/api/articles/{article_id}")
    data = client.get("/api/articles/lumen-interview").get_json()
    assert set(article["required"]) <= set(data)
    passage = article["properties"]["passages"]["items"]
    assert set(passage["properties"]) == set(data["passages"][0])
    error = doc["components"]["schemas"]["Error"]
    assert set(error["properties"]) == set(client.get("/api/articles/nope").get_json())


def test_one_facet_table_names_every_facet_everywhere(client: FlaskClient) -> None:
    names = [f.name for f in FACET_TABLE]
    document = client.get("/api/openapi.json").get_json()
    params = {p["name"] for p in document["paths"]["/api/search"]["get"]["parameters"]}
    assert set(names) <= params
    data = client.get("/api/search").get_json()
    assert set(data["facets"]) == set(data["facets_more"]) == set(names)
    page = BeautifulSoup(client.get("/search").data, "html.parser")
    headings = [h.get_text() for h in page.select("section.facet h2")]
    assert headings == [f.label for f in FACET_TABLE if data["facets"][f.name]]
