"""`/healthz` and the one structured log line every request writes."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from indexer.schema import current_generation
from tests.conftest import sample_articles


def request_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "filmsearch.requests"]


def test_healthz_names_the_generation_its_age_and_passages(
    client: FlaskClient, index_root: Path
) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.get_json()
    generation = current_generation(index_root)
    assert generation is not None
    assert data["ok"] is True
    assert data["generation"] == generation.name
    assert data["passages"] == sum(len(a.passages) for a in sample_articles())
    assert 0 <= data["age_seconds"] < 24 * 3600
    assert data["pid"] == os.getpid()
    assert data["uptime_seconds"] >= 0


def test_healthz_without_an_index_is_503_json(tmp_path: Path, index_root: Path) -> None:
    from webapp import create_app

    app = create_app({"INDEX_DIR": str(index_root), "TESTING": True})
    app.config["INDEX_DIR"] = str(tmp_path)  # the index goes away after start-up
    app.extensions.pop("filmsearch")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["ok"] is False
    assert (
        response.get_json()["error"] == "Search is not available right now; please try again later."
    )


def test_clients_are_not_told_where_the_index_lives(
    tmp_path: Path, index_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from webapp import create_app

    app = create_app({"INDEX_DIR": str(index_root), "TESTING": True})
    app.config["INDEX_DIR"] = str(tmp_path)  # the index goes away after start-up
    app.extensions.pop("filmsearch")
    client = app.test_client()
    for path in ("/healthz", "/search?q=film", "/api/search?q=film", "/"):
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 503, path
        assert "not available right now" in body and str(tmp_path) not in body, path
    logged = [r.getMessage() for r in caplog.records if r.name == "webapp.errors"]
    assert logged and all(f"No index at {tmp_path}" in line for line in logged)


def test_every_request_logs_one_line(
    client: FlaskClient, index_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    generation = current_generation(index_root)
    assert generation is not None
    caplog.set_level(logging.INFO, logger="filmsearch.requests")
    client.get("/api/search?q=censorship")
    client.get("/search?q=censorship&film=Never+Sorry")
    client.get("/a/no-such-article")
    client.get("/static/app.js").close()  # a file response: close it
    client.get("/api/search?q=" + "x" * 40_000)  # refused before the view runs
    lines = request_lines(caplog)
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/api/search", 200),
        ("GET", "/search", 200),
        ("GET", "/a/no-such-article", 404),
        ("GET", "/static/app.js", 200),
        ("GET", "/api/search", 414),
    ]
    for line in lines:
        assert line["generation"] == generation.name
        assert isinstance(line["ms"], float) and line["ms"] > 0
        assert line["pid"] == os.getpid()
