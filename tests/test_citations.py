"""Citations read back as reference managers read them, and Highwire meta tags."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs

import bibtexparser
import rispy
from bs4 import BeautifulSoup
from flask.testing import FlaskClient


def download(client: FlaskClient, url: str, mimetype: str) -> str:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return response.get_data(as_text=True)


def test_ris_reads_back(client: FlaskClient) -> None:
    text = download(client, "/a/lumen-interview/q2.ris", "application/x-research-info-systems")
    assert "\r\n" in text
    (entry,) = rispy.loads(text)
    assert entry["authors"] == ["Farrow, Ode", "Velde, Mara"]
    assert entry["secondary_authors"] == ["Pike, Jonas"]
    assert entry["title"] == "Inside “The Lumen Years”"
    assert entry["secondary_title"] == "Reel Notes"
    assert (entry["year"], entry["date"]) == ("2012", "2012/05/04")
    assert entry["urls"] == ["https://example.org/lumen"]
    assert entry["access_date"] == datetime.now(UTC).date().isoformat()
    assert "http://localhost/a/lumen-interview#q2" in entry["notes"][0]


def test_bibtex_reads_back(client: FlaskClient) -> None:
    text = download(client, "/a/pedro-talk/q1.bib", "application/x-bibtex")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc" and entry.key == "pedro-talk-q1"
    assert entry["author"] == "Almodóvar, Inés"
    assert entry["title"] == "Talking colour with Inés Almodóvar"
    assert entry["howpublished"] == "Cine <b>Diario</b>"  # text, as it was written
    assert entry["year"] == "2019" and entry["month"] == "nov"
    # the original is javascript: so the passage here is cited instead
    assert entry["url"] == "http://localhost/a/pedro-talk#q1"
    assert "javascript" not in text


def test_csl_json_reads_back(client: FlaskClient) -> None:
    text = download(client, "/a/lumen-interview/q1.json", "application/vnd.citationstyles.csl+json")
    (item,) = json.loads(text)
    assert item["type"] == "interview"
    assert item["author"] == [{"family": "Velde", "given": "Mara"}]
    assert item["interviewer"] == [{"family": "Pike", "given": "Jonas"}]
    assert item["issued"] == {"date-parts": [[2012, 5, 4]]}
    assert item["container-title"] == "Reel Notes"
    assert item["URL"] == "https://example.org/lumen"


def test_unknown_passages_are_404(client: FlaskClient) -> None:
    assert client.get("/a/lumen-interview/q9.ris").status_code == 404
    assert client.get("/a/nope/q1.bib").status_code == 404
    assert client.get("/a/lumen-interview/q1.exe").status_code == 404


def test_the_cite_box_offers_styles_downloads_and_copy(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/a/lumen-interview").data, "html.parser")
    box = page.select_one("section#q1 details.cite")
    assert [c["class"][1] for c in box.select("p.citation")] == ["chicago", "mla", "apa"]
    links = {a.get_text(): a["href"] for a in box.select(".downloads a[download]")}
    assert links == {
        "BibTeX": "/a/lumen-interview/q1.bib",
        "RIS": "/a/lumen-interview/q1.ris",
        "CSL-JSON": "/a/lumen-interview/q1.json",
    }
    copies = box.select("button.copy-text")
    assert [b["data-copy-from"] for b in copies] == [
        "cite-chicago-q1",
        "cite-mla-q1",
        "cite-apa-q1",
    ]
    assert all(page.select_one("#" + b["data-copy-from"]) for b in copies)


def test_article_pages_carry_highwire_tags(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/a/lumen-interview").data, "html.parser")
    tags = [(m["name"], m["content"]) for m in page.select("meta[name^=citation_]")]
    assert ("citation_title", "Inside “The Lumen Years”") in tags
    assert [c for n, c in tags if n == "citation_author"] == ["Mara Velde", "Ode Farrow"]
    assert ("citation_journal_title", "Reel Notes") in tags
    assert ("citation_publication_date", "2012/05/04") in tags
    assert ("citation_public_url", "https://example.org/lumen") in tags
    pedro = BeautifulSoup(client.get("/a/pedro-talk").data, "html.parser")
    assert not pedro.select("meta[name=citation_public_url]")  # javascript: is never a link


def test_highwire_tags_name_the_interviewer(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/a/lumen-interview").data, "html.parser")
    assert [m["content"] for m in page.select("meta[name='DC.contributor']")] == ["Jonas Pike"]
    profile = BeautifulSoup(client.get("/a/velde-profile").data, "html.parser")
    assert not profile.select("meta[name='DC.contributor']")  # nobody asked


def test_a_quoted_headline_is_quoted_in_single_quotes_inside(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/a/lumen-interview").data, "html.parser")
    for style in ("chicago", "mla"):
        text = page.select_one(f"#q1 .citation.{style}").get_text()
        assert "“Inside ‘The Lumen Years.’”" in text, style
        inside = text[text.index("“") + 1 : text.index("”")]
        assert "“" not in inside, style  # no double quotes nested in double quotes


def coins_fields(client: FlaskClient, url: str) -> dict[str, list[str]]:
    """The fields of a page's one COinS span, read back as OpenURL resolvers read them."""
    spans = BeautifulSoup(client.get(url).data, "html.parser").select("span.Z3988")
    assert len(spans) == 1
    return parse_qs(spans[0]["title"], strict_parsing=True)


def test_article_pages_carry_coins(client: FlaskClient) -> None:
    assert coins_fields(client, "/a/lumen-interview") == {
        "ctx_ver": ["Z39.88-2004"],
        "rft_val_fmt": ["info:ofi/fmt:kev:mtx:journal"],
        "rft.genre": ["article"],
        "rft.atitle": ["Inside “The Lumen Years”"],
        "rft.au": ["Mara Velde", "Ode Farrow"],
        "rft.jtitle": ["Reel Notes"],
        "rft.date": ["2012-05-04"],
        "rft_id": ["https://example.org/lumen"],
    }
    pedro = coins_fields(client, "/a/pedro-talk")
    assert pedro["rft.jtitle"] == ["Cine <b>Diario</b>"]  # text, never markup
    assert "rft_id" not in pedro  # javascript: is never a link
    profile = coins_fields(client, "/a/velde-profile")
    assert "rft.au" not in profile and profile["rft.date"] == ["2008-01-15"]
