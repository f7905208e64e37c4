"""Building the index from a corpus: the CLI summary, skipped files, exit status."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from indexer.cli import cli
from indexer.schema import current_generation

SEED = Path(__file__).resolve().parent.parent / "corpus"


def test_index_builds_the_seed_corpus(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["index", "--corpus", str(SEED), "--index", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "from 1 articles" in result.output
    generation = current_generation(tmp_path)
    assert generation is not None and generation.name.startswith("gen-")
