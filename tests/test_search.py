"""Index and search through the Flask test client: facets, filters, highlights, escaping."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from webapp.parsing import MAX_EXPANSIONS
from webapp.search import SearchService


def facet(data: dict, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in data["facets"][name]}


def test_empty_query_browses_everything(client: FlaskClient) -> None:
    data = client.get("/api/search").get_json()
    assert data["total"] == 6
    assert facet(data, "film") == {"The Lumen Years": 4, "Rojo Sobre Rojo": 2}
    assert facet(data, "year") == {"2019": 2, "2012": 3, "2008": 1}
    assert [v["value"] for v in data["facets"]["year"]] == ["2019", "2012", "2008"]


def test_word_search_with_facets_and_highlight(client: FlaskClient) -> None:
    data = client.get("/api/search?q=censorship").get_json()
    assert [r["pid"] for r in data["results"]] == ["lumen-interview#q1"]
    assert facet(data, "speaker") == {"Mara Velde": 1, "Jonas Pike": 1}
    assert facet(data, "film") == {"The Lumen Years": 1}
    stemmed = client.get("/api/search?q=censoring").get_json()  # finds "censored"
    assert [r["pid"] for r in stemmed["results"]] == ["pedro-talk#q2"]
    lumen = data["results"][0]
    assert "<mark" in lumen["answer_html"] and "Censorship</mark>" in lumen["answer_html"]
    assert lumen["permalink"].endswith("/a/lumen-interview?q=censorship#q1")
    assert lumen["askers"] == ["Jonas Pike"] and lumen["answerers"] == ["Mara Velde"]


def test_accent_folding(client: FlaskClient) -> None:
    assert client.get("/api/search?q=almodovar").get_json()["total"] == 2
    assert client.get("/api/search?q=colour+memory").get_json()["total"] == 1


def test_filters_or_within_and_across_facets(client: FlaskClient) -> None:
    one = client.get("/api/search?speaker=Ode+Farrow").get_json()
    assert one["total"] == 1
    both = client.get("/api/search?speaker=Ode+Farrow&speaker=In%C3%A9s+Almod%C3%B3var").get_json()
    assert both["total"] == 3
    # another facet narrows with AND, and the speaker facet stays disjunctive
    narrowed = client.get(
        "/api/search?speaker=Ode+Farrow&speaker=In%C3%A9s+Almod%C3%B3var&year=2019"
    ).get_json()
    assert narrowed["total"] == 2
    assert facet(narrowed, "year") == {"2019": 2, "2012": 1}
    # speaker counts ignore the speaker filter but apply the year filter
    assert facet(narrowed, "speaker") == {"Inés Almodóvar": 2, "Cine Diario": 2, "Ode Farrow": 0}
    selected = [v for v in narrowed["facets"]["speaker"] if v["selected"]]
    assert {v["value"] for v in selected} == {"Ode Farrow", "Inés Almodóvar"}


def test_field_queries_and_year_range(client: FlaskClient) -> None:
    assert client.get("/api/search?q=speaker:farrow").get_json()["total"] == 1
    assert client.get("/api/search?q=film:lumen").get_json()["total"] == 4
    assert client.get("/api/search?q=year:2008-2012").get_json()["total"] == 4
    assert client.get("/api/search?q=night+-lighthouses").get_json()["total"] == 2


def test_bad_queries_never_fail(client: FlaskClient) -> None:
    for q in [
        '"unbalanced',
        "(((",
        "*",
        "a*",
        "year:abc",
        "title:",
        "x" * 10_000,
        "\x00\x07",
        "NOT",
    ]:
        response = client.get("/api/search", query_string={"q": q})
        assert response.status_code == 200, q
        assert client.get("/", query_string={"q": q}).status_code == 200, q
    assert client.get("/api/search?page=-1").get_json()["page"] == 1
    assert client.get("/api/search?page=999999999").get_json()["page"] == 1
    assert client.get("/api/search?page=abc&size=zzz").status_code == 200


def test_prefix_expansion_is_capped(index_root: Path) -> None:
    service = SearchService(index_root)
    parsed, _ = service.parse("c*")
    assert 0 < len(list(parsed.leaves())) <= MAX_EXPANSIONS


def test_search_page_renders_results_and_facets(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/?q=piano").data, "html.parser")
    hits = page.select("ol.hits > li.hit")
    assert len(hits) == 1
    assert hits[0].select_one("mark").get_text() == "piano"
    assert "Ode Farrow" in hits[0].get_text()
    links = [a["href"] for a in page.select(".facet a")]
    assert any("speaker=Ode+Farrow" in href and "q=piano" in href for href in links)
    assert page.select_one('link[rel=alternate][type="application/json"]')["href"].startswith(
        "/api/search"
    )


def test_markup_is_escaped(client: FlaskClient) -> None:
    html = client.get("/?q=red").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<b>Diario</b>" not in html
    html = client.get("/?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    article = client.get("/a/pedro-talk?q=red").get_data(as_text=True)
    assert "<script>alert" not in article
    assert "javascript:" not in article  # unsafe source URL is not linked


def test_article_page_marks_passages(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/a/lumen-interview?q=piano").data, "html.parser")
    assert [s["id"] for s in page.select("section.passage")] == ["intro", "q1", "q2"]
    q2 = page.select_one("#q2")
    assert q2.select_one("mark").get_text() == "piano"
    assert [w.get_text() for w in q2.select(".who")] == ["Jonas Pike", "Ode Farrow", "Mara Velde"]
    assert page.select_one('a[href="https://example.org/lumen"]') is not None


def test_article_api_matches_inspect_shape(client: FlaskClient) -> None:
    data = client.get("/api/articles/lumen-interview").get_json()
    assert data["id"] == "lumen-interview" and data["is_qa"] is True
    assert [p["anchor"] for p in data["passages"]] == ["intro", "q1", "q2"]
    assert data["passages"][2]["speakers"] == ["Jonas Pike", "Ode Farrow", "Mara Velde"]
    assert data["turns"][0] == {
        "speaker": "Jonas Pike",
        "label": "PIKE",
        "role": "interviewer",
        "text": "How did censorship shape the film?",
    }


def test_missing_article_is_404(client: FlaskClient) -> None:
    assert client.get("/a/nope").status_code == 404
    response = client.get("/api/articles/nope")
    assert response.status_code == 404
    assert response.get_json() == {
        "ok": False,
        "error": "Article nope doesn't exist.",
        "status": 404,
    }


def test_sort_by_date(client: FlaskClient) -> None:
    newest = client.get("/api/search?sort=newest").get_json()["results"]
    oldest = client.get("/api/search?sort=oldest").get_json()["results"]
    assert newest[0]["date"] == "2019-11-30" and oldest[0]["date"] == "2008-01-15"
