"""Per-passage arrays a server loads instead of reading every stored field at start-up.

Counting facets, filtering, sorting by date and ranking answers first all work on arrays
indexed by document number: each facet's (document, value) pairs and its values, dates,
the reading order, article numbers and the `speaks` tier. Reading them from the stored
fields takes seconds on a large index, so the builder writes them into the generation
once the index is committed (`arrays/`: the raw arrays in one file, where each lies in a
JSON one), with the facets' pairs also listed document by document (`document_table`),
and a server memory-maps them. `load_arrays` returns None when they are
missing or were written for other documents; `document_arrays` then reads the index.
The passages of an interview's uncounted copies (`copies`) are left out of the live
documents, as deleted ones are.
"""

from __future__ import annotations

import json
import pickle
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from indexer.schema import ARRIVED, FACET_TABLE, FACETS, ROW, SPEAKS, facet_term, speaks_as

ARRAYS = "arrays"  # the directory inside a generation
VERSION = 1
BY_VALUE = {f.name for f in FACET_TABLE if f.by_value}  # listed by value, not by count


@dataclass
class FacetArrays:
    """One facet: document `docs[i]` has the value `values[ids[i]]`; `rank` orders equal
    counts (or, for facets listed by value, is the order)."""

    values: list[str]
    docs: np.ndarray
    ids: np.ndarray
    rank: np.ndarray


@dataclass
class DocumentArrays:
    """Everything a search counts or sorts with, by document number."""

    size: int
    live: np.ndarray  # bool, undeleted documents
    date: np.ndarray  # YYYYMMDD, 0 when undated
    order: np.ndarray  # rank by (article id, ordinal); deleted documents last
    article: np.ndarray  # article number in article id order, -1 when deleted
    tier: np.ndarray  # position of the `speaks` value in SPEAKS
    facets: dict[str, FacetArrays]
    # what a server would otherwise compute from these or read from the index, saved so
    # it maps them: the facets' pairs document by document (`document_table`), the fixed
    # sort orders (`sequence`) and arrival times; empty when an older builder wrote them
    table: dict[str, np.ndarray] = field(default_factory=dict)


SORTS = ("order", "newest", "oldest", "relevance")  # the fixed orders `sequence` gives


def sequence(sort: str, order: np.ndarray, date: np.ndarray, tier: np.ndarray) -> np.ndarray:
    """Every document in one fixed order: "order" (the tie-break), "relevance" (everything
    scoring alike: answers first, then `order`), "newest" or "oldest" (undated last either
    way, ties in `order`)."""
    found: np.ndarray
    if sort == "order":
        found = np.argsort(order, kind="stable")
    elif sort == "relevance":
        found = np.lexsort((order, tier))
    else:
        key = -date if sort == "newest" else date
        found = np.lexsort((order, key, date == 0))
    return found


def arrivals(reader: Any) -> np.ndarray:
    """When each passage's article entered the collection, by document number
    (microseconds since the epoch; 0 when the index does not say)."""
    size = reader.doc_count_all()
    if ARRIVED in reader.schema and reader.has_column(ARRIVED):
        return np.fromiter(reader.column_reader(ARRIVED), dtype=np.int64, count=size)
    return np.zeros(size, dtype=np.int64)


TALLY = "tally"  # every facet's pairs together, in the document table


def document_table(facets: dict[str, FacetArrays], size: int) -> dict[str, np.ndarray]:
    """The facets' pairs listed document by document, for counting by document.

    For each facet, `<name>.starts`: document d's pairs are `docs[starts[d]:starts[d + 1]]`
    of the facet (its pairs in document order). Then every facet's value ids together,
    numbered across the facets in `facets` order, document by document (`tally.ids`,
    each document's facets in that order), with their `tally.starts`.
    """
    table: dict[str, np.ndarray] = {}
    each = []
    for name, facet in facets.items():
        docs = np.asarray(facet.docs)
        if np.any(docs[1:] < docs[:-1]):
            raise ValueError(f"the pairs of {name} are not in document order")
        starts = np.zeros(size + 1, dtype=np.int32)  # pairs number far below 2**31
        np.cumsum(np.bincount(docs, minlength=size), out=starts[1:])
        table[f"{name}.starts"] = starts
        each.append(np.diff(starts).astype(np.int64))  # pairs per document
    starts = np.zeros(size + 1, dtype=np.int32)
    np.cumsum(np.sum(each, axis=0) if each else np.zeros(size, np.int64), out=starts[1:])
    ids = np.zeros(int(starts[-1]), dtype=np.int32)
    at = starts[:-1].astype(np.int64)  # where each document's next facet's pairs go
    first = 0  # the first value id of this facet
    for (name, facet), count in zip(facets.items(), each, strict=True):
        docs = np.asarray(facet.docs).astype(np.int64)
        within = np.arange(len(docs), dtype=np.int64) - table[f"{name}.starts"][docs]
        ids[at[docs] + within] = np.asarray(facet.ids) + first
        at += count
        first += len(facet.values)
    table[f"{TALLY}.ids"], table[f"{TALLY}.starts"] = ids, starts
    return table


def in_document_order(facet: FacetArrays) -> FacetArrays:
    """`facet` with its pairs in document order (itself when they are)."""
    docs = np.asarray(facet.docs)
    if not np.any(docs[1:] < docs[:-1]):
        return facet
    order = np.argsort(docs, kind="stable")
    return FacetArrays(facet.values, docs[order], np.asarray(facet.ids)[order], facet.rank)


def facet_arrays(pairs: Iterable[tuple[int, Iterable[str]]], by_value: bool) -> FacetArrays:
    """One facet's arrays from (docnum, values) pairs, values counted case-blind and shown
    as most passages write them (ties: the first in sorted order)."""
    written: dict[str, int] = {}  # each distinct value as written -> its code
    docs: list[int] = []
    codes: list[int] = []
    for docnum, values in pairs:
        for value in values:
            docs.append(docnum)
            codes.append(written.setdefault(value, len(written)))
    # value ids in the order values first appear; "" where a value folds to nothing
    index: dict[str, int] = {}
    spellings: list[Counter[str]] = []
    id_of = np.full(len(written), -1, dtype=np.int64)
    times = np.bincount(np.array(codes, dtype=np.int64), minlength=len(written))
    for code, value in enumerate(written):
        term = facet_term(value)
        if not term:
            continue
        i = id_of[code] = index.setdefault(term, len(index))
        if i == len(spellings):
            spellings.append(Counter())
        spellings[i][value.strip()] += int(times[code])
    values = [min(c, key=lambda v: (-c[v], v)) for c in spellings]
    if by_value:
        order = sorted(range(len(values)), key=lambda i: values[i])
    else:
        order = sorted(range(len(values)), key=lambda i: (values[i].lower(), values[i]))
    rank = np.empty(len(values), dtype=np.int32)
    rank[order] = np.arange(len(values), dtype=np.int32)
    # each document once per value id, in document order
    doc_array = np.array(docs, dtype=np.int64)
    ids = id_of[np.array(codes, dtype=np.int64)]
    keep = ids >= 0
    doc_array, ids = doc_array[keep], ids[keep]
    _, first = np.unique(doc_array * max(1, len(values)) + ids, return_index=True)
    first.sort()
    return FacetArrays(values, doc_array[first].astype(np.int32), ids[first].astype(np.int32), rank)


# (docnum, article id, ordinal, facet name -> values) of one live document
Record = tuple[int, str, int, dict[str, Sequence[str]]]


def encode_row(article_id: str, ordinal: int, facets: dict[str, list[str]]) -> bytes:
    """A passage's record in the ROW column: what its arrays are built from (the facets'
    values in FACETS order, without their names)."""
    values = tuple(tuple(facets.get(name) or ()) for name in FACETS)
    return pickle.dumps((article_id, ordinal, values), pickle.HIGHEST_PROTOCOL)


def row_records(reader: Any) -> Iterator[Record]:
    """Every live document's record, read from the ROW column (small, in one pass)."""
    for leaf, offset in reader.leaf_readers():
        column = leaf.column_reader(ROW)
        deleted = leaf.is_deleted
        for docnum in range(leaf.doc_count_all()):
            if not deleted(docnum):
                article_id, ordinal, values = pickle.loads(column[docnum])
                yield docnum + offset, article_id, ordinal, dict(zip(FACETS, values, strict=True))


def stored_records(reader: Any) -> Iterator[Record]:
    """Every live document's record, from its stored fields: an index without ROW."""
    for leaf, offset in reader.leaf_readers():
        # a segment's stored fields as written (the whole reader's copies them field by field)
        for docnum, fields in leaf.iter_docs():
            facets = {name: fields.get(field) or () for name, field in FACETS.items()}
            if not facets["speaks"]:  # written before the `speaks` facet: as the builder does
                roles = (t.get("role", "") for t in fields.get("turns") or ())
                facets["speaks"] = [speaks_as(str(fields.get("kind", "")), roles)]
            article_id, ordinal = str(fields.get("article_id", "")), int(fields.get("ordinal", 0))
            yield docnum + offset, article_id, ordinal, facets


def document_arrays(reader: Any, left_out: Collection[str] = ()) -> DocumentArrays:
    """Every live document's facet values, order and tier, and the date column; the
    documents of the articles `left_out` (uncounted copies) are not live."""
    with_rows = ROW in reader.schema and all(
        leaf.has_column(ROW) for leaf, _ in reader.leaf_readers()
    )
    records = row_records(reader) if with_rows else stored_records(reader)
    if left_out:
        records = (r for r in records if r[1] not in left_out)
    return assemble(reader, records)


def assemble(reader: Any, records: Iterable[Record]) -> DocumentArrays:
    """The arrays of an index from its live documents' records."""
    size = reader.doc_count_all()
    live = np.zeros(size, dtype=bool)
    stored: dict[str, list[tuple[int, tuple[str, ...]]]] = {name: [] for name in FACETS}
    keys: list[tuple[str, int, int]] = []
    tiers = {value: i for i, value in enumerate(SPEAKS)}
    tier = np.zeros(size, dtype=np.int8)
    for docnum, article_id, ordinal, values in records:
        live[docnum] = True
        keys.append((article_id, ordinal, docnum))
        for name, pairs in stored.items():
            pairs.append((docnum, tuple(values.get(name) or ())))
        tier[docnum] = tiers[stored["speaks"][-1][1][0]]
    order = np.full(size, size, dtype=np.int64)  # deleted documents last
    article = np.full(size, -1, dtype=np.int64)
    keys.sort()
    order[[docnum for _, _, docnum in keys]] = np.arange(len(keys), dtype=np.int64)
    ids = [article_id for article_id, _, _ in keys]
    starts = [i == 0 or ids[i] != ids[i - 1] for i in range(len(ids))]
    article[[docnum for _, _, docnum in keys]] = np.cumsum(starts) - 1
    facets = {name: facet_arrays(pairs, name in BY_VALUE) for name, pairs in stored.items()}
    if reader.has_column("date"):
        date = np.fromiter(reader.column_reader("date"), dtype=np.int64, count=size)
    else:
        date = np.zeros(size, dtype=np.int64)
    return DocumentArrays(size, live, date, order, article, tier, facets)


PLAIN = ("live", "date", "order", "article", "tier")
ALIGN = 8  # bytes: every array starts at a multiple of its item size


def save_arrays(generation: Path, arrays: DocumentArrays) -> None:
    """Write the arrays into `<generation>/arrays/`: one file of raw arrays, one of JSON
    saying where each lies (two files, so removing a generation stays quick)."""
    directory = generation / ARRAYS
    directory.mkdir()
    named = {name: getattr(arrays, name) for name in PLAIN}
    facets = {name: in_document_order(facet) for name, facet in arrays.facets.items()}
    for name, facet in facets.items():
        named |= {f"{name}.{part}": getattr(facet, part) for part in ("docs", "ids", "rank")}
    named |= {f"table.{name}": array for name, array in document_table(facets, arrays.size).items()}
    plain = (np.asarray(arrays.order), np.asarray(arrays.date), np.asarray(arrays.tier))
    named |= {f"table.sequence.{sort}": sequence(sort, *plain) for sort in SORTS}
    if "arrived" in arrays.table:
        named["table.arrived"] = arrays.table["arrived"]
    layout: dict[str, tuple[str, int, int]] = {}
    offset = 0
    with (directory / "arrays.bin").open("wb") as out:
        for name, array in named.items():
            data = np.ascontiguousarray(array)
            layout[name] = (data.dtype.str, offset, len(data))
            out.write(data.tobytes())
            offset += data.nbytes
            padding = -offset % ALIGN
            out.write(b"\0" * padding)
            offset += padding
    info = {
        "version": VERSION,
        "size": arrays.size,
        "layout": layout,
        "values": {name: facet.values for name, facet in arrays.facets.items()},
    }
    (directory / "arrays.json").write_text(json.dumps(info, ensure_ascii=False), "utf-8")


def load_arrays(generation: Path, size: int) -> DocumentArrays | None:
    """The saved arrays, memory-mapped, or None when missing or written for another index
    (another document count or format)."""
    directory = generation / ARRAYS
    try:
        info = json.loads((directory / "arrays.json").read_text("utf-8"))
        if info.get("version") != VERSION or info.get("size") != size:
            return None
        if set(info["values"]) != set(FACETS):
            return None
        raw = np.memmap(directory / "arrays.bin", dtype=np.uint8, mode="r")

        def load(name: str) -> np.ndarray:
            dtype, offset, count = info["layout"][name]
            found: np.ndarray = raw[offset : offset + count * np.dtype(dtype).itemsize].view(dtype)
            return found

        plain = {name: load(name) for name in PLAIN}
        facets = {
            name: FacetArrays(values, *(load(f"{name}.{p}") for p in ("docs", "ids", "rank")))
            for name, values in info["values"].items()
        }
        # saved by builders since the table was added; computed at start-up before
        table = {
            name.removeprefix("table."): load(name)
            for name in info["layout"]
            if name.startswith("table.")
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if any(len(a) != size for a in plain.values()):
        return None
    for name, array in table.items():  # per document (starts: one more); tally ids per pair
        if name != f"{TALLY}.ids" and len(array) != size + name.endswith(".starts"):
            return None
    return DocumentArrays(size, facets=facets, table=table, **plain)
