"""Sidecar dates: checked where a sidecar is read; a bad one is reported and left out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.read.sources import is_calendar_date
from webapp import create_app

SEED = Path(__file__).parent.parent / "corpus" / "ai-weiwei-never-sorry.txt"
BAD = ["2012/03/05", "2012-13-05", "2099-99-99", "2012-00-10", "2012-02-30", "12-03-05", ""]
GOOD = ["2012", "2012-02", "2012-02-29", "2099-01-01"]


@pytest.mark.parametrize(("text", "valid"), [(d, False) for d in BAD] + [(d, True) for d in GOOD])
def test_calendar_dates(text: str, valid: bool) -> None:
    assert is_calendar_date(text) is valid


def test_a_bad_sidecar_date_is_reported_and_the_article_indexed(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for n, day in enumerate([*BAD[:5], "2012-02"]):
        shutil.copy(SEED, corpus / f"a{n}.txt")
        (corpus / f"a{n}.meta.json").write_text(json.dumps({"date": day}))
    result = CliRunner().invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "from 6 articles" in result.output and "Traceback" not in result.output
    for n, day in enumerate(BAD[:5]):
        line = f"  a{n}.txt: sidecar a{n}.meta.json: 'date' {day!r} is not a date"
        assert line in result.output
    assert "  a5.txt:" not in result.output  # its sidecar is fine (it is named as a copy)
    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    for n in range(6):
        data = client.get(f"/api/articles/a{n}").get_json()
        assert data["date"] == ("2012-02" if n == 5 else "")
        assert client.get(f"/a/a{n}").status_code == 200
        assert client.get(f"/a/a{n}/q1.bib").status_code == 200
    inspect = CliRunner().invoke(cli, ["inspect", str(corpus / "a1.txt")])
    assert inspect.exit_code == 0 and "'date' '2012-13-05' is not a date" in inspect.output
