"""Whole arrays read straight from a Whoosh segment: postings block by block, field lengths
as one run of bytes.

Whoosh's matchers hand out one posting per call and its per-document reader one length
per call, which costs seconds over a large index the first time each term or field is
used. The files hold the same data in blocks (a pickled tuple of ids and weights per
block of postings; one byte per document for a field's length): these functions read
them whole, and fall back to Whoosh's one-at-a-time API for any other layout. They reach
into Whoosh-Reloaded 2.7's matcher and column readers (pinned in pyproject.toml); the
tests compare every result with the public API's.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from itertools import chain
from pickle import loads
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.formats import Positions
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length

# a length byte -> the length it stands for (0: the field is empty)
BYTE_LENGTHS = np.array([0] + [byte_to_length(b) for b in range(1, 256)], dtype=np.float64)


def term_postings(reader: Any, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers (int32) and weights (float32) of a term's live postings in one
    segment; raises TermNotFound as `reader.postings` does."""
    return _arrays(reader, _matcher(reader, field, text))


def _matcher(reader: Any, field: str, text: bytes) -> Any:
    """A term's matcher in one segment, without the filter `postings` wraps around it when
    documents are deleted (the readers here drop them from whole arrays)."""
    terms = getattr(reader, "_terms", None)
    if terms is None or field not in reader.schema:
        return reader.postings(field, text)
    return terms.matcher(field, text, reader.schema[field].format)


def field_postings(reader: Any, field: str) -> Iterator[tuple[bytes, np.ndarray, np.ndarray]]:
    """Every term of `field` in one segment, in order, with its live postings as
    `term_postings` gives them: the terms file is read through once, not looked up by term."""
    terms = getattr(reader, "_terms", None)
    if terms is None or not hasattr(terms, "items_from") or field not in reader.schema:
        for text in reader.lexicon(field):
            yield text, *term_postings(reader, field, text)
        return
    fmt = reader.schema[field].format
    deleted = reader.has_deletions()
    for (name, text), info in terms.items_from(field, b""):
        if name != field:
            break
        if info.doc_frequency() == 1:  # one posting: the term's own statistics say it all
            docnum = info.min_id()
            if deleted and not live_mask(reader)[docnum]:
                docs = np.zeros(0, dtype=np.int32)
            else:
                docs = np.array([docnum], dtype=np.int32)
            yield text, docs, np.full(len(docs), info.weight(), dtype=np.float32)
            continue
        inner = terms._codec.postings_reader(terms._postfile, info, fmt, term=(field, text))
        yield text, *_arrays(reader, inner)


def prefix_frequencies(
    reader: Any, field: str, prefix: bytes, limit: int
) -> list[tuple[bytes, int]] | None:
    """The first `limit` terms of `field` starting with `prefix`, in order, with their
    document frequencies (deleted documents included, as `doc_frequency` counts them), read
    in one pass over each segment's terms; None for a layout read otherwise."""
    found: dict[bytes, int] = {}
    for leaf, _ in reader.leaf_readers():
        terms = getattr(leaf, "_terms", None)
        if terms is None or not hasattr(terms, "items_from"):
            return None
        for n, ((name, text), info) in enumerate(terms.items_from(field, prefix)):
            if n >= limit or name != field or not text.startswith(prefix):
                break
            found[text] = found.get(text, 0) + info.doc_frequency()
    return sorted(found.items())[:limit]


def term_positions(reader: Any, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Every occurrence of a term in one segment's live documents: document numbers and
    positions (int64), by document then position; raises TermNotFound as `postings` does."""
    inner = _matcher(reader, field, text)
    fmt = reader.schema[field].format if field in reader.schema else None
    ids: list[int] = []
    values: list[bytes] = []
    if type(inner) is W3LeafMatcher:  # the encoded values a block at a time
        while inner.is_active():
            inner._read_ids()
            inner._read_values()
            ids.extend(inner._ids)
            values.extend(inner._values)
            inner._next_block()
    elif type(inner) is ListMatcher:
        ids, values = list(inner._ids), list(inner._values or ())
    known = type(inner) in (W3LeafMatcher, ListMatcher) and len(values) == len(ids)
    if known and type(fmt) is Positions:
        # `Positions.decode_positions` for all at once: a count, then the pickled gaps
        gaps = [loads(v[4:] if v.endswith(b".") else v[4:] + b".") for v in values]
        counts = np.array([len(g) for g in gaps], dtype=np.int64)
        running = np.cumsum(np.fromiter(chain.from_iterable(gaps), np.int64, int(counts.sum())))
        before = np.concatenate(([0], running))[np.cumsum(counts) - counts]
        positions = running - np.repeat(before, counts)
    else:  # another layout: Whoosh decodes them
        found = list(inner.items_as("positions"))
        ids = [d for d, _ in found]
        counts = np.array([len(p) for _, p in found], dtype=np.int64)
        flat = chain.from_iterable(p for _, p in found)
        positions = np.fromiter(flat, np.int64, int(counts.sum()))
    docs = np.repeat(np.array(ids, dtype=np.int64), counts)
    if reader.has_deletions():
        keep = live_mask(reader)[docs]
        docs, positions = docs[keep], positions[keep]
    return docs, positions


def _arrays(reader: Any, inner: Any) -> tuple[np.ndarray, np.ndarray]:
    """A segment matcher's postings as arrays, block by block where the layout is known,
    without deleted documents."""
    if type(inner) is W3LeafMatcher:
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        while inner.is_active():
            inner._read_ids()
            inner._read_weights()
            ids.append(np.asarray(inner._ids, dtype=np.int32))
            weights.append(np.asarray(inner._weights, dtype=np.float32))
            inner._next_block()
        docs = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
        found = np.concatenate(weights) if weights else np.zeros(0, dtype=np.float32)
    elif type(inner) is ListMatcher:
        docs = np.asarray(inner._ids, dtype=np.int32)
        if inner._all_weights:
            found = np.full(len(docs), inner._all_weights, dtype=np.float32)
        elif inner._weights:
            found = np.asarray(inner._weights, dtype=np.float32)
        else:
            found = np.ones(len(docs), dtype=np.float32)
    else:
        docs, found = one_by_one(inner)
    if reader.has_deletions():
        keep = live_mask(reader)[docs]
        docs, found = docs[keep], found[keep]
    return docs, found


_LIVE: weakref.WeakKeyDictionary[Any, np.ndarray] = weakref.WeakKeyDictionary()


def live_mask(reader: Any) -> np.ndarray:
    """Which documents of a segment are not deleted, computed once per reader."""
    mask = _LIVE.get(reader)
    if mask is None:
        mask = np.ones(reader.doc_count_all(), dtype=bool)
        deleted = reader.deleted_docs_set
        mask[np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = False
        _LIVE[reader] = mask
    return mask


def one_by_one(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """A matcher's postings read through the public API, one at a time."""
    docs: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        docs.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(docs, dtype=np.int32), np.array(weights, dtype=np.float32)


def field_lengths(reader: Any, field: str) -> np.ndarray:
    """Every document's stored length of `field` in one segment (0 where it is empty)."""
    size = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    column = f"_{field}_len"
    try:
        if perdoc is None or not perdoc.has_column(column):
            raise LookupError(column)
        lengths = perdoc.column_reader(column, LENGTHS_COLUMN)
        raw = lengths._dbfile.get(lengths._basepos, lengths._count)
    except (AttributeError, LookupError):
        return np.array(
            [reader.doc_field_length(d, field, 0) or 0 for d in range(size)], dtype=np.float64
        )
    codes = np.zeros(size, dtype=np.uint8)
    codes[: len(raw)] = np.frombuffer(raw, dtype=np.uint8)[:size]
    return BYTE_LENGTHS[codes]
