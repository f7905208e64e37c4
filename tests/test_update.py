"""`filmsearch index --update` parses only what changed and equals a full rebuild."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from whoosh import index

from benchmarks.generate import edit_articles, generate
from indexer.cli import cli
from indexer.indexing.generation import build_index
from indexer.schema import current_generation


def snapshot(root: Path) -> tuple[dict[str, Any], dict[tuple[str, bytes], list[str]]]:
    """Stored fields by passage id, and the passage ids of every term's postings."""
    generation = current_generation(root)
    assert generation is not None
    ix = index.open_dir(str(generation))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        pids = {docnum: fields["pid"] for docnum, fields in reader.iter_docs()}
        stored = {fields["pid"]: fields for _, fields in reader.iter_docs()}
        postings = {}
        for fieldname, text in reader.all_terms():
            docs = sorted(pids[d] for d in reader.postings(fieldname, text).all_ids())
            if docs:
                postings[(fieldname, text)] = docs
    ix.close()
    return stored, postings


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    list(generate(root, 300))
    return root


def test_update_equals_full_rebuild(corpus: Path, tmp_path: Path) -> None:
    updated, full = tmp_path / "updated", tmp_path / "full"
    first = build_index(corpus, updated, jobs=1)
    assert first.mode == "full" and first.parsed == first.articles
    paths = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".html"))
    edited = edit_articles(paths, 0.1)
    gone = next(p for p in paths if p not in edited)
    gone.unlink()
    gone.with_name(gone.stem + ".meta.json").unlink()
    added = corpus / "extra" / "new-one.txt"
    added.parent.mkdir()
    shutil.copy(edited[0], added)
    (added.with_name("new-one.meta.json")).write_text(json.dumps({"publication": "Frame Notes"}))

    report = build_index(corpus, updated, jobs=1, update=True)
    assert report.mode == "update"
    assert report.parsed == len(edited) + 1  # the edited files and the new one, nothing else
    assert report.rewritten == len(edited) + 1
    build_index(corpus, full, jobs=1)
    stored, postings = snapshot(updated)
    assert (stored, postings) == snapshot(full)
    assert not any(pid.startswith(gone.stem) for pid in stored)


def test_update_follows_corpus_wide_renames(corpus: Path, tmp_path: Path) -> None:
    root, full = tmp_path / "updated", tmp_path / "full"
    build_index(corpus, root, jobs=1)
    stored, _ = snapshot(root)
    speaker = next(f["speaker_f"][-1] for f in stored.values() if f["speaker_f"])
    (corpus / "aliases.json").write_text(json.dumps({speaker: "Somebody Else Entirely"}))
    report = build_index(corpus, root, jobs=1, update=True)
    assert report.parsed == 0 and report.rewritten > 0
    build_index(corpus, full, jobs=1)
    assert snapshot(root) == snapshot(full)
    assert any("Somebody Else Entirely" in f["speaker_f"] for f in snapshot(root)[0].values())


def test_cli_update_without_changes_parses_nothing(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    args = ["index", "--corpus", str(corpus), "--index", str(index_dir), "--jobs", "1"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    result = CliRunner().invoke(cli, [*args, "--update"])
    assert result.exit_code == 0, result.output
    assert "Updated: 0 changed or new file(s) parsed, 0 article(s) rewritten" in result.output


def test_ingestion_does_not_shape_the_index() -> None:
    """Fetching and importing bring files in; changing them must not force a full rebuild."""
    from indexer.indexing.manifest import shapes_index

    assert not shapes_index("ingest/fetch.py") and not shapes_index("ingest/archives.py")
    assert not shapes_index("cli.py") and not shapes_index("indexing/lock.py")
    assert shapes_index("read/sources.py") and shapes_index("model.py")
    assert shapes_index("entities/films.py")
