"""Postings and field lengths read in blocks equal what Whoosh's public API reads."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from whoosh.reading import SegmentReader, TermNotFound

from benchmarks.corpus_gen import write_article, write_corpus
from indexer.indexing.generation import build_index
from indexer.schema import QUERY_FIELDS, current_generation
from indexer.segments import (
    field_lengths,
    field_postings,
    one_by_one,
    prefix_frequencies,
    term_positions,
    term_postings,
)
from webapp.generation import open_generation


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of several segments, some passages deleted by an update."""
    corpus = tmp_path_factory.mktemp("corpus")
    write_corpus(corpus, 24)
    root = tmp_path_factory.mktemp("index")
    build_index(corpus, root, jobs=1)
    for n in range(3):  # rewrite three articles, add one: deletions and a new segment
        write_article(corpus, n, random.Random(100 + n), extra="rewritten")
    write_article(corpus, 500, random.Random(5))
    build_index(corpus, root, jobs=1, update=True)
    return root


@pytest.fixture()
def readers(updated: Path) -> Iterator[list[SegmentReader]]:
    generation = current_generation(updated)
    assert generation is not None
    reader = open_generation(generation).reader()
    yield [leaf for leaf, _ in reader.leaf_readers()]
    reader.close()


def test_the_index_has_segments_with_deletions(readers: list[SegmentReader]) -> None:
    assert len(readers) >= 2 and any(r.has_deletions() for r in readers)


def test_postings_equal_the_public_api(readers: list[SegmentReader]) -> None:
    compared = 0
    for reader in readers:
        for field in ("answer", "question", "title", "speaker", "kind"):
            if field not in reader.schema:
                continue
            for text in reader.lexicon(field):
                docs, weights = term_postings(reader, field, text)
                want_docs, want_weights = one_by_one(reader.postings(field, text))
                assert docs.tolist() == want_docs.tolist()
                assert weights.tolist() == want_weights.tolist()
                assert not set(docs.tolist()) & reader.deleted_docs_set
                compared += 1
    assert compared > 100
    with pytest.raises(TermNotFound):
        term_postings(readers[0], "answer", b"zzznotaword")


def test_a_whole_field_read_in_order_equals_the_public_api(readers: list[SegmentReader]) -> None:
    for reader in readers:
        for field in ("question", "speaker"):
            found = [(t, d.tolist(), w.tolist()) for t, d, w in field_postings(reader, field)]
            want = [
                (text, *(a.tolist() for a in one_by_one(reader.postings(field, text))))
                for text in reader.lexicon(field)
            ]
            assert found == want and want


def test_positions_equal_the_public_api(readers: list[SegmentReader]) -> None:
    compared = 0
    for reader in readers:
        for field in ("answer", "question"):
            for text in reader.lexicon(field):
                docs, positions = term_positions(reader, field, text)
                want = [
                    (d, p)
                    for d, found in reader.postings(field, text).items_as("positions")
                    for p in found
                ]
                assert list(zip(docs.tolist(), positions.tolist(), strict=True)) == want
                compared += len(want)
    assert compared > 1000
    with pytest.raises(TermNotFound):
        term_positions(readers[0], "answer", b"zzznotaword")


def test_prefix_frequencies_equal_the_public_api(updated: Path) -> None:
    generation = current_generation(updated)
    assert generation is not None
    reader = open_generation(generation).reader()
    assert len(reader.leaf_readers()) >= 2
    for field, prefix, limit in (("answer", b"s", 1000), ("answer", b"c", 5), ("speaker", b"", 50)):
        want = [(t, reader.doc_frequency(field, t)) for t in reader.expand_prefix(field, prefix)]
        assert prefix_frequencies(reader, field, prefix, limit) == want[:limit]
        assert want
    assert prefix_frequencies(reader, "answer", b"zzzz", 10) == []
    reader.close()


def test_field_lengths_equal_the_public_api(readers: list[SegmentReader]) -> None:
    for reader in readers:
        for field in QUERY_FIELDS:
            lengths = field_lengths(reader, field)
            size = reader.doc_count_all()
            want = [reader.doc_field_length(d, field, 0) or 0 for d in range(size)]
            assert lengths.tolist() == want
            assert lengths.dtype == np.float64
