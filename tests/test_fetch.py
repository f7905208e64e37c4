"""`filmsearch fetch` against a real local site: robots.txt, spacing, retries, limits,
redirects, charsets, conditional GET, sitemaps (gzipped too) and RSS/Atom feeds."""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import socketserver
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result
from ingest_pages import interview_page
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from indexer.cli import cli
from indexer.ingest.fetch import PoliteClient, Refused, html_only
from indexer.ingest.store import slug_for
from indexer.read.sources import read_source

DELAY = 0.2
ROBOTS = """User-agent: *
Disallow: /

User-agent: filmsearch
Disallow: /interviews/private
Disallow: /secret
"""


@dataclass
class Site:
    """A site served by a real HTTP server: routes by path, and a log of every request."""

    server: HTTPServer
    routes: dict[str, Callable[[Request], Response]] = field(default_factory=dict)
    log: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def handle(self, request: Request) -> Response:
        self.log.append((time.monotonic(), request.path, dict(request.headers)))
        route = self.routes.get(request.path)
        return route(request) if route else Response("no such page", 404)

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.log]

    def page(self, path: str, html: str, etag: str = "", **headers: str) -> None:
        """An HTML page that answers 304 to a matching If-None-Match."""

        def serve(request: Request) -> Response:
            if etag and request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers={"ETag": etag})
            extra = {"ETag": etag} if etag else {}
            return Response(html, content_type="text/html; charset=utf-8", headers=extra | headers)

        self.routes[path] = serve

    def static(self, path: str, body: bytes | str, content_type: str, status: int = 200) -> None:
        self.routes[path] = lambda _: Response(body, status=status, content_type=content_type)


@pytest.fixture()
def site() -> Iterator[Site]:
    server = HTTPServer(host="127.0.0.1", threaded=True)  # a slow response blocks nobody
    server.start()
    site = Site(server)
    server.expect_request(re.compile("^/")).respond_with_handler(site.handle)
    site.static("/robots.txt", ROBOTS, "text/plain")
    yield site
    server.clear()
    server.stop()


def fetch(corpus: Path, *args: str) -> Result:
    command = ["fetch", "--corpus", str(corpus), "--delay", str(DELAY), "--timeout", "1", *args]
    return CliRunner().invoke(cli, command)


def sidecar(corpus: Path, url: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((corpus / f"{slug_for(url)}.meta.json").read_text())
    return data


def urlset(*entries: tuple[str, str]) -> str:
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>{day}</lastmod></url>" for loc, day in entries)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def interview_site(site: Site) -> list[str]:
    """A sitemap index with a gzipped child; the interview pages a polite fetch may save."""
    for slug, etag in (("one", '"v1"'), ("two", '"v2"'), ("private-three", '"v3"')):
        site.page(f"/interviews/{slug}", interview_page("Jane Doe", "Night Trains", slug), etag)
    site.page("/about", "<html><body><p>About us</p></body></html>")
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url('/sitemap-pages.xml.gz')}</loc></sitemap>"
        f"<sitemap><loc>{site.url('/sitemap-more.xml')}</loc></sitemap></sitemapindex>"
    )
    site.static("/sitemap.xml", index, "application/xml")
    pages = urlset(
        (site.url("/interviews/one"), "2024-05-01"),
        (site.url("/interviews/private-three"), "2024-05-02"),
        (site.url("/about"), "2024-05-03"),
    )
    site.static("/sitemap-pages.xml.gz", gzip.compress(pages.encode()), "application/gzip")
    site.static(
        "/sitemap-more.xml", urlset((site.url("/interviews/two"), "2024-06-01")), "text/xml"
    )
    return [site.url("/interviews/one"), site.url("/interviews/two")]


def test_sitemap_fetch_saves_allowed_interviews_politely_and_refetches_nothing(
    site: Site, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    wanted = interview_site(site)
    result = fetch(corpus, "--sitemap", site.url("/sitemap.xml"), "--match", "/interview")
    assert result.exit_code == 0, result.output
    saved = sorted(p.name for p in corpus.glob("*.html"))
    assert saved == sorted(f"{slug_for(u)}.html" for u in wanted)
    assert "/interviews/private-three" not in site.paths()  # disallowed: never requested
    assert "/about" not in site.paths()  # not matching --match: never requested
    assert re.search(
        r"skipped\s+\S+/interviews/private-three: disallowed by robots.txt", result.output
    )
    assert "2 saved, 0 unchanged, 1 skipped, 0 failed" in result.output
    # One request at a time, DELAY apart (robots.txt, the sitemaps and the pages).
    times = [t for t, _, _ in site.log]
    assert len(times) == 6
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= DELAY * 0.9
    assert all("filmsearch" in headers["User-Agent"] for _, _, headers in site.log)

    meta = sidecar(corpus, wanted[0])
    assert meta["url"] == meta["requested_url"] == wanted[0]
    assert meta["etag"] == '"v1"'
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["fetched"])
    assert meta["publication"] == "Test Cinema Review"
    assert meta["title"] == "Jane Doe on Night Trains"
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}

    site.log.clear()
    again = fetch(corpus, "--sitemap", site.url("/sitemap.xml"), "--match", "/interview")
    assert again.exit_code == 0, again.output
    assert "0 saved, 2 unchanged, 1 skipped, 0 failed" in again.output
    page_requests = [h for _, path, h in site.log if path.startswith("/interviews/")]
    assert [h.get("If-None-Match") for h in page_requests] == ['"v1"', '"v2"']
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before
    assert not list(corpus.glob(".*"))  # no temporary files left behind


def test_since_skips_older_sitemap_entries(site: Site, tmp_path: Path) -> None:
    wanted = interview_site(site)
    result = fetch(tmp_path, "--sitemap", site.url("/sitemap.xml"), "--since", "2024-05-15")
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.glob("*.html")] == [f"{slug_for(wanted[1])}.html"]
    assert "/interviews/one" not in site.paths()


def test_feeds_rss_and_atom(site: Site, tmp_path: Path) -> None:
    for path in ("/interviews/rss", "/interviews/atom", "/news/rss"):
        site.page(path, interview_page("Jane Doe", "Night Trains", path))
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>A</title><link>{site.url("/interviews/rss")}</link>
<pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item>
<item><title>B</title><link>{site.url("/news/rss")}</link>
<pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item>
<item><title>C</title><link>{site.url("/interviews/old")}</link>
<pubDate>Mon, 01 Jan 2018 10:00:00 GMT</pubDate></item></channel></rss>"""
    atom = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>T</title><id>urn:t</id><updated>2024-06-01T00:00:00Z</updated>
<entry><title>D</title><id>urn:d</id><link rel="alternate" href="/interviews/atom"/>
<updated>2024-06-01T00:00:00Z</updated></entry></feed>"""
    site.static("/feed.rss", rss, "application/rss+xml")
    site.static("/atom.xml", atom, "application/atom+xml")
    result = fetch(
        tmp_path,
        *("--feed", site.url("/feed.rss"), "--feed", site.url("/atom.xml")),
        *("--match", "/interviews/", "--since", "2024-01-01"),
    )
    assert result.exit_code == 0, result.output
    saved = {p.name for p in tmp_path.glob("*.html")}
    assert saved == {
        f"{slug_for(site.url(p))}.html" for p in ("/interviews/rss", "/interviews/atom")
    }
    assert "/news/rss" not in site.paths() and "/interviews/old" not in site.paths()


def test_redirects_are_followed_and_recorded(site: Site, tmp_path: Path) -> None:
    site.page("/interviews/new", interview_page("Jane Doe", "Night Trains", "moved"))
    site.routes["/interviews/old"] = lambda _: Response(
        status=301, headers={"Location": "/interviews/new"}
    )
    site.routes["/interviews/sneaky"] = lambda _: Response(
        status=302, headers={"Location": "/secret/page"}
    )
    old, sneaky = site.url("/interviews/old"), site.url("/interviews/sneaky")
    result = fetch(tmp_path, old, sneaky)
    assert result.exit_code == 0, result.output
    meta = sidecar(tmp_path, site.url("/interviews/new"))  # named by where the page is
    assert meta["url"] == site.url("/interviews/new") and meta["requested_url"] == old
    assert re.search(r"skipped\s+\S+/interviews/sneaky: disallowed by robots.txt", result.output)
    assert "/secret/page" not in site.paths()


def test_errors_limits_and_content_types_are_reported(site: Site, tmp_path: Path) -> None:
    site.static("/gone", "gone", "text/html", status=410)
    site.static("/report.pdf", b"%PDF-1.4 not a page", "application/pdf")

    def slow(_: Request) -> Response:
        time.sleep(1.0)
        return Response("<p>late</p>", content_type="text/html")

    def huge(_: Request) -> Response:
        chunks = (b"<p>" + b"x" * 100_000 + b"</p>" for _ in range(50))
        return Response(chunks, content_type="text/html")  # no Content-Length: streamed

    def trickle(_: Request) -> Response:
        def drip() -> Iterator[bytes]:
            for _ in range(6):  # each byte in time, the whole page too late
                time.sleep(0.2)
                yield b"<p>"

        return Response(drip(), content_type="text/html")

    site.routes["/slow"] = slow
    site.routes["/huge"] = huge
    site.routes["/trickle"] = trickle
    paths = ("/missing", "/gone", "/report.pdf", "/slow", "/huge", "/trickle")
    urls = [site.url(p) for p in paths]
    result = fetch(tmp_path, *urls, "--max-bytes", "300000", "--timeout", "0.5")
    assert result.exit_code == 1
    assert re.search(r"failed\s+\S+/missing: HTTP 404 Not Found", result.output)
    assert re.search(r"failed\s+\S+/gone: HTTP 410 Gone", result.output)
    assert re.search(r"skipped\s+\S+/report.pdf: not HTML \(application/pdf\)", result.output)
    assert re.search(r"failed\s+\S+/slow: timed out after 0.5 s", result.output)
    assert re.search(r"skipped\s+\S+/huge: larger than 300,000 bytes", result.output)
    assert re.search(r"failed\s+\S+/trickle: timed out after 0.5 s", result.output)
    assert "0 saved, 0 unchanged, 2 skipped, 4 failed" in result.output
    assert "4 URL(s) failed." in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_retry_after_is_honoured(site: Site, tmp_path: Path) -> None:
    answers = iter([Response("busy", status=429, headers={"Retry-After": "1"})])

    def busy(_: Request) -> Response:
        return next(answers, None) or Response(
            interview_page("Jane Doe", "Night Trains", "busy"), content_type="text/html"
        )

    site.routes["/interviews/busy"] = busy
    site.routes["/interviews/closed"] = lambda _: Response(
        "down", status=503, headers={"Retry-After": "86400"}
    )
    result = fetch(tmp_path, site.url("/interviews/busy"), site.url("/interviews/closed"))
    times = [t for t, path, _ in site.log if path == "/interviews/busy"]
    assert len(times) == 2 and times[1] - times[0] >= 0.95
    assert re.search(r"saved\s+\S+/interviews/busy", result.output)
    assert re.search(r"failed\s+\S+/closed: HTTP 503 .*asked to wait 86400 s", result.output)
    assert site.paths().count("/interviews/closed") == 1


def test_charset_from_header_wins_over_a_wrong_meta(site: Site, tmp_path: Path) -> None:
    page = interview_page("Pedro Almodóvar", "Volver", "Sí, señor.", charset_meta="utf-8")
    site.routes["/interviews/latin"] = lambda _: Response(
        page.encode("windows-1252"), content_type="text/html; charset=windows-1252"
    )
    # A header naming UTF-8 for bytes that are not: the page's own meta decides instead.
    latin = interview_page("Pedro Almodóvar", "Volver", "Olé.", charset_meta="iso-8859-1")
    site.routes["/interviews/lying"] = lambda _: Response(
        latin.encode("iso-8859-1"), content_type="text/html; charset=utf-8"
    )
    url, lying = site.url("/interviews/latin"), site.url("/interviews/lying")
    assert fetch(tmp_path, url, lying).exit_code == 0
    source = read_source(tmp_path / f"{slug_for(url)}.html", tmp_path)
    assert "Pedro Almodóvar" in source.text and "Sí, señor." in source.text
    assert "Olé." in read_source(tmp_path / f"{slug_for(lying)}.html", tmp_path).text


def test_refetch_keeps_curated_sidecar_fields(site: Site, tmp_path: Path) -> None:
    url = site.url("/interviews/one")
    site.page("/interviews/one", interview_page("Jane Doe", "Night Trains", "first"), '"a"')
    assert fetch(tmp_path, url).exit_code == 0
    meta_path = tmp_path / f"{slug_for(url)}.meta.json"
    meta_path.write_text(json.dumps(sidecar(tmp_path, url) | {"films": ["Night Trains (2024)"]}))
    site.page("/interviews/one", interview_page("Jane Doe", "Night Trains", "second"), '"b"')
    result = fetch(tmp_path, url)
    assert "1 saved" in result.output
    meta = sidecar(tmp_path, url)
    assert meta["films"] == ["Night Trains (2024)"] and meta["etag"] == '"b"'
    assert "second" in (tmp_path / f"{slug_for(url)}.html").read_text(encoding="utf-8-sig")


def test_bad_input_gets_a_message(tmp_path: Path) -> None:
    runner = CliRunner()
    nothing = runner.invoke(cli, ["fetch", "--corpus", str(tmp_path)])
    assert nothing.exit_code == 2 and "Give URLs, --list, --sitemap or --feed" in nothing.output
    regex = runner.invoke(cli, ["fetch", "http://127.0.0.1:9/x", "--match", "("])
    assert regex.exit_code == 2 and "not a regular expression" in regex.output
    listed = tmp_path / "urls.txt"
    listed.write_text("# interviews\nftp://example.org/file\n")
    result = runner.invoke(cli, ["fetch", "--list", str(listed), "--corpus", str(tmp_path)])
    assert "skipped   ftp://example.org/file: not an http(s) URL" in result.output
    assert "Traceback" not in result.output


def test_fetch_with_index_updates_it_and_the_page_says_when_it_was_fetched(
    site: Site, tmp_path: Path
) -> None:
    from webapp import create_app

    url = site.url("/interviews/one")
    site.page("/interviews/one", interview_page("Jane Doe", "Night Trains", "lanterns"))
    index = tmp_path / "index"
    result = fetch(tmp_path / "corpus", url, "--index", "--index-dir", str(index))
    assert result.exit_code == 0, result.output
    assert "Indexed 3 passages from 1 articles" in result.output
    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    article_id = slug_for(url)
    html = client.get(f"/a/{article_id}").get_data(as_text=True)
    origin = BeautifulSoup(html, "html.parser").select_one(".provenance")
    assert origin is not None and "fetched" in origin.get_text()
    assert origin.select_one("a")["href"] == url  # type: ignore[index]
    assert origin.select_one("a.archived") is None  # fetched, not archived
    assert "Retrieved " in html


def test_unreachable_site_and_invalid_urls_fail_with_a_reason(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = fetch(tmp_path, f"http://127.0.0.1:{port}/interviews/x", "http://[bad/x")
    assert result.exit_code == 1
    assert re.search(
        r"failed\s+\S+/interviews/x: robots.txt unreadable \(cannot connect", result.output
    )
    assert "failed    http://[bad/x: invalid URL" in result.output
    assert "Traceback" not in result.output


def test_last_modified_refetch_and_crawl_delay(site: Site, tmp_path: Path) -> None:
    stamp = "Wed, 01 May 2024 10:00:00 GMT"

    def dated(request: Request) -> Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304)
        page = interview_page("Jane Doe", "Night Trains", "dated")
        return Response(page, content_type="text/html", headers={"Last-Modified": stamp})

    site.routes["/interviews/dated"] = dated
    site.static("/robots.txt", "User-agent: filmsearch\nCrawl-delay: 0.6\n", "text/plain")
    url = site.url("/interviews/dated")
    assert "1 saved" in fetch(tmp_path, url).output
    assert sidecar(tmp_path, url)["last_modified"] == stamp
    again = fetch(tmp_path, url)
    assert re.search(r"unchanged\s+\S+/interviews/dated: not modified", again.output)
    # robots.txt asked for 0.6 s between requests, more than --delay
    robots, page = [t for t, _, _ in site.log[-2:]]
    assert page - robots >= 0.6 * 0.9


class Trickle(socketserver.StreamRequestHandler):
    """Answers robots.txt with 404 at once, and every other path one byte at a time for
    DRIP_SECONDS, then hangs up: /slow-headers within a header, /slow-body after them."""

    DRIP_SECONDS = 30.0
    BYTE_PAUSE = 0.05

    def handle(self) -> None:
        path = self.rfile.readline().split()[1].decode()
        while self.rfile.readline() not in (b"\r\n", b""):
            pass
        if path == "/robots.txt":
            self.wfile.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        if path == "/slow-body":
            self.wfile.write(b"Content-Type: text/html\r\nContent-Length: 1000000\r\n\r\n")
        else:
            self.wfile.write(b"X-Padding: ")
        stop = time.monotonic() + self.DRIP_SECONDS
        try:
            while time.monotonic() < stop:
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(self.BYTE_PAUSE)  # the server's pace, not a wait for the client
        except OSError:
            pass  # the client hung up


@pytest.fixture()
def trickle() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", ["/slow-body", "/slow-headers"])
def test_timeout_is_a_deadline_for_the_whole_response(trickle: str, path: str) -> None:
    """A 1 s timeout gives up on a response that trickles for 30 s (and then breaks off,
    which without a deadline would be a network error)."""
    client = PoliteClient("filmsearch-test", delay=0, timeout=1)
    try:
        with pytest.raises(Refused, match=r"^timed out after 1 s$"):
            client.get(trickle + path, accept=html_only)
    finally:
        client.close()


def test_a_page_reached_by_a_redirect_and_directly_is_one_file(site: Site, tmp_path: Path) -> None:
    site.page("/interviews/new", interview_page("Jane Doe", "Night Trains", "moved"))
    site.routes["/interviews/old"] = lambda _: Response(
        status=301, headers={"Location": "/interviews/new"}
    )
    old, new = site.url("/interviews/old"), site.url("/interviews/new")
    assert fetch(tmp_path, old).exit_code == 0
    result = fetch(tmp_path, new)
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.glob("*.html")] == [f"{slug_for(new)}.html"]


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_pages_get_the_mode_the_umask_gives(site: Site, tmp_path: Path, umask: int) -> None:
    site.page("/interviews/doe", interview_page("Jane Doe", "Night Trains", "modes"))
    previous = os.umask(umask)
    try:
        assert fetch(tmp_path, site.url("/interviews/doe")).exit_code == 0
    finally:
        os.umask(previous)
    files = list(tmp_path.iterdir())
    assert len(files) == 2  # the page and its sidecar, no temporary file left
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path.name
