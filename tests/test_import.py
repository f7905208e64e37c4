"""`filmsearch import` on real WARC and WACZ files written with warcio: responses,
revisits, requests, non-HTML records, errors, redirects, duplicate captures, a record cut
short at the end; then `filmsearch index --update` makes the pages searchable."""

from __future__ import annotations

import gzip
import io
import json
import random
import zipfile
import zlib
from pathlib import Path
from typing import Any

import brotli
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result
from ingest_pages import interview_page
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from indexer.cli import cli
from indexer.ingest.store import slug_for
from webapp import create_app

SITE = "https://films.example.org"
HTML = "text/html; charset=utf-8"


class Archive:
    """A WARC being written in memory with warcio, one record at a time."""

    def __init__(self, gzip: bool = True) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=gzip)

    def response(
        self,
        path: str,
        date: str,
        body: str | bytes,
        status: str = "200 OK",
        ctype: str = HTML,
        site: str = SITE,
    ) -> Any:
        headers = [("Content-Type", ctype)]
        if status.startswith("3"):
            headers.append(("Location", f"{SITE}/elsewhere"))
        record = self.writer.create_warc_record(
            site + path,
            "response",
            payload=io.BytesIO(body.encode() if isinstance(body, str) else body),
            http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": date},
        )
        self.write(record)
        return record

    def request(self, path: str, date: str) -> None:
        headers = StatusAndHeaders(f"GET {path} HTTP/1.1", [("Host", "films.example.org")])
        record = self.writer.create_warc_record(
            SITE + path, "request", http_headers=headers, warc_headers_dict={"WARC-Date": date}
        )
        self.write(record)

    def revisit(self, path: str, date: str, original: Any) -> None:
        digest = original.rec_headers.get_header("WARC-Payload-Digest")
        record = self.writer.create_revisit_record(
            SITE + path,
            digest,
            original.rec_headers.get_header("WARC-Target-URI"),
            original.rec_headers.get_header("WARC-Date"),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", HTML)], protocol="HTTP/1.1"),
        )
        record.rec_headers.replace_header("WARC-Date", date)
        self.write(record)

    def write(self, record: Any) -> None:
        self.writer.write_record(record)
        record.raw_stream.close()  # warcio buffers payloads of unknown length in a temp file

    def data(self) -> bytes:
        return self.buffer.getvalue()


def sample(gzip: bool = True, truncated: bool = False) -> bytes:
    """Two captures of one interview, a revisit at another URL, and records to count."""
    warc = Archive(gzip)
    warc.request("/interviews/doe", "2024-01-01T10:00:00Z")
    warc.response("/interviews/doe", "2024-01-01T10:00:01Z", page("Jane Doe", "early answer"))
    original = warc.response("/interviews/roe", "2024-02-01T10:00:00Z", page("Rita Roe", "roe"))
    warc.response("/interviews/doe", "2024-03-05T08:30:00Z", page("Jane Doe", "latest answer"))
    warc.revisit("/interviews/roe-mirror", "2024-04-01T12:00:00Z", original)
    warc.response("/poster.png", "2024-01-01T10:00:02Z", b"\x89PNG...", ctype="image/png")
    warc.response("/interviews/gone", "2024-01-01T10:00:03Z", "missing", status="404 Not Found")
    warc.response("/interviews/moved", "2024-01-01T10:00:04Z", "", status="301 Moved")
    data = warc.data()
    if truncated:
        tail = Archive(gzip)
        tail.response("/interviews/cut", "2024-05-01T00:00:00Z", page("Cut Short", "x" * 4000))
        data += tail.data()[:-200]
    return data


def page(name: str, answer: str) -> str:
    return interview_page(name, "Night Trains", f"The platforms are empty: {answer}.")


def wacz(path: Path, warc: bytes) -> Path:
    """A WACZ: a zip of the WARC, a page list and a datapackage, as ArchiveWeb.page writes."""
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("archive/data.warc.gz", warc, compress_type=zipfile.ZIP_STORED)
        out.writestr("pages/pages.jsonl", '{"format": "json-pages-1.0"}\n')
        out.writestr("datapackage.json", json.dumps({"profile": "data-package"}))
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def sidecar(corpus: Path, url: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((corpus / f"{slug_for(url)}.meta.json").read_text())
    return data


def test_wacz_import_then_update_makes_pages_searchable(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    archive = wacz(tmp_path / "sample.wacz", sample())
    result = run("import", str(archive), "--corpus", str(corpus))
    assert result.exit_code == 0, result.output
    for line in (
        "3 saved",
        "1 older captures (a later one of the same URL is kept)",
        "1 not HTML",
        "1 redirects",
        "1 HTTP errors (4xx, 5xx)",
        "1 other records",
    ):
        assert line in result.output, line
    assert sorted(p.name for p in corpus.glob("*.html")) == [
        "films-example-org-interviews-doe.html",
        "films-example-org-interviews-roe-mirror.html",
        "films-example-org-interviews-roe.html",
    ]
    doe = sidecar(corpus, f"{SITE}/interviews/doe")
    assert doe["url"] == f"{SITE}/interviews/doe"
    assert doe["captured"] == "2024-03-05T08:30:00Z"  # the latest capture won
    assert doe["archive"] == "sample.wacz"
    assert "latest answer" in (corpus / "films-example-org-interviews-doe.html").read_text()
    mirror = sidecar(corpus, f"{SITE}/interviews/roe-mirror")
    assert mirror["captured"] == "2024-04-01T12:00:00Z"  # the revisit's own time and URL...
    mirror_text = (corpus / "films-example-org-interviews-roe-mirror.html").read_text()
    assert "Rita Roe" in mirror_text  # ...with the payload it points to

    shown = run("inspect", str(corpus / "films-example-org-interviews-doe.html"))
    assert "captured     2024-03-05T08:30:00Z" in shown.output

    update = run("index", "--update", "--corpus", str(corpus), "--index", str(index))
    assert update.exit_code == 0, update.output
    found = run("search", "platforms latest", "--index", str(index), "--json")
    hits = json.loads(found.output)["hits"]
    assert [h["url"] for h in hits] == [f"{SITE}/interviews/doe"]

    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    html = client.get(f"/a/{hits[0]['article_id']}").get_data(as_text=True)
    origin = BeautifulSoup(html, "html.parser").select_one(".provenance")
    assert origin is not None
    assert origin.select_one("time")["datetime"] == "2024-03-05"  # type: ignore[index]
    # a private crawl the Wayback Machine never saw: the archive file is the provenance...
    assert origin.select_one(".archive-file").get_text() == "sample.wacz"  # type: ignore[union-attr]
    assert origin.select_one("a.archived") is None
    assert "web.archive.org/web/2024" not in html
    assert "Captured 2024-03-05 (web archive sample.wacz)." in html  # in the citation
    # ...and the Wayback Machine is only where to look for it
    search = f"https://web.archive.org/web/*/{SITE}/interviews/doe"
    assert origin.select_one("a.wayback-search")["href"] == search  # type: ignore[index]
    assert "look for it in the Wayback Machine" in origin.get_text()
    data = client.get(f"/api/articles/{hits[0]['article_id']}").get_json()
    assert data["captured"] == "2024-03-05T08:30:00Z"

    again = run("import", str(archive), "--corpus", str(corpus))
    assert "3 unchanged (already in the corpus)" in again.output and "saved" not in again.output


@pytest.mark.parametrize("gzip", [True, False])
def test_truncated_record_at_the_end_is_reported_and_the_rest_kept(
    tmp_path: Path, gzip: bool
) -> None:
    archive = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    archive.write_bytes(sample(gzip, truncated=True))
    result = run("import", str(archive), "--corpus", str(tmp_path / "corpus"))
    assert result.exit_code == 1
    assert "3 saved" in result.output
    assert "interviews/cut is cut short" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "corpus" / "films-example-org-interviews-cut.html").exists()


def test_all_captures_and_match(tmp_path: Path) -> None:
    archive = tmp_path / "sample.warc.gz"
    archive.write_bytes(sample())
    corpus = tmp_path / "corpus"
    result = run(
        "import", str(archive), "--all-captures", "--match", "/doe$", "--corpus", str(corpus)
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in corpus.glob("*.html")) == [
        "films-example-org-interviews-doe-20240101100001.html",
        "films-example-org-interviews-doe-20240305083000.html",
    ]
    assert "not matching --match" in result.output


def test_an_older_archive_does_not_replace_a_newer_capture(tmp_path: Path) -> None:
    newer, older = Archive(), Archive()
    newer.response("/interviews/doe", "2025-01-01T00:00:00Z", page("Jane Doe", "new"))
    older.response("/interviews/doe", "2023-01-01T00:00:00Z", page("Jane Doe", "old"))
    corpus = tmp_path / "corpus"
    for name, warc in (("new.warc.gz", newer), ("old.warc.gz", older)):
        (tmp_path / name).write_bytes(warc.data())
        run("import", str(tmp_path / name), "--corpus", str(corpus))
    assert sidecar(corpus, f"{SITE}/interviews/doe")["captured"] == "2025-01-01T00:00:00Z"


def test_not_an_archive_gets_a_message(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.wacz"
    bogus.write_text("not a zip")
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    garbage = tmp_path / "garbage.warc"
    garbage.write_text("<html>not a WARC</html>\n")
    result = run(
        "import", str(bogus), str(other), str(garbage), "--corpus", str(tmp_path / "corpus")
    )
    assert result.exit_code == 1
    assert "notes.wacz: File is not a zip file" in result.output
    assert "notes.txt: not a web archive" in result.output
    assert "garbage.warc: not a web archive (no WARC record at its start)" in result.output
    assert "Traceback" not in result.output


def test_provenance_links_only_web_urls() -> None:
    from webapp.provenance import provenance

    captured = {"url": f"{SITE}/a", "captured": "2024-03-05T08:30:00Z", "archive": "a.warc"}
    origin = provenance(captured)
    assert origin is not None and origin.how == "captured" and origin.day == "2024-03-05"
    assert origin.archive == "a.warc" and origin.archived == ""  # never seen by the Wayback
    assert origin.search == f"https://web.archive.org/web/*/{SITE}/a"
    wayback = f"https://web.archive.org/web/20240305083000/{SITE}/a"
    assert provenance(captured | {"wayback": wayback}).archived == wayback  # type: ignore[union-attr]
    assert provenance(captured | {"wayback": "https://evil.example/x"}).archived == ""  # type: ignore[union-attr]
    assert provenance(captured | {"url": "javascript:alert(1)"}) is None
    assert provenance({"url": f"{SITE}/a"}) is None  # a page saved by hand says nothing


def test_a_capture_from_the_wayback_machine_is_cited_at_its_address(tmp_path: Path) -> None:
    warc = Archive()
    wayback = f"https://web.archive.org/web/20240305083000id_/{SITE}"
    warc.response("/interviews/doe", "2024-06-01T00:00:00Z", page("Jane Doe", "x"), site=wayback)
    archive = tmp_path / "from-wayback.warc.gz"
    archive.write_bytes(warc.data())
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    assert run("import", str(archive), "--corpus", str(corpus)).exit_code == 0
    doe = sidecar(corpus, f"{SITE}/interviews/doe")  # kept under the original URL
    capture = f"https://web.archive.org/web/20240305083000/{SITE}/interviews/doe"
    assert doe["url"] == f"{SITE}/interviews/doe" and doe["wayback"] == capture
    assert doe["archive"] == "from-wayback.warc.gz"
    shown = run("inspect", str(corpus / "films-example-org-interviews-doe.html")).output
    assert "archive      from-wayback.warc.gz" in shown and f"wayback      {capture}" in shown
    assert run("index", "--corpus", str(corpus), "--index", str(index)).exit_code == 0

    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    found = client.get("/api/search?q=platforms").get_json()["results"][0]
    html = client.get(f"/a/{found['article_id']}").get_data(as_text=True)
    origin = BeautifulSoup(html, "html.parser").select_one(".provenance")
    assert origin is not None and origin.select_one("a.wayback-search") is None
    assert origin.select_one("a.archived")["href"] == capture  # type: ignore[index]
    assert f"(web archive from-wayback.warc.gz), archived at {capture}." in html
    anchor = client.get(f"/api/articles/{found['article_id']}").get_json()["passages"][0]
    bib = client.get(f"/a/{found['article_id']}/{anchor['anchor']}.bib").get_data(as_text=True)
    assert capture in bib
    item = client.get(f"/a/{found['article_id']}/{anchor['anchor']}.json").get_json()
    item = item[0] if isinstance(item, list) else item
    assert item["archive"] == "from-wayback.warc.gz" and item["archive_location"] == capture


def encoded(path: str, body: bytes, encoding: str, date: str | None = None) -> Any:
    """A response record whose payload is sent with a Content-Encoding, or without a date."""
    warc = Archive()
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", HTML), ("Content-Encoding", encoding)], protocol="HTTP/1.1"
    )
    record = warc.writer.create_warc_record(
        SITE + path, "response", payload=io.BytesIO(body), http_headers=headers
    )
    if date is None:
        record.rec_headers.remove_header("WARC-Date")
    else:
        record.rec_headers.replace_header("WARC-Date", date)
    warc.write(record)
    return warc.data()


def test_brotli_pages_are_decoded_and_an_undecodable_one_skipped(tmp_path: Path) -> None:
    first, second = tmp_path / "br.warc.gz", tmp_path / "later.warc.gz"
    html = page("Jane Doe", "squeezed by brotli").encode()
    first.write_bytes(
        encoded("/interviews/br", brotli.compress(html), "br", "2024-01-01T00:00:00Z")
        + encoded("/interviews/bad", b"not brotli at all", "br", "2024-01-01T00:00:00Z")
        + encoded("/interviews/gz", gzip.compress(html), "gzip", "2024-01-01T00:00:00Z")
    )
    later = Archive()
    later.response("/interviews/later", "2024-01-02T00:00:00Z", page("Rita Roe", "later"))
    second.write_bytes(later.data())
    corpus = tmp_path / "corpus"
    result = run("import", str(first), str(second), "--corpus", str(corpus))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"br.warc.gz: the page {SITE}/interviews/bad cannot be decoded" in result.output
    assert "3 saved" in result.output
    for name in ("br", "gz"):
        text = (corpus / f"films-example-org-interviews-{name}.html").read_text()
        assert "squeezed by brotli" in text
    assert not (corpus / "films-example-org-interviews-bad.html").exists()
    assert (corpus / "films-example-org-interviews-later.html").exists()


def test_a_brotli_bomb_is_bounded_by_max_bytes(tmp_path: Path) -> None:
    bomb = brotli.compress(b"<p>" + b" " * 200_000_000)  # a few hundred bytes
    archive = tmp_path / "bomb.warc.gz"
    archive.write_bytes(encoded("/interviews/bomb", bomb, "br", "2024-01-01T00:00:00Z"))
    result = run("import", str(archive), "--max-bytes", "100000", "--corpus", str(tmp_path / "c"))
    assert result.exit_code == 0, result.output
    assert "1 larger than --max-bytes" in result.output


@pytest.mark.parametrize("date", [None, "2024", "yesterday"])
def test_a_missing_or_partial_warc_date_imports_the_page_undated(
    tmp_path: Path, date: str | None
) -> None:
    archive = tmp_path / "undated.warc.gz"
    archive.write_bytes(encoded("/interviews/undated", page("Jane Doe", "when").encode(), "", date))
    corpus = tmp_path / "corpus"
    result = run("import", str(archive), "--corpus", str(corpus))
    assert result.exit_code == 0, result.output
    assert "1 saved" in result.output
    assert "captured" not in sidecar(corpus, f"{SITE}/interviews/undated")


@pytest.mark.parametrize("gzip", [True, False])
def test_an_archive_cut_inside_a_non_html_record_is_reported(tmp_path: Path, gzip: bool) -> None:
    warc = Archive(gzip)
    warc.response("/interviews/one", "2024-01-01T00:00:00Z", page("Jane Doe", "one"))
    warc.response("/interviews/two", "2024-01-01T00:00:00Z", page("Rita Roe", "two"))
    warc.response(
        "/poster.png", "2024-01-01T00:00:00Z", random.Random(0).randbytes(16_384), ctype="image/png"
    )
    archive = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    archive.write_bytes(warc.data()[:-4000])
    result = run("import", str(archive), "--corpus", str(tmp_path / "corpus"))
    assert result.exit_code == 1, result.output
    assert "2 saved" in result.output
    assert f"the response record of {SITE}/poster.png is cut short" in result.output


def zip_bomb(path: Path, size: int) -> Path:
    """A WACZ whose WARC member unpacks to `size` zero bytes from a few hundred kilobytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as out:
        with out.open("archive/data.warc", "w", force_zip64=True) as member:
            for _ in range(size >> 20):
                member.write(bytes(1 << 20))
        out.writestr("datapackage.json", json.dumps({"profile": "data-package"}))
    return path


def test_what_is_not_a_web_archive_is_refused_in_one_line(tmp_path: Path) -> None:
    zeros = tmp_path / "zeros.warc"
    with zeros.open("wb") as out:
        out.truncate(20_000_000)
    html = tmp_path / "page.warc"
    html.write_text(page("Jane Doe", "not archived"))
    bomb = zip_bomb(tmp_path / "bomb.wacz", 1 << 27)
    small_bomb = zip_bomb(tmp_path / "zeros.wacz", 1 << 20)  # below the ratio's floor
    corpus = tmp_path / "corpus"
    archives = [str(p) for p in (zeros, html, bomb, small_bomb)]
    result = run("import", *archives, "--corpus", str(corpus))
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert f"{zeros}: not a web archive (no WARC record at its start)" in lines
    assert f"{html}: not a web archive (no WARC record at its start)" in lines
    assert any(
        line.startswith(f"{bomb}: not a WACZ: archive/data.warc would unpack to") for line in lines
    )
    assert (
        f"{small_bomb} (archive/data.warc): not a web archive (no WARC record at its start)"
        in lines
    )
    assert len(result.output) < 2_000
    assert not corpus.exists() or not list(corpus.iterdir())


@pytest.mark.parametrize("encoding", ["", "gzip", "deflate", "br", "gzip, br"])
def test_chunked_and_encoded_payloads_are_decoded(tmp_path: Path, encoding: str) -> None:
    html = page("Jane Doe", "sent in chunks").encode()
    body = html
    for name in (e.strip() for e in encoding.split(",") if e):
        body = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}[name](body)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (body[:50], body[50:])) + b"0\r\n\r\n"
    headers = [("Content-Type", HTML), ("Transfer-Encoding", "chunked")]
    headers += [("Content-Encoding", encoding)] if encoding else []
    warc = Archive()
    record = warc.writer.create_warc_record(
        SITE + "/interviews/chunked",
        "response",
        payload=io.BytesIO(chunked),
        http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
    )
    warc.write(record)
    archive = tmp_path / "chunked.warc.gz"
    archive.write_bytes(warc.data())
    corpus = tmp_path / "corpus"
    result = run("import", str(archive), "--corpus", str(corpus))
    assert result.exit_code == 0, result.output
    saved = (corpus / "films-example-org-interviews-chunked.html").read_text()
    assert "sent in chunks" in saved
