"""CSV and JSON Lines exports read back with `csv` and `json`, and the Atom feed read
back with `feedparser`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from indexer.indexing.generation import build_index, swap_in, write_index
from indexer.model import Article
from tests.conftest import qa, sample_articles
from webapp import create_app


def hostile() -> Article:
    """Cells a spreadsheet would run as formulas, and a javascript: original URL."""
    article = Article(
        id="formulas",
        source="formulas.txt",
        title='=HYPERLINK("http://evil.example","click")',
        url="javascript:alert(1)",
        publication="@Outlet",
        date="2020-02-02",
        films=["+Plus"],
        directors=["-Minus Man"],
        interviewers=["Ana Ruiz"],
        interviewees=["-Minus Man"],
        is_qa=True,
        passages=[qa("q1", "Ana Ruiz", "=1+1 lighthouse?", ("-Minus Man", "\tlighthouse"))],
    )
    article.turns = [t for p in article.passages for t in p.turns]
    return article


@pytest.fixture(scope="module")
def export_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    root: Path = tmp_path_factory.mktemp("export")
    write_index([*sample_articles(), hostile()], root / "gen-1")
    swap_in(root, root / "gen-1")
    app = create_app({"INDEX_DIR": str(root), "TESTING": True, "EXPORT_LIMIT": 5})
    return app.test_client()


def rows(client: FlaskClient, url: str) -> tuple[list[dict[str, str]], dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True)))), response.headers


def test_csv_holds_every_passage_in_search_order(export_client: FlaskClient) -> None:
    found, headers = rows(export_client, "/api/search.csv?q=night&sort=relevance")
    api = export_client.get("/api/search?q=night&group=passage").get_json()
    assert [r["pid"] for r in found] == [h["pid"] for h in api["results"]]
    assert headers["X-Total-Count"] == str(api["total"])
    first = found[0]
    assert first["speakers"] == "Jonas Pike; Mara Velde"
    assert first["permalink"] == "http://localhost/a/lumen-interview#q1"
    assert first["url"] == "https://example.org/lumen"
    assert float(first["score"]) == pytest.approx(api["results"][0]["score"])


def test_each_row_names_the_interviewers_and_cites_its_passage(
    export_client: FlaskClient,
) -> None:
    found, _ = rows(export_client, "/api/search.csv?q=lighthouse")
    row = next(r for r in found if r["article_id"] == "formulas")
    assert row["interviewers"] == "Ana Ruiz"
    assert "Interview by Ana Ruiz" in row["citation"]
    assert "Passage q1: http://localhost/a/formulas#q1." in row["citation"]


def test_csv_cells_never_run_as_formulas(export_client: FlaskClient) -> None:
    (found,), _ = rows(export_client, "/api/search.csv?film=%2BPlus")
    assert found["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert found["publication"] == "'@Outlet"
    assert found["films"] == "'+Plus"
    assert found["directors"] == "'-Minus Man"
    assert found["question"] == "'=1+1 lighthouse?"
    assert found["answer"] == "'\tlighthouse"
    assert found["url"] == ""  # javascript: is never exported
    for value in found.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_json_lines_are_the_same_rows_uncapped_by_the_page(export_client: FlaskClient) -> None:
    response = export_client.get("/api/search.jsonl?sort=newest")
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert response.headers["X-Total-Count"] == "7"
    assert len(lines) == 5 == int(response.headers["X-Exported-Count"])  # EXPORT_LIMIT
    assert lines[0]["pid"] == "formulas#q1" and lines[0]["url"] == ""
    assert lines[0]["title"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet
    assert lines[1]["answerers"] == ["Inés Almodóvar"]
    two = export_client.get("/api/search.jsonl?sort=newest&limit=2").get_data(as_text=True)
    assert [json.loads(x)["pid"] for x in two.splitlines()] == [r["pid"] for r in lines[:2]]


def test_a_bad_limit_is_a_plain_400(export_client: FlaskClient) -> None:
    for bad in ("0", "6", "ten"):
        response = export_client.get(f"/api/search.csv?limit={bad}")
        assert response.status_code == 400
        assert response.get_json()["error"] == "limit must be a whole number from 1 to 5."


def test_the_search_page_links_exports_and_its_feed(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/search?q=piano&page=1&size=20").data, "html.parser")
    links = {a.get_text(): a["href"] for a in page.select(".exports a")}
    assert links == {
        "CSV": "/api/search.csv?q=piano",
        "JSON Lines": "/api/search.jsonl?q=piano",
        "Atom feed": "/search.atom?q=piano",
    }
    alternate = page.select_one('link[rel=alternate][type="application/atom+xml"]')
    assert alternate["href"] == "/search.atom?q=piano"


def test_the_atom_feed_reads_back(export_client: FlaskClient) -> None:
    response = export_client.get("/search.atom?speaker=Mara+Velde")
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "filmsearch: Speaker: Mara Velde"
    assert [e.link for e in feed.entries] == [
        "http://localhost/a/lumen-interview#q1",
        "http://localhost/a/lumen-interview#q2",
    ]
    assert feed.entries[0].updated == "2012-05-04T00:00:00Z"
    assert "Censorship was everywhere" in feed.entries[0].summary
    everything = feedparser.parse(export_client.get("/search.atom").get_data())
    assert everything.entries[0].link == "http://localhost/a/formulas#q1"  # newest first
    text = export_client.get("/search.atom").get_data(as_text=True)
    assert "javascript:" not in text


def talk(corpus: Path, name: str, meta: dict[str, str]) -> None:
    (corpus / f"{name}.txt").write_text(
        f"{name}\n\nJONAS PIKE: What about the lighthouse?\n\nMARA VELDE: The {name} light.\n"
    )
    (corpus / f"{name}.meta.json").write_text(json.dumps({"publication": "Reel Notes", **meta}))


def test_the_feed_follows_arrivals_and_an_undated_interview_comes_first(tmp_path: Path) -> None:
    """`updated` is when an article entered the collection, kept across rebuilds;
    `published` its own date; a new undated interview is the feed's first entry."""
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    talk(corpus, "older", {"date": "2019-05-04"})
    talk(corpus, "newer", {"date": "2024-01-02"})
    talk(corpus, "fetched", {"date": "2010-01-01", "fetched": "2011-02-03T04:05:06Z"})
    build_index(corpus, root, jobs=1)

    def entries() -> list[dict[str, str]]:
        client = create_app({"INDEX_DIR": str(root), "TESTING": True}).test_client()
        feed = feedparser.parse(client.get("/search.atom?q=lighthouse").get_data())
        assert not feed.bozo, feed.get("bozo_exception")
        return [
            {"link": e.link.split("/a/")[1], "updated": e.updated, "published": e.get("published")}
            for e in feed.entries
        ]

    first = entries()
    assert [e["link"] for e in first] == ["newer#q1", "older#q1", "fetched#q1"]
    assert first[2]["updated"] == "2011-02-03T04:05:06Z"  # as fetched
    assert first[0]["published"] == "2024-01-02T00:00:00Z"
    assert all(not e["updated"].startswith("1970") for e in first)
    talk(corpus, "undated", {})
    build_index(corpus, root, jobs=1, update=True)
    for _ in range(2):  # after the update, and after a full rebuild
        found = entries()
        assert [e["link"] for e in found] == ["undated#q1", "newer#q1", "older#q1", "fetched#q1"]
        assert found[0]["published"] is None and not found[0]["updated"].startswith("1970")
        assert found[0]["updated"] >= first[0]["updated"]
        assert found[1:] == first  # the others arrived when they first did
        build_index(corpus, root, jobs=1)
