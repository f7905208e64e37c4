"""The `filmsearch` command: index, inspect, search, and help for every command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.schema import FACET_TABLE, current_generation

CORPUS = Path(__file__).parent.parent / "corpus"
SEED = CORPUS / "ai-weiwei-never-sorry.txt"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A copy of the bundled corpus plus two broken files."""
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    (root / "empty.txt").write_bytes(b"")
    (root / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    return root


def test_every_command_has_help() -> None:
    runner = CliRunner()
    assert cli.help
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, name
        for param in command.params:
            if param.param_type_name == "option":
                assert getattr(param, "help", None), f"{name} {param.name}"


def test_index_reports_skipped_files_and_builds(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    result = CliRunner().invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "Indexed 9 passages from 1 articles" in result.output
    assert "Skipped 2 file(s)" in result.output
    assert "empty.txt: empty file" in result.output
    assert "image.html: binary file" in result.output
    before = current_generation(index)
    assert before is not None

    strict = CliRunner().invoke(
        cli, ["index", "--corpus", str(corpus), "--index", str(index), "--strict"]
    )
    assert strict.exit_code == 1
    assert "2 file(s) skipped (--strict)" in strict.output
    assert "empty.txt: empty file" in strict.output
    assert current_generation(index) == before  # a skipped file under --strict: no swap


def test_failed_rebuild_keeps_previous_index(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)]).exit_code == 0
    )
    before = current_generation(index)
    SEED_copy = corpus / SEED.name
    SEED_copy.write_bytes(b"")
    result = runner.invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)])
    assert result.exit_code == 1
    assert "nothing could be indexed" in result.output
    assert "previous index, if any, is unchanged" in result.output
    assert current_generation(index) == before
    search = runner.invoke(cli, ["search", "censorship", "--index", str(index)])
    assert search.exit_code == 0 and "Alison Klayman" in search.output


def test_index_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["index", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "ix")]
    )
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_inspect_json_contract() -> None:
    result = CliRunner().invoke(cli, ["inspect", "--json", str(SEED)])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    for key in ("id", "title", "url", "publication", "is_qa", "films", "directors"):
        assert key in data
    assert data["url"] == "https://www.cinemawithoutborders.com/ai-weiwei-never-sorry/"
    assert data["publication"] == "Cinema Without Borders"
    assert data["is_qa"] is True
    assert {t["speaker"] for t in data["turns"]} == {"Bijan Tehrani", "Alison Klayman"}
    assert set(data["turns"][0]) == {"speaker", "label", "role", "text"}
    qa = [p for p in data["passages"] if p["kind"] == "qa"]
    assert [p["anchor"] for p in qa] == [f"q{i}" for i in range(1, 9)]
    assert set(qa[0]) >= {"anchor", "kind", "question", "answer", "speakers"}


def test_inspect_explains_decisions() -> None:
    result = CliRunner().invoke(cli, ["inspect", str(SEED)])
    assert result.exit_code == 0
    assert "why:" in result.output
    assert "BT" in result.output and "Bijan Tehrani" in result.output
    assert "Alison Klayman (AK) [interviewee]" in result.output


def test_inspect_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(cli, ["inspect", str(bad)])
    assert result.exit_code == 1
    assert "bad.txt: cannot parse: empty file" in result.output


def test_search_json(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    runner = CliRunner()
    runner.invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)])
    result = runner.invoke(
        cli,
        ["search", "censorship", "--speaker", "Alison Klayman", "--json", "--index", str(index)],
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["total"] == 1
    assert data["hits"][0]["answerers"] == ["Alison Klayman"]
    missing = runner.invoke(cli, ["search", "x", "--index", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "filmsearch index" in missing.output


def test_every_facet_is_a_search_option(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    runner = CliRunner()
    runner.invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)])
    help_text = runner.invoke(cli, ["search", "--help"]).output
    for facet in FACET_TABLE:
        assert f"--{facet.name}" in help_text, facet.name
    everything = json.loads(runner.invoke(cli, ["search", "--json", "--index", str(index)]).output)
    interviewer = everything["facets"]["interviewer"][0]["value"]
    result = runner.invoke(
        cli, ["search", "--interviewer", interviewer.upper(), "--json", "--index", str(index)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == everything["facets"]["interviewer"][0]["count"] > 0
    assert data["filters"] == {"interviewer": [interviewer]}


def test_inspect_reads_a_sidecar_given_with_its_article(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["inspect", *map(str, sorted(CORPUS.glob(f"{SEED.stem}.*")))])
    assert result.exit_code == 0, result.output
    assert "cannot parse" not in result.output and result.output.count("(id ") == 1
    alone = CliRunner().invoke(cli, ["inspect", str(SEED.with_suffix(".meta.json"))])
    assert alone.exit_code == 1  # a sidecar alone is no article


def test_index_reports_a_sidecar_without_an_article(corpus: Path, tmp_path: Path) -> None:
    (corpus / "orphan.meta.json").write_text('{"title": "Lost"}')
    args = ["index", "--corpus", str(corpus), "--index", str(tmp_path / "index")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Problems ignored in 1 file(s):" in result.output
    assert "  orphan.meta.json: a sidecar beside no article" in result.output
    assert "ai-weiwei-never-sorry.meta.json" not in result.output


def test_search_prints_an_intro_as_an_intro(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    CliRunner().invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)])
    result = CliRunner().invoke(cli, ["search", "", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "  Intro: Ai Weiwei: Never Sorry" in result.output and "A (-)" not in result.output
