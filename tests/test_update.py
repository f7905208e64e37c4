"""`filmsearch index --update` parses only what changed and equals a full rebuild."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from whoosh import index

from benchmarks.generate import edit_articles, generate
from indexer.cli import cli
from indexer.indexing.alike import POSTINGS, answered, load_nearest, question_postings
from indexer.indexing.arrays import ARRAYS, document_arrays
from indexer.indexing.generation import build_index
from indexer.schema import current_generation

Snapshot = tuple[dict[str, Any], dict[tuple[str, bytes], list[str]], dict[str, Any]]


def snapshot(root: Path) -> Snapshot:
    """Stored fields by passage id, the passage ids of every term's postings, and the
    nearest alike questions and their groups the builder kept, by passage id."""
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
        size = reader.doc_count_all()
    ix.close()
    near = load_nearest(generation / ARRAYS, size)
    assert near is not None
    starts = near.starts.tolist()
    neighbours = {
        pids[d]: [
            (pids[other], alike)
            for other, alike in zip(
                near.targets[starts[d] : starts[d + 1]].tolist(),
                near.alike[starts[d] : starts[d + 1]].tolist(),
                strict=True,
            )
        ]
        for d in pids
    }
    bounds = near.bounds.tolist()
    questions = {
        "neighbours": neighbours,
        "groups": [
            [pids[d] for d in near.members[a:b].tolist()]
            for a, b in zip(bounds, bounds[1:], strict=False)
        ],
        "central": [pids[d] for d in near.central.tolist()],
    }
    assert not set(near.targets.tolist()) - set(pids)  # never a deleted passage
    return stored, postings, questions


SHARED = (
    "Where did the idea for the film first come from?",
    "How long did the shoot on the river take?",
    "What do you want audiences to take away from the film?",
)


def same_questions(path: Path, number: int, questions: tuple[str, ...]) -> None:
    """An interview asking `questions`, which other interviews ask too."""
    director, film = f"Nora Vale{'x' * number}", f"The Quiet Harbour {number}"
    turns = "".join(
        f"Lena Marsh: {q}\n\n{director}: Answer {i} of interview {number}, in a few words.\n\n"
        for i, q in enumerate(questions)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"{director} on {film}\n\n{film} is the new film by {director}. "
        f"Lena Marsh spoke with {director} about {film}.\n\n{turns}"
    )
    meta = {"films": [film], "directors": [director], "publication": "Frame Notes"}
    path.with_name(path.stem + ".meta.json").write_text(json.dumps(meta))


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    list(generate(root, 300))
    for number in range(5):  # questions alike across interviews, for the nearest kept
        same_questions(root / "same" / f"same-{number}.txt", number, SHARED[: 1 + number % 3])
    return root


def test_update_equals_full_rebuild(corpus: Path, tmp_path: Path) -> None:
    updated, full = tmp_path / "updated", tmp_path / "full"
    first = build_index(corpus, updated, jobs=1)
    assert first.mode == "full" and first.parsed == first.articles
    paths = sorted(p for p in (corpus / "a000").rglob("*") if p.suffix in (".txt", ".html"))
    edited = edit_articles(paths, 0.1)
    gone = next(p for p in paths if p not in edited)
    gone.unlink()
    gone.with_name(gone.stem + ".meta.json").unlink()
    added = corpus / "extra" / "new-one.txt"
    added.parent.mkdir()
    shutil.copy(edited[0], added)
    (added.with_name("new-one.meta.json")).write_text(json.dumps({"publication": "Frame Notes"}))

    # an interview asks other questions now, and a new one asks theirs
    same_questions(corpus / "same" / "same-2.txt", 2, ("What music did you grow up with?",))
    same_questions(corpus / "same" / "same-9.txt", 9, SHARED)

    report = build_index(corpus, updated, jobs=1, update=True)
    assert report.mode == "update"
    # the edited files and the new ones, nothing else
    assert report.parsed == len(edited) + 3
    assert report.rewritten == len(edited) + 3
    build_index(corpus, full, jobs=1)
    stored, postings, questions = snapshot(updated)
    assert (stored, postings, questions) == snapshot(full)
    assert questions["groups"] and any(questions["neighbours"].values())
    assert not any(pid.startswith(gone.stem) for pid in stored)


def test_update_reads_the_question_postings_of_its_new_segment_only(
    corpus: Path, tmp_path: Path
) -> None:
    """The segments an update keeps bring their question postings from the previous
    generation; together they are what reading every segment's terms gives."""
    root = tmp_path / "index"
    build_index(corpus, root, jobs=1)
    before = current_generation(root)
    assert before is not None
    saved = {p.name: p.stat().st_ino for p in (before / ARRAYS / POSTINGS).glob("*.npz")}
    paths = sorted(p for p in (corpus / "a000").rglob("*") if p.suffix in (".txt", ".html"))
    edit_articles(paths, 0.1)
    build_index(corpus, root, jobs=1, update=True)
    after = current_generation(root)
    assert after is not None and after != before
    kept = {p.name: p.stat().st_ino for p in (after / ARRAYS / POSTINGS).glob("*.npz")}
    reused = set(kept) & set(saved)
    assert reused and set(kept) - reused  # the kept segments, and the one the update added
    assert all(kept[name] == saved[name] for name in reused)  # linked, not read again
    ix = index.open_dir(str(after))
    with ix.reader() as reader:
        arrays = document_arrays(reader)
        eligible = answered(arrays.live, arrays.tier)
        assert not eligible.all()  # the edited articles' old passages are deleted
        texts: list[bytes] = []
        found = question_postings(reader, eligible, texts, previous=after / ARRAYS / POSTINGS)
        read_texts: list[bytes] = []
        read = question_postings(reader, eligible, read_texts)
    ix.close()
    assert len(read[0]) and texts == read_texts
    for ours, theirs in zip(found, read, strict=True):
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs)


def test_update_follows_corpus_wide_renames(corpus: Path, tmp_path: Path) -> None:
    root, full = tmp_path / "updated", tmp_path / "full"
    build_index(corpus, root, jobs=1)
    stored, _, _ = snapshot(root)
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
