"""`filmsearch films fetch` against a local SPARQL endpoint: CSV and JSON answers, a 429
with Retry-After, a timeout, a cut-off answer, and a run killed midway that resumes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from indexer.entities.filmdb import FilmDatabase
from indexer.ingest.fetch import PoliteClient
from indexer.ingest.wikidata import FetchError, fetch_year, fetch_years, query_for

FIXTURES = Path(__file__).parent / "fixtures" / "films"
LANGS = ("en", "fr")
ANSWER = json.loads((FIXTURES / "catalogue.json").read_text(encoding="utf-8"))


def year_of(request: Request) -> int:
    match = re.search(r"YEAR\(\?date\) = (\d+)", request.args.get("query", ""))
    assert match, request.args
    return int(match.group(1))


def answer_for(year: int) -> dict[str, object]:
    """The fixture's films first released in `year`, as the service's JSON."""
    bindings = [b for b in ANSWER["results"]["bindings"] if b["date"]["value"][:4] == str(year)]
    return {"head": ANSWER["head"], "results": {"bindings": bindings}}


def json_answer(request: Request) -> Response:
    body = json.dumps(answer_for(year_of(request)))
    return Response(body, content_type="application/sparql-results+json")


@pytest.fixture
def endpoint(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return httpserver.url_for("/sparql")


def client(timeout: float = 5.0) -> PoliteClient:
    return PoliteClient("filmsearch-test", delay=0.0, timeout=timeout)


def test_the_query_asks_for_every_kind_of_film_and_the_languages() -> None:
    query = query_for(2008, LANGS)
    for kind in ("Q11424", "Q24869", "Q93204", "Q202866", "Q29168811", "Q24862", "Q506240"):
        assert f"wd:{kind}" in query
    for prop in ("P1476", "P577", "P57", "P345"):
        assert prop in query
    assert 'IN ("en", "fr")' in query and "YEAR(?date) = 2008" in query


def test_a_json_answer_is_read(httpserver: HTTPServer, endpoint: str) -> None:
    httpserver.expect_request("/sparql").respond_with_handler(json_answer)
    (film,) = fetch_year(client(), 2008, LANGS, endpoint)
    assert film.title == "Still Walking" and film.year == 2008
    assert ("ja", "歩いても 歩いても") in film.titles
    names = film.directors[0][2]
    assert ("en", "Hirokazu Koreeda") in names


def test_a_csv_answer_is_read(httpserver: HTTPServer, endpoint: str) -> None:
    csv_text = (FIXTURES / "catalogue.csv").read_text(encoding="utf-8")
    httpserver.expect_request("/sparql").respond_with_data(csv_text, content_type="text/csv")
    films = fetch_year(client(), 2016, LANGS, endpoint)
    assert "The Commune" in [f.title for f in films]


def test_a_429_is_retried_after_the_time_it_asks(httpserver: HTTPServer, endpoint: str) -> None:
    answers: list[int] = []

    def busy_once(request: Request) -> Response:
        answers.append(1)
        if len(answers) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return json_answer(request)

    httpserver.expect_request("/sparql").respond_with_handler(busy_once)
    started = time.monotonic()
    films = fetch_year(client(), 2001, LANGS, endpoint)
    assert [f.title for f in films] == ["Spirited Away"]
    assert time.monotonic() - started >= 0.9 and len(answers) == 2


def test_a_timeout_is_a_failed_year(httpserver: HTTPServer, endpoint: str) -> None:
    def slow(request: Request) -> Response:
        time.sleep(2)
        return json_answer(request)

    httpserver.expect_request("/sparql").respond_with_handler(slow)
    with pytest.raises(FetchError, match="timed out"):
        fetch_year(client(timeout=0.5), 2008, LANGS, endpoint)


def test_a_cut_off_answer_is_a_failed_year_and_is_not_recorded(
    httpserver: HTTPServer, endpoint: str
) -> None:
    whole = json.dumps(answer_for(2008))
    httpserver.expect_request("/sparql").respond_with_data(
        whole[: len(whole) // 2], content_type="application/sparql-results+json"
    )
    db = FilmDatabase(":memory:")
    failed = fetch_years(db, client(), [2008], LANGS, endpoint)
    assert len(failed) == 1 and failed[0].startswith("2008: unreadable answer")
    assert db.counts() == (0, 0) and db.finished_years("en,fr") == set()


def test_finished_years_are_not_asked_again(httpserver: HTTPServer, endpoint: str) -> None:
    httpserver.expect_request("/sparql").respond_with_handler(json_answer)
    db = FilmDatabase(":memory:")
    assert fetch_years(db, client(), [1994, 1995], LANGS, endpoint) == []
    assert db.finished_years("en,fr") == {1994, 1995}
    asked = [year_of(r) for r, _ in httpserver.log if r.path == "/sparql"]
    assert asked == [1994, 1995]
    assert fetch_years(db, client(), [1994, 1995, 2001], LANGS, endpoint) == []
    asked = [year_of(r) for r, _ in httpserver.log if r.path == "/sparql"]
    assert asked == [1994, 1995, 2001]  # 2001 only
    assert len(db.homonyms("Wolf")) == 1 and db.homonyms("Spirited Away")


@pytest.mark.slow
def test_a_fetch_killed_midway_resumes_where_it_stopped(
    httpserver: HTTPServer, endpoint: str, tmp_path: Path
) -> None:
    release = threading.Event()
    asked: list[int] = []

    def answer(request: Request) -> Response:
        year = year_of(request)
        asked.append(year)
        if year == 2001 and not release.is_set():
            release.wait(30)  # holds the first run here until it is killed
        return json_answer(request)

    httpserver.expect_request("/sparql").respond_with_handler(answer)
    catalogue = tmp_path / "films.db"
    command = [
        sys.executable,
        "-m",
        "indexer.cli",
        "films",
        "fetch",
        "--since",
        "1994",
        "--until",
        "2002",
        "--languages",
        "en,fr",
        "--delay",
        "0",
        "--endpoint",
        endpoint,
        "--catalogue",
        str(catalogue),
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    quiet = subprocess.DEVNULL
    first = subprocess.Popen(command, env=env, stdout=quiet, stderr=quiet)
    deadline = time.monotonic() + 30
    while 2001 not in asked and time.monotonic() < deadline:
        time.sleep(0.05)
    assert 2001 in asked
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    release.set()
    db = FilmDatabase(catalogue)
    assert db.finished_years("en,fr") == set(range(1994, 2001))
    db.close()
    asked.clear()
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    assert asked == [2001, 2002]
    db = FilmDatabase(catalogue)
    assert db.finished_years("en,fr") == set(range(1994, 2003))
    assert [f.year for f in db.homonyms("Wolf")] == [1994]
    assert db.homonyms("Spirited Away")[0].year == 2001
    db.close()
