"""Shared fixtures: a small index built once per run, the Flask app and its client."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer.indexing.generation import swap_in, write_index
from indexer.model import INTERVIEWEE, INTERVIEWER, Article, Passage, Turn
from webapp import create_app


def qa(anchor: str, asker: str, question: str, *answers: tuple[str, str]) -> Passage:
    turns = [Turn(asker, asker.split()[-1].upper(), INTERVIEWER, question)]
    turns += [Turn(who, who.split()[-1].upper(), INTERVIEWEE, text) for who, text in answers]
    return Passage(anchor=anchor, kind="qa", turns=turns)


def sample_articles() -> list[Article]:
    """Three invented interviews covering multi-speaker passages, accents and markup."""
    lumen = Article(
        id="lumen-interview",
        source="lumen-interview.txt",
        title="Inside “The Lumen Years”",
        url="https://example.org/lumen",
        publication="Reel Notes",
        date="2012-05-04",
        films=["The Lumen Years"],
        directors=["Mara Velde"],
        interviewers=["Jonas Pike"],
        interviewees=["Mara Velde", "Ode Farrow"],
        is_qa=True,
        passages=[
            Passage(anchor="intro", kind="intro", text="Mara Velde made a film about lighthouses."),
            qa(
                "q1",
                "Jonas Pike",
                "How did censorship shape the film?",
                ("Mara Velde", "Censorship was everywhere; we filmed at night."),
            ),
            qa(
                "q2",
                "Jonas Pike",
                "And the music?",
                ("Ode Farrow", "I wrote the score on a broken piano."),
                ("Mara Velde", "Ode is being modest about the piano."),
            ),
        ],
    )
    almo = Article(
        id="pedro-talk",
        source="pedro-talk.html",
        title="Talking colour with Inés Almodóvar",
        url="javascript:alert(1)",
        publication="Cine <b>Diario</b>",
        date="2019-11-30",
        films=["Rojo Sobre Rojo"],
        directors=["Inés Almodóvar"],
        interviewers=["Cine Diario"],
        interviewees=["Inés Almodóvar"],
        is_qa=True,
        passages=[
            qa(
                "q1",
                "Cine Diario",
                "Why so much red?",
                ("Inés Almodóvar", "Red is the colour of <script>alert('x')</script> memory."),
            ),
            qa(
                "q2",
                "Cine Diario",
                "Were you ever censored?",
                ("Inés Almodóvar", "Never by the state, often by producers."),
            ),
        ],
    )
    profile = Article(
        id="velde-profile",
        source="velde-profile.html",
        title="Mara Velde, night filmmaker",
        publication="Reel Notes",
        date="2008-01-15",
        films=["The Lumen Years"],
        directors=["Mara Velde"],
        is_qa=False,
        passages=[Passage(anchor="p1", kind="narrative", text="Velde shoots only at night.")],
    )
    for article in (lumen, almo, profile):
        article.turns = [t for p in article.passages for t in p.turns]
    return [lumen, almo, profile]


@pytest.fixture(scope="session")
def index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("index")
    generation = root / "gen-00000000000000000001"
    write_index(sample_articles(), generation)
    swap_in(root, generation)
    return root


@pytest.fixture()
def app(index_root: Path) -> Iterator[Flask]:
    yield create_app({"INDEX_DIR": str(index_root), "TESTING": True})


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


CHROMIUM = Path("/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(index_root: Path) -> Iterator[str]:
    """`filmsearch serve` (waitress) on a free port of 127.0.0.1, serving `index_root`."""
    port = free_port()
    # A file, not a pipe: the server logs every request, and an unread pipe would fill up.
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "indexer.cli",
                "serve",
                "--port",
                str(port),
                "--index",
                str(index_root),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, proc, log)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Any, seconds: float = 60) -> None:
    """Return once `url` answers; raise with the server's log if it exits or never does."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url + "/api/search", timeout=5):
                return
        except OSError as exc:
            exited = proc.poll() is not None
            if exited or time.monotonic() > deadline:
                log.seek(0)
                why = "exited" if exited else f"did not answer within {seconds:g} s"
                raise RuntimeError(f"server {why}: {log.read().decode()}") from exc
            time.sleep(0.1)


@pytest.fixture(scope="session")
def live_server(index_root: Path) -> Iterator[str]:
    """The test index, served as in production."""
    with serving(index_root) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
