"""`filmsearch review`: guesses below the model's threshold are shown, never offered as the
fix; the articles come from the index when it is current, else from parsing the corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import indexer.cli
from indexer.cli import cli
from indexer.linear import default_models
from indexer.model import Article, Guess
from indexer.review import review, sidecar_line

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
UNSURE = (FIXTURES / "surnames.txt").read_text("utf-8")  # "Quiet Signal" at p=0.28


def test_a_guess_below_the_threshold_is_shown_and_the_fix_left_empty() -> None:
    model = default_models().film
    assert model is not None
    low, high = model.threshold / 2, (1 + model.threshold) / 2
    unsure = Article("x", "x.txt", film_candidates=[Guess("Halloween", low)])
    (doubt,) = [d for d in review([unsure])[0].doubts if d.kind == "film empty"]
    assert doubt.fix == {"films": []} and sidecar_line(doubt.fix) == '"films": []'
    assert "'Halloween'" in doubt.reason and "below the model's threshold" in doubt.reason
    sure = Article("y", "y.txt", film_candidates=[Guess("Blue Hour", high)])
    (doubt,) = [d for d in review([sure])[0].doubts if d.kind == "film empty"]
    assert doubt.fix == {"films": ["Blue Hour"]}
    # a value the corpus agreed on, from a guess below the threshold, is still a guess
    agreed = Article("z", "z.txt", films=["Grey Tide"], film_candidates=[Guess("Grey Tide", low)])
    agreed.decided_by = {"films": "corpus"}
    (doubt,) = [d for d in review([agreed])[0].doubts if d.kind == "film guessed"]
    assert doubt.fix == {"films": []} and "Grey Tide" in doubt.reason


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def rows(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_review_reads_a_current_index_and_parses_when_it_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "blue.txt").write_text((FIXTURES / "credited-documentary.txt").read_text("utf-8"))
    (corpus / "notes.txt").write_text(UNSURE, "utf-8")
    (corpus / "notes.meta.json").write_text((FIXTURES / "surnames.meta.json").read_text("utf-8"))
    review_args = ("review", "--corpus", str(corpus), "--index", str(index), "--json")
    parsed = run(*review_args, "--jobs", "1")  # no index yet
    assert "No current index" in parsed.stderr
    unsure = next(r for r in rows(parsed) if r["source"].endswith("notes.txt"))
    (film,) = [d for d in unsure["doubts"] if d["kind"] == "film empty"]
    assert film["fix"] == {"films": []} and "'Quiet Signal'" in film["reason"]

    assert run("index", "--corpus", str(corpus), "--index", str(index)).exit_code == 0

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("review parsed the corpus although the index is current")

    monkeypatch.setattr(indexer.cli, "parse_corpus", no_parsing)
    from_index = run(*review_args)
    assert "Reading 2 articles from the index" in from_index.stderr
    assert rows(from_index) == rows(parsed)  # the same queue, without parsing

    monkeypatch.undo()
    (corpus / "notes.txt").write_text(UNSURE + "\n\nA line added since.", "utf-8")
    stale = run(*review_args, "--jobs", "1")
    assert "No current index" in stale.stderr and rows(stale)


def test_an_index_built_without_a_catalogue_is_not_read_for_a_review_with_one(
    tmp_path: Path,
) -> None:
    from indexer.entities.filmdb import FilmDatabase
    from indexer.ingest.wikidata import import_file

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "blue.txt").write_text((FIXTURES / "credited-documentary.txt").read_text("utf-8"))
    assert run("index", "--corpus", str(corpus), "--index", str(index)).exit_code == 0
    review_args = ("review", "--corpus", str(corpus), "--index", str(index), "--json")
    assert "Reading 1 articles from the index" in run(*review_args).stderr
    catalogue = tmp_path / "films.db"
    made = FilmDatabase(catalogue)
    import_file(made, Path(__file__).parent / "fixtures" / "films" / "catalogue.csv")
    made.close()
    linked = run(*review_args, "--catalogue", str(catalogue), "--jobs", "1")
    assert "No current index" in linked.stderr  # its films were never linked
