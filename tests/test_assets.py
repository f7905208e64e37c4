"""Static files by content-hashed names with long cache lifetimes, and compressed responses."""

from __future__ import annotations

import gzip
import hashlib
import re
import urllib.request
import zlib
from pathlib import Path

import brotli
import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from webapp.assets import Fingerprints

STATIC = Path(__file__).resolve().parent.parent / "webapp" / "static"
ONE_YEAR = "public, max-age=31536000, immutable"


def asset_urls(client: FlaskClient, url: str) -> list[str]:
    page = BeautifulSoup(client.get(url).data, "html.parser")
    links = [tag["href"] for tag in page.select("link[rel=stylesheet], link[rel=icon]")]
    return links + [tag["src"] for tag in page.select("script[src]")]


def test_pages_name_static_files_by_a_hash_of_their_bytes(client: FlaskClient) -> None:
    for url in ("/", "/search?q=piano", "/a/lumen-interview", "/films", "/help/search"):
        urls = asset_urls(client, url)
        assert len(urls) == 3, url
        for asset in urls:
            match = re.fullmatch(r"/static/(\w+)\.([0-9a-f]{12})\.(\w+)", asset)
            assert match, asset
            name = f"{match.group(1)}.{match.group(3)}"
            digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()
            assert match.group(2) == digest[:12], asset


def test_hashed_names_are_cached_for_a_year_and_plain_names_revalidated(
    client: FlaskClient,
) -> None:
    for asset in asset_urls(client, "/"):
        with client.get(asset) as response:
            assert response.status_code == 200, asset
            assert response.headers["Cache-Control"] == ONE_YEAR
            name = re.sub(r"\.[0-9a-f]{12}\.", ".", asset.rsplit("/", 1)[1])
            assert response.get_data() == (STATIC / name).read_bytes()
    with client.get("/static/app.js") as plain:
        assert plain.status_code == 200 and plain.headers["Cache-Control"] == "no-cache"
        assert "immutable" not in plain.headers["Cache-Control"]
    assert client.get("/static/app.000000000000.js").status_code == 404  # a stale hash


def test_a_changed_file_gets_a_new_name(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text("one")
    before = Fingerprints(tmp_path).hashed["app.js"]
    (tmp_path / "app.js").write_text("two")
    after = Fingerprints(tmp_path).hashed["app.js"]
    assert before != after and before.startswith("app.") and after.endswith(".js")


def test_responses_are_compressed_as_the_client_accepts(client: FlaskClient) -> None:
    plain = client.get("/search?q=piano").get_data()
    gzipped = client.get("/search?q=piano", headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in gzipped.headers["Vary"]
    assert gzip.decompress(gzipped.get_data()) == plain
    assert len(gzipped.get_data()) < len(plain) / 2
    brotlied = client.get("/api/search?q=piano", headers={"Accept-Encoding": "br"})
    assert brotlied.headers["Content-Encoding"] == "br"
    assert brotli.decompress(brotlied.get_data()) == client.get("/api/search?q=piano").get_data()
    # an export streams, and is compressed as it streams
    export = client.get("/api/search.csv", headers={"Accept-Encoding": "deflate"})
    assert export.headers["Content-Encoding"] == "deflate"
    assert zlib.decompress(export.get_data()) == client.get("/api/search.csv").get_data()
    assert "Content-Encoding" not in client.get("/search?q=piano").headers


@pytest.mark.slow
def test_the_server_sends_compressed_static_files(live_server: str) -> None:
    with urllib.request.urlopen(live_server + "/") as response:
        page = response.read().decode()
    css = re.search(r'href="(/static/style\.[0-9a-f]{12}\.css)"', page)
    assert css
    request = urllib.request.Request(live_server + css.group(1), headers={"Accept-Encoding": "br"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "br"
        assert response.headers["Cache-Control"] == ONE_YEAR
        body = brotli.decompress(response.read())
    assert body == (STATIC / "style.css").read_bytes()
