"""Security baseline: escaping, headers on every response, path traversal, start-up checks."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from indexer.indexing.generation import build_index
from webapp import create_app
from webapp.errors import SearchError
from webapp.security import HEADERS

IMG = '"><img src=x onerror=alert(1)>'
SCRIPT = "<script>alert('owned')</script>"
TEXT = f"""Night Light {IMG}

An intro about a film {SCRIPT} shot at night.

Jonas Pike: What about {IMG} the lamps?
Mara Velde: We used {SCRIPT} candles and <a href="javascript:alert(2)">links</a>.
Jonas Pike: And the sound?
Mara Velde: Silence, mostly.
"""
SIDECAR = {
    "url": "javascript:alert(document.cookie)",
    "title": f"Night Light {IMG}",
    "publication": f"<b onmouseover=alert(1)>Reel</b>{IMG}",
    "date": "2015-03-01",
    "films": [f"{SCRIPT} Night Light"],
    "directors": [f"Mara Velde{IMG}"],
    "interviewers": ["Jonas Pike"],
    "interviewees": ["Mara Velde"],
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """The real pipeline over an article whose text and sidecar carry markup."""
    corpus = tmp_path_factory.mktemp("hostile")
    (corpus / "night.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "night.meta.json").write_text(json.dumps(SIDECAR), encoding="utf-8")
    root = tmp_path_factory.mktemp("hostile-index")
    build_index(corpus, root, jobs=1)
    return create_app({"INDEX_DIR": str(root), "TESTING": True}).test_client()


def assert_inert(html: str) -> None:
    """No script, event handler or javascript: URL that did not come from our templates."""
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src", "").startswith("/static/") and not script.string, script
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            if name in ("href", "src", "action", "formaction"):
                assert not str(value).strip().lower().startswith("javascript:"), tag
    assert "<img src=x" not in html and "<b onmouseover" not in html


def test_markup_from_corpus_and_queries_is_escaped(hostile: FlaskClient) -> None:
    article = hostile.get("/api/search?q=candles").get_json()["results"][0]["article_id"]
    film = f"{SCRIPT} Night Light"
    pages = [
        "/",
        "/?q=candles",
        f"/?q={IMG}",
        f"/?q={SCRIPT}",
        "/?q=lamps&film=" + film,
        "/?director=" + f"Mara Velde{IMG}",
        f"/a/{article}",
        f"/a/{article}?q={IMG}",
        f"/a/{IMG}",
        f"/nowhere{IMG}",
        "/films",
        "/people",
        "/films/" + quote(film, safe=""),
        "/people/" + quote(f"Mara Velde{IMG}", safe=""),
        "/people/" + quote(IMG, safe=""),
    ]
    for url in pages:
        response = hostile.get(url)
        assert response.status_code in (200, 404), url
        assert_inert(response.get_data(as_text=True))
    page = BeautifulSoup(hostile.get("/?q=candles").data, "html.parser")
    assert IMG in page.get_text() and SCRIPT in page.get_text()  # shown as text, not markup


def test_api_is_json_never_html(hostile: FlaskClient) -> None:
    urls = ["/api/search?q=candles", f"/api/search?q={SCRIPT}", "/api/articles/night"]
    urls += [f"/api/suggest?q={quote(SCRIPT)}", "/api/films", "/api/people"]
    for url in urls:
        response = hostile.get(url)
        assert response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    data = hostile.get("/api/articles/night").get_json()
    assert data["url"] == SIDECAR["url"]  # data as given; pages never link it
    hit = hostile.get("/api/search?q=candles").get_json()["results"][0]
    assert hit["source_link"] == ""
    assert "<script>" not in hit["answer_html"] and "&lt;script&gt;" in hit["answer_html"]


REQUESTS = [
    ("GET", "/", 200),
    ("GET", "/search?q=piano", 200),
    ("GET", "/a/lumen-interview", 200),
    ("GET", "/api/search?q=piano", 200),
    ("GET", "/api/articles/lumen-interview", 200),
    ("GET", "/static/style.css", 200),
    ("GET", "/a/nope", 404),
    ("GET", "/api/articles/nope", 404),
    ("GET", "/no/such/page", 404),
    ("GET", "/api/search?" + "&".join([f"film=x{n}" for n in range(200)]), 400),
    ("GET", "/?q=" + "x" * 40_000, 414),
    ("POST", "/api/search", 405),
]


@pytest.mark.parametrize(("method", "url", "status"), REQUESTS)
def test_security_headers_on_every_response(
    client: FlaskClient, method: str, url: str, status: int
) -> None:
    response = client.open(url, method=method)
    assert response.status_code == status
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    response.close()


def test_long_query_string_is_refused_plainly(client: FlaskClient) -> None:
    response = client.get("/api/search", query_string={"q": "é" * 10_000})
    assert response.status_code == 414
    assert "too long" in response.get_json()["error"]
    assert client.get("/api/search", query_string={"q": "x" * 10_000}).status_code == 200


TRAVERSALS = [
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "..%252F..%252Fetc%252Fpasswd",
    "%2e%2e",
    "..",
    "....//....//etc//passwd",
    "%00",
    "C:%5Cwindows%5Cwin.ini",
    "%2Fetc%2Fpasswd",
]


@pytest.mark.parametrize("article_id", TRAVERSALS)
def test_article_ids_cannot_reach_files(client: FlaskClient, article_id: str) -> None:
    for prefix in ("/a/", "/api/articles/"):
        response = client.get(prefix + article_id)
        assert response.status_code in (400, 404), prefix + article_id
        body = response.get_data(as_text=True)
        assert "root:" not in body and "[fonts]" not in body


@pytest.mark.parametrize(
    "url", ["/static/../webapp/__init__.py", "/static/..%2F__init__.py", "/static/%2e%2e/search.py"]
)
def test_static_files_stay_in_static(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404 and b"create_app" not in response.data


def corrupt(index_root: Path, tmp_path: Path, how: str) -> Path:
    """A copy of the test index, damaged in one way."""
    root = tmp_path / "index"
    shutil.copytree(index_root, root, symlinks=True)
    generation = (root / "current").resolve()
    if how == "truncated segment":
        for seg in generation.glob("*.seg"):
            seg.write_bytes(seg.read_bytes()[:2000])
    elif how == "garbage toc":
        for toc in generation.glob("*.toc"):
            toc.write_bytes(b"not a table of contents")
    elif how == "empty generation":
        shutil.rmtree(generation)
        generation.mkdir()
    elif how == "dangling current":
        shutil.rmtree(generation)
    return root


DAMAGE = ["truncated segment", "garbage toc", "empty generation", "dangling current"]


# Whoosh leaves a table of contents it cannot read open; collect it inside this test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("how", DAMAGE)
def test_app_refuses_a_damaged_index(index_root: Path, tmp_path: Path, how: str) -> None:
    root = corrupt(index_root, tmp_path, how)
    with pytest.raises(SearchError, match="Run `filmsearch index`") as info:
        create_app({"INDEX_DIR": str(root)})
    assert info.value.status == 503
    del info
    gc.collect()


def test_app_refuses_a_missing_index(tmp_path: Path) -> None:
    with pytest.raises(SearchError, match=r"No index at .*Run `filmsearch index` to build it"):
        create_app({"INDEX_DIR": str(tmp_path / "missing")})


@pytest.mark.slow
@pytest.mark.parametrize("how", ["truncated segment", "missing"])
def test_production_server_refuses_to_start(index_root: Path, tmp_path: Path, how: str) -> None:
    root = tmp_path / "missing" if how == "missing" else corrupt(index_root, tmp_path, how)
    commands = [
        [sys.executable, "-m", "waitress", "--port=0", "webapp.wsgi:app"],
        [sys.executable, "-m", "indexer.cli", "serve", "--index", str(root), "--port", "0"],
    ]
    env = {"FILMSEARCH_INDEX_DIR": str(root), "PATH": "/usr/bin:/bin"}
    if how == "missing":
        commands.pop()  # `filmsearch serve` builds a missing index instead
    for command in commands:
        proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
        assert proc.returncode == 1, proc.stderr
        assert "Run `filmsearch index`" in proc.stderr
        assert "Traceback" not in proc.stderr
