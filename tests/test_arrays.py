"""The per-passage arrays the builder saves are the ones read from the index itself."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from benchmarks.corpus_gen import write_article, write_corpus
from indexer.build.arrays import ARRAYS, DocumentArrays, document_arrays, load_arrays
from indexer.build.generation import build_index
from indexer.schema import current_generation
from webapp.generation import open_generation
from webapp.search import SearchService


def assert_same(saved: DocumentArrays, read: DocumentArrays) -> None:
    assert saved.size == read.size
    for name in ("live", "date", "order", "article", "tier"):
        assert np.array_equal(getattr(saved, name), getattr(read, name)), name
    assert set(saved.facets) == set(read.facets)
    for name, facet in read.facets.items():
        assert saved.facets[name].values == facet.values, name
        for part in ("docs", "ids", "rank"):
            assert np.array_equal(getattr(saved.facets[name], part), getattr(facet, part))


def check(root: Path) -> Path:
    generation = current_generation(root)
    assert generation is not None
    with open_generation(generation).reader() as reader:
        read = document_arrays(reader)
    saved = load_arrays(generation, read.size)
    assert saved is not None
    assert isinstance(saved.date, np.memmap)  # mapped, not read into memory
    assert_same(saved, read)
    return generation


def test_rebuild_and_update_save_the_arrays(tmp_path: Path) -> None:
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    write_corpus(corpus, 30)
    report = build_index(corpus, root, jobs=1)
    assert "arrays" in report.timings
    check(root)
    for n in (0, 4):  # rewritten articles: deleted passages and a new segment
        write_article(corpus, n, random.Random(40 + n), extra="again")
    build_index(corpus, root, jobs=1, update=True)
    generation = check(root)
    with open_generation(generation).reader() as reader:
        assert reader.has_deletions()


def test_missing_or_foreign_arrays_are_read_from_the_index(tmp_path: Path) -> None:
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    write_corpus(corpus, 8)
    build_index(corpus, root, jobs=1)
    generation = current_generation(root)
    assert generation is not None
    size = SearchService(root).columns().size
    assert load_arrays(generation, size + 1) is None  # written for other documents
    before = SearchService(root, cache_size=0).search("camera")
    for path in (generation / ARRAYS).iterdir():
        path.unlink()
    (generation / ARRAYS).rmdir()
    assert load_arrays(generation, size) is None
    after = SearchService(root, cache_size=0).search("camera")
    assert (after.total, after.facets) == (before.total, before.facets)
    assert [h.pid for h in after.hits] == [h.pid for h in before.hits]
