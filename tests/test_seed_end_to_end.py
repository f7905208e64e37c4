"""The bundled corpus, indexed for real and searched through the web app."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from indexer.indexing.generation import build_index
from webapp import create_app

CORPUS = Path(__file__).parent.parent / "corpus"


@pytest.fixture(scope="module")
def seed_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    index = tmp_path_factory.mktemp("seed-index")
    report = build_index(CORPUS, index, jobs=1)
    assert (report.articles, report.passages, report.skipped) == (1, 9, [])
    return create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()


def test_censorship_finds_klayman(seed_client: FlaskClient) -> None:
    data = seed_client.get("/api/search?q=censorship").get_json()
    qa = [r for r in data["results"] if r["kind"] == "qa"]
    assert qa, data
    hit = qa[0]
    assert hit["answerers"] == ["Alison Klayman"] and hit["askers"] == ["Bijan Tehrani"]
    assert "censorship</mark>" in hit["answer_html"]
    facets = {
        name: {v["value"]: v["count"] for v in values} for name, values in data["facets"].items()
    }
    assert facets["film"] == {"Ai Weiwei: Never Sorry": data["total"]}
    assert facets["director"] == {"Alison Klayman": data["total"]}
    assert facets["speaker"]["Alison Klayman"] >= 1
    assert "Ai Weiwei" not in facets["speaker"]
    assert hit["source_link"].startswith(
        "https://www.cinemawithoutborders.com/ai-weiwei-never-sorry/#:~:text="
    )

    # the permalink opens the article at that passage, with the word marked
    path = hit["permalink"].split("localhost", 1)[1]
    page = BeautifulSoup(seed_client.get(path).data, "html.parser")
    anchor = path.split("#")[1]
    passage = page.select_one(f"section#{anchor}")
    assert passage is not None
    assert "censorship" in [m.get_text().lower() for m in passage.select("mark")]
    assert len(page.select("section.passage.qa")) == 8
    assert "About Author" not in page.get_text()
