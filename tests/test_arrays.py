"""The per-passage arrays the builder saves are the ones read from the index itself."""

from __future__ import annotations

import random
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from benchmarks.corpus_gen import write_article, write_corpus
from indexer.indexing.arrays import (
    ARRAYS,
    SORTS,
    TALLY,
    DocumentArrays,
    arrivals,
    assemble,
    document_arrays,
    document_table,
    facet_arrays,
    in_document_order,
    load_arrays,
    sequence,
    stored_records,
)
from indexer.indexing.generation import build_index
from indexer.schema import ROW, current_generation
from webapp.columns import Columns, FacetTally, facet_column
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
        assert ROW in reader.schema and all(
            leaf.has_column(ROW) for leaf, _ in reader.leaf_readers()
        )
        # the small per-passage records give what every stored field gives
        assert_same(read, assemble(reader, stored_records(reader)))
    saved = load_arrays(generation, read.size)
    assert saved is not None
    assert isinstance(saved.date, np.memmap)  # mapped, not read into memory
    assert_same(saved, read)
    # the pairs document by document: saved, mapped, and as computed at start-up before
    expected = document_table(read.facets, read.size)
    assert f"{TALLY}.ids" in expected
    # the fixed sort orders, and when each passage arrived, as a server worked them out
    for sort in SORTS:
        expected[f"sequence.{sort}"] = sequence(sort, read.order, read.date, read.tier)
    with open_generation(generation).reader() as reader:
        expected["arrived"] = arrivals(reader)
    assert set(saved.table) == set(expected)
    for name, array in expected.items():
        assert isinstance(saved.table[name], np.memmap), name
        assert np.array_equal(saved.table[name], array), name
    ix = open_generation(generation)
    with ix.searcher() as searcher:
        mapped, computed = Columns.load(searcher, generation), Columns.load(searcher)
    for part in ("ids", "starts", "bounds"):
        assert np.array_equal(getattr(mapped.tally, part), getattr(computed.tally, part))
    for name, column in computed.facets.items():
        assert np.array_equal(mapped.facets[name].starts, column.starts), name
    for sort in SORTS:
        assert isinstance(mapped.saved[f"sequence.{sort}"], np.memmap)
        # the mapped pages themselves, not a copy
        assert np.shares_memory(mapped.sequence(sort), mapped.saved[f"sequence.{sort}"])
        assert not computed.saved
        assert np.array_equal(mapped.sequence(sort), computed.sequence(sort)), sort
    state = SearchService(root).current()
    assert np.shares_memory(state.arrivals(), state.columns().saved["arrived"])
    assert np.array_equal(state.arrivals(), expected["arrived"])
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
    shutil.rmtree(generation / ARRAYS)
    assert load_arrays(generation, size) is None
    after = SearchService(root, cache_size=0).search("camera")
    assert (after.total, after.facets) == (before.total, before.facets)
    assert [h.pid for h in after.hits] == [h.pid for h in before.hits]


def test_facet_counts_from_few_or_many_documents_equal_a_plain_count() -> None:
    """Counts read from the matched documents' own pairs (few matched) or from every pair
    (many), against counting each document's values one by one."""
    rng = random.Random(7)
    size = 400
    values = [f"Value {i}" for i in range(30)]
    written = {d: rng.sample(values, rng.choice((0, 1, 1, 1, 2, 3))) for d in range(size)}
    column = facet_column(facet_arrays(written.items(), by_value=False), size)
    for matched in (1, 3, 20, 60, 200, 400):  # below and above the sparse cut
        docs = rng.sample(range(size), matched)
        mask = np.zeros(size, dtype=bool)
        mask[docs] = True
        counts = column.counts(mask)
        expected = Counter(v for d in docs for v in written[d])
        assert {column.values[i]: int(c) for i, c in enumerate(counts) if c} == expected


def test_all_facets_counted_at_once_equal_each_facet_counted_alone() -> None:
    """`FacetTally` (every facet's pairs in one table, one pass) against each facet's own
    column, and against counting each document's values one by one, below and above the
    cut between counting the matched documents' pairs and every pair."""
    rng = random.Random(11)
    size = 500
    written = {}
    for name, count in (("film", 40), ("speaker", 25), ("year", 6), ("empty", 3)):
        values = [f"{name} {i}" for i in range(count)]
        most = 0 if name == "empty" else 3
        written[name] = {d: rng.sample(values, rng.randint(0, most)) for d in range(size)}
    columns = {
        name: facet_column(facet_arrays(pairs.items(), by_value=False), size)
        for name, pairs in written.items()
    }
    tally = FacetTally.of(columns, size)
    for matched in (0, 1, 3, 25, 31, 32, 100, 499, 500):
        docs = rng.sample(range(size), matched)
        mask = np.zeros(size, dtype=bool)
        mask[docs] = True
        counted = tally.counts(mask)
        assert list(counted) == list(columns)
        for name, column in columns.items():
            assert counted[name].tolist() == column.counts(mask).tolist(), (name, matched)
            expected = Counter(v for d in docs for v in written[name][d])
            found = {column.values[i]: int(c) for i, c in enumerate(counted[name]) if c}
            assert found == expected, (name, matched)


def test_top_values_equal_sorting_every_value() -> None:
    """The top values, found among those that can place, against sorting every value by
    (count descending, rank) with many ties."""
    rng = random.Random(5)
    size = 300
    values = [f"Value {i:03}" for i in range(60)]
    written = {d: rng.sample(values, rng.choice((0, 1, 2))) for d in range(size)}
    column = facet_column(facet_arrays(written.items(), by_value=False), size)
    for _ in range(30):
        choices = (0, 0, 1, 2, 2, 3, 7)
        counts = np.array([rng.choice(choices) for _ in column.values], dtype=np.int64)
        present = [i for i in range(len(counts)) if counts[i]]
        every = sorted(present, key=lambda i: (-counts[i], column.rank[i]))
        for limit in (0, 1, 2, 5, 11, 30, 59, 60, 1000):
            assert column.top_ids(counts, limit, False).tolist() == every[:limit]
        by_rank = sorted(present, key=lambda i: -column.rank[i])
        assert column.top_ids(counts, 1000, True).tolist() == by_rank


def test_pairs_out_of_document_order_are_put_in_order_before_the_table() -> None:
    facet = facet_arrays([(0, ["a"]), (1, ["b", "a"]), (3, ["b"])], by_value=False)
    shuffled = type(facet)(facet.values, facet.docs[::-1], facet.ids[::-1], facet.rank)
    with pytest.raises(ValueError):
        document_table({"f": shuffled}, 4)
    ordered = in_document_order(shuffled)
    assert ordered.docs.tolist() == [0, 1, 1, 3]
    assert ordered.ids.tolist() == [0, 0, 1, 1]  # each document's pairs as they came
    table = document_table({"f": ordered, "g": facet}, 4)
    assert table["f.starts"].tolist() == [0, 1, 3, 3, 4]
    # each document's pairs of every facet, value ids numbered across the facets
    assert table[f"{TALLY}.starts"].tolist() == [0, 2, 6, 6, 8]
    assert table[f"{TALLY}.ids"].tolist() == [0, 2, 0, 1, 3, 2, 1, 3]
    assert in_document_order(facet) is facet
