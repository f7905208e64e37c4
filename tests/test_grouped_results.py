"""Answers first, the Who speaks facet, and results grouped by interview, on the pages and
the JSON API (the ordering contract itself is held to the oracle in test_oracle.py)."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from webapp.highlighting import Highlighter


def api(client: FlaskClient, **params: str | int) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200
    data: dict = response.get_json()
    return data


def test_an_answer_ranks_above_a_better_scoring_narrative(client: FlaskClient) -> None:
    data = api(client, q="night", group="passage")
    pids = [h["pid"] for h in data["results"]]
    assert pids == ["lumen-interview#q1", "velde-profile#p1"]
    answer, narrative = data["results"]
    assert (answer["speaks"], narrative["speaks"]) == ("answers", "intros")
    assert answer["score"] < narrative["score"]  # the title match scores higher


def test_who_speaks_is_a_facet(client: FlaskClient) -> None:
    data = api(client, group="passage", size=50)
    counts = {v["value"]: v["count"] for v in data["facets"]["speaks"]}
    assert counts == {"answers": 4, "intros": 2}
    intros = api(client, speaks="intros", group="passage")
    assert {h["pid"] for h in intros["results"]} == {"lumen-interview#intro", "velde-profile#p1"}
    assert {h["kind"] for h in intros["results"]} == {"intro", "narrative"}
    page = BeautifulSoup(client.get("/?speaks=intros").data, "html.parser")
    assert [h.get_text() for h in page.select("section.facet h2")][-1] == "Who speaks"
    chips = [a.get_text(" ", strip=True) for a in page.select(".chips a")]
    assert "Who speaks: Intros and narrative ×" in chips
    badges = [b.get_text() for b in page.select(".hit .badge")]
    assert sorted(badges) == ["Intro", "Narrative"]


def test_results_are_grouped_by_interview_by_default(client: FlaskClient) -> None:
    data = api(client, q="film")
    assert data["group"] == "article"
    flat = api(client, q="film", group="passage")
    assert data["total"] == flat["total"] == len(flat["results"]) == 2
    assert data["groups"] == len(data["results"]) == 1
    lumen = data["results"][0]
    assert lumen["anchor"] == "q1"  # the answer, not the intro that matches too
    assert lumen["matches"] == 2
    assert [m["anchor"] for m in lumen["more"]] == ["intro"]
    assert lumen["more"][0]["permalink"].endswith("/a/lumen-interview?q=film#intro")
    page = BeautifulSoup(client.get("/?q=film").data, "html.parser")
    assert "2 passages in 1 interview" in page.select_one("#result-count").get_text(" ")
    details = page.select("li.hit details.more-passages")
    assert len(details) == 1 and details[0].get("open") is None  # expands in place
    assert details[0].summary.get_text() == "1 more passage from this interview"
    assert details[0].select_one("li")["id"] == "lumen-interview#intro"
    assert page.select_one('select[name="group"] option[selected]')["value"] == "article"


def test_grouped_paging_counts_interviews(client: FlaskClient) -> None:
    everything = api(client, size=10)
    assert (everything["total"], everything["groups"], everything["pages"]) == (6, 3, 1)
    flat = api(client, group="passage", size=10)
    assert flat["groups"] == 0 and len(flat["results"]) == 6
    newest = api(client, sort="newest")
    assert [h["article_id"] for h in newest["results"]] == [
        "pedro-talk",
        "lumen-interview",
        "velde-profile",
    ]
    lumen = newest["results"][1]
    assert [h["anchor"] for h in [lumen, *lumen["more"]]] == ["q1", "intro", "q2"]


def test_an_unknown_grouping_falls_back_to_passages(client: FlaskClient) -> None:
    data = api(client, group="<script>")
    assert data["group"] == "passage"


def test_snippets_that_start_or_end_inside_the_text_say_so() -> None:
    marker = Highlighter()
    text = "Start of a long answer. " * 20 + "The middle part matters. " + "More words. " * 30
    snippet = str(marker.highlight(text, frozenset(["middl"])))
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark" in snippet
    whole = str(marker.highlight("“Short answer about the middle.”", frozenset(["middl"])))
    assert not whole.startswith("…") and not whole.endswith("…")
    opening = str(
        marker.highlight("The middle first. " + "Then more words. " * 40, frozenset(["middl"]))
    )
    assert not opening.startswith("…") and opening.endswith(" …")


def test_back_to_results_keeps_the_filters_and_sort(client: FlaskClient) -> None:
    search = "/search?q=censorship&speaker=Mara+Velde&sort=newest&page=1"
    page = BeautifulSoup(client.get(search).data, "html.parser")
    link = page.select_one("li.hit h3 a")["href"]
    assert link == "/a/lumen-interview?q=censorship&speaker=Mara+Velde&sort=newest&page=1#q1"
    article = BeautifulSoup(client.get(link.split("#")[0]).data, "html.parser")
    back = next(a for a in article.select(".notice a") if a.get_text() == "Back to results")
    assert back["href"] == search
    assert article.select_one("section#q1 mark").get_text().lower() == "censorship"
    plain = BeautifulSoup(client.get("/a/lumen-interview").data, "html.parser")
    assert not [a for a in plain.select(".notice a") if a.get_text() == "Back to results"]
