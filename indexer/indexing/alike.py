"""The same question in different interviews: alike questions, compared when an index is built.

Each question is a TF-IDF vector of its indexed words (stemmed, accents folded, stop words
left out, as the index holds them), read from the postings of the `question` field, and two
questions are alike by the cosine of their vectors. Only live passages that an interviewee
answers count. Pairs from two different interviews at least SIMILAR alike ask the same
question. The builder keeps each passage's NEAREST most alike questions and the groups the
pairs join (`nearest`), and saves them in the generation (`arrays/alike/`, one `.npy` file
per array) beside the other per-passage arrays, so a server memory-maps them instead of
comparing and sorting pairs at start-up.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from indexer.schema import SPEAKS, stem_word
from indexer.segments import field_postings

FIELD = "question"
DIRECTORY = "alike"  # inside the generation's `arrays/` directory
POSTINGS = "postings"  # ...and each segment's question postings, for updates to reuse
VERSION = 1
NEAREST = 5  # alike questions kept per passage (the most a page shows beside one)
# Cosines are rounded to this many decimals: the same two questions then score the same
# whatever the segments and term numbers (a full rebuild and an update sum in other orders).
DECIMALS = 12
# Set on the 162 answered questions of 78 real interview pages beside the project
# (`python benchmarks/similar_questions.py --show 0.3`): the pairs of two interviews from
# 0.5 up ask the same thing ("where did the idea for <film> come from?"); of the four
# from 0.4 to 0.5, two do and two only share words ("tell us about your ..."); below 0.4,
# most share a name or a phrase and little else. Precision first: 0.5. On the 184 answered
# questions of the development set (tests/fixtures/devset), 45 pairs reach it, all but two
# the same question ("what's next?", "what do you want audiences to take away?").
SIMILAR = 0.5
MIN_WORDS = 3  # indexed words a question needs to be compared ("And then?" says too little)
MAX_SHARE = 0.05  # words in more of the questions than this share are left out...
MIN_CAP = 50  # ...once they are in more than this many questions (sklearn's max_df)
# Pairs of questions sharing a word are summed in memory (about 16 bytes each): past this many,
# the most common words are left out too, so a large collection stays within ~0.5 GB.
PAIR_BUDGET = 10_000_000
# Questions that alike ask the same question only when they also share more than one
# content word: one rare stem ("inspir") can carry a cosine past SIMILAR alone, yet
# "what inspired you?" and "which painters inspire you?" differ. Of the 45 development-set
# pairs at SIMILAR, 13 share two content words ("where did the idea come from?", "what do
# you want audiences to take away?"); "what's next?" shares one and pairs no more.
SHARED_WORDS = 2
CHUNK = 1_000_000  # pairs whose shared words are counted at a time (about 0.3 GB)
# Words the index keeps (its stop list is short) that say nothing of what is asked: they
# count towards the cosine, never as a shared content word.
FUNCTION_WORDS = frozenset(
    """what where which who whom whose why how did do does doing done was were been being
    has had having am i me my mine he him his she her hers they them their theirs our ours
    its s t d ll re ve m so about there here then than any some all more most very just
    also into out up down over under again too much many such own would could should might
    must shall let tell say said one two""".split()
)

Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]  # first, second document, cosine


def alike_pairs(
    reader: Any,
    live: np.ndarray,
    tier: np.ndarray,
    article: np.ndarray,
    kept: Path | None = None,
    previous: Path | None = None,
) -> Pairs:
    """Every pair of answered questions of two interviews at least SIMILAR alike; each
    segment's question postings are kept in `kept` and taken from `previous` when there
    (`segment_postings`)."""
    texts: list[bytes] = []
    found = question_postings(reader, answered(live, tier), texts, kept, previous)
    first, second, alike = pairs(*found, SIMILAR, SHARED_WORDS, content_words(texts))
    keep = article[first] != article[second]
    return first[keep], second[keep], alike[keep]


def answered(live: np.ndarray, tier: np.ndarray) -> np.ndarray:
    """A mask of the live passages an interviewee answers."""
    mask: np.ndarray = live & (tier == list(SPEAKS).index("answers"))
    return mask


def content_words(texts: list[bytes]) -> np.ndarray:
    """A mask of the indexed words (by term number) that are not FUNCTION_WORDS."""
    function = {form.encode() for w in FUNCTION_WORDS for form in (w, stem_word(w))}
    return np.array([text not in function for text in texts], dtype=bool)


def question_postings(
    reader: Any,
    eligible: np.ndarray,
    texts: list[bytes] | None = None,
    kept: Path | None = None,
    previous: Path | None = None,
) -> Pairs:
    """(document, term number, frequency) of every question word of an eligible passage;
    `texts`, when given, receives each term number's word. Each segment's postings are
    kept in `kept` and taken from `previous` when there (`segment_postings`)."""
    docs: list[np.ndarray] = []
    freqs: list[np.ndarray] = []
    numbers: dict[bytes, int] = {}
    order: list[int] = []  # each term's number, term after term
    lengths: list[int] = []  # ...and its postings
    if FIELD in reader.schema:
        for leaf, offset in reader.leaf_readers():
            found = segment_postings(leaf, kept, previous)
            order += [numbers.setdefault(text, len(numbers)) for text in found.texts]
            lengths += found.lengths.tolist()
            docs.append(found.docs.astype(np.int64) + offset)
            freqs.append(found.freqs.astype(np.float64))
    if texts is not None:
        texts.extend(numbers)  # in the order their numbers were given
    if not order:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    every = np.concatenate(docs)
    keep = eligible[every]
    terms = np.repeat(np.array(order, dtype=np.int64), lengths)
    return every[keep], terms[keep], np.concatenate(freqs)[keep]


@dataclass
class SegmentPostings:
    """The question postings of one segment: its terms in order, each one's postings, and
    their documents (numbered within the segment) and frequencies, term after term."""

    texts: list[bytes]
    lengths: np.ndarray
    docs: np.ndarray
    freqs: np.ndarray


def segment_postings(leaf: Any, kept: Path | None, previous: Path | None) -> SegmentPostings:
    """One segment's question postings, from `previous/<segment id>.npz` when an earlier
    generation saved them (a segment never changes but for deletions, and its deleted
    documents are never eligible), else read from its terms; saved into `kept` either way.

    An update keeps the previous generation's segments and adds one: only that one is read.
    """
    name = segment_name(leaf)
    source = previous / f"{name}.npz" if previous is not None and name else None
    found = load_postings(source) if source is not None else None
    if found is None:
        source = None
        found = read_postings(leaf)
    if kept is not None and name:
        kept.mkdir(parents=True, exist_ok=True)
        target = kept / f"{name}.npz"
        if source is None or not link(source, target):
            save_postings(target, found)
    return found


def segment_name(leaf: Any) -> str:
    """A segment's id, the same in every generation holding it ("" when it has none)."""
    segment = getattr(leaf, "segment", None)
    named: Any = segment() if callable(segment) else None
    return str(named.segment_id()) if hasattr(named, "segment_id") else ""


def read_postings(leaf: Any) -> SegmentPostings:
    """One segment's question postings, read from its terms."""
    found = list(field_postings(leaf, FIELD)) if FIELD in leaf.schema else []
    if not found:
        return SegmentPostings([], np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0))
    return SegmentPostings(
        [text for text, _, _ in found],
        np.array([len(docs) for _, docs, _ in found], dtype=np.int64),
        np.concatenate([docs for _, docs, _ in found]),
        np.concatenate([freqs for _, _, freqs in found]),
    )


def save_postings(path: Path, found: SegmentPostings) -> None:
    """Write one segment's question postings (the terms' bytes one after another)."""
    sizes = np.array([len(text) for text in found.texts], dtype=np.int64)
    words = np.frombuffer(b"".join(found.texts), dtype=np.uint8)
    with path.open("wb") as out:
        np.savez(
            out, sizes=sizes, words=words, lengths=found.lengths, docs=found.docs, freqs=found.freqs
        )


def load_postings(path: Path) -> SegmentPostings | None:
    """One segment's saved question postings, or None when missing or unreadable."""
    try:
        with np.load(path) as saved:
            words, sizes = saved["words"].tobytes(), saved["sizes"]
            ends = np.cumsum(sizes).tolist()
            starts = [0, *ends[:-1]]
            texts = [words[a:b] for a, b in zip(starts, ends, strict=True)]
            found = SegmentPostings(texts, saved["lengths"], saved["docs"], saved["freqs"])
    except (OSError, ValueError, KeyError):
        return None
    if len(found.lengths) != len(texts) or int(found.lengths.sum()) != len(found.docs):
        return None
    return found


def link(source: Path, target: Path) -> bool:
    """Hard-link `source` as `target` (a saved file never changes); False when it cannot."""
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def pairs(
    docs: np.ndarray,
    terms: np.ndarray,
    freqs: np.ndarray,
    least: float = 0.0,
    words: int = 1,
    content: np.ndarray | None = None,
) -> Pairs:
    """Every pair of documents sharing at least `words` words (of the `content` mask by
    term number, when given) whose TF-IDF vectors' cosine is at least `least`, with that
    cosine.

    (docs, terms, freqs) list each document's words; documents with fewer than
    MIN_WORDS words are left out, and so are words too common to tell questions apart.
    """
    distinct = np.bincount(docs, minlength=int(docs.max(initial=-1)) + 1)
    keep = distinct[docs] >= MIN_WORDS
    docs, terms, freqs = docs[keep], terms[keep], freqs[keep]
    if not len(docs):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    count = len(np.unique(docs))
    df = np.bincount(terms, minlength=int(terms.max()) + 1)
    keep = df[terms] <= common_cap(df, max(MIN_CAP, MAX_SHARE * count))
    docs, terms, freqs = docs[keep], terms[keep], freqs[keep]
    weights = (1 + np.log(freqs)) * (np.log((1 + count) / (1 + df[terms])) + 1)
    norms = np.sqrt(np.bincount(docs, weights=weights**2))
    vectors = sparse.csr_matrix((weights / norms[docs], (docs, terms)), shape=(len(norms), len(df)))
    # the upper triangle of every dot product: each pair once, never a question with itself
    products = vectors @ vectors.T
    products.data[products.data < least] = 0
    products.eliminate_zeros()
    products = sparse.triu(products, k=1, format="csr")
    products.sort_indices()  # pairs in order: by first document, then second
    found = products.tocoo()
    first, second, alike = found.row.astype(np.int64), found.col.astype(np.int64), found.data
    if words > 1:
        keep = enough_shared(vectors, first, second, words, content)
        first, second, alike = first[keep], second[keep], alike[keep]
    return first, second, np.round(np.minimum(alike, 1.0), DECIMALS)


def enough_shared(
    vectors: Any, first: np.ndarray, second: np.ndarray, words: int, content: np.ndarray | None
) -> np.ndarray:
    """Which pairs of questions (rows of `vectors`) share at least `words` words of the
    `content` mask, or all of both questions' ("What's next?" twice)."""
    present = vectors.copy()
    present.data = (
        content[present.indices].astype(np.float64)
        if content is not None
        else np.ones(len(present.data))
    )
    own = np.asarray(present.sum(axis=1)).ravel()
    shared = np.zeros(len(first))
    for at in range(0, len(first), CHUNK):  # common words, row by row of both questions
        both = present[first[at : at + CHUNK]].multiply(present[second[at : at + CHUNK]])
        shared[at : at + CHUNK] = np.asarray(both.sum(axis=1)).ravel()
    same = (shared == own[first]) & (shared == own[second])
    enough: np.ndarray = (shared >= words) | (same & (shared > 0))
    return enough


def common_cap(df: np.ndarray, cap: float) -> float:
    """The most questions a kept word may be in: `cap`, or lower to keep within PAIR_BUDGET."""
    sizes = np.sort(df[(df >= 2) & (df <= cap)])
    total = np.cumsum(sizes * (sizes - 1) // 2)
    if not len(total) or total[-1] <= PAIR_BUDGET:
        return cap
    over = int(np.searchsorted(total, PAIR_BUDGET, side="right"))
    return float(sizes[over]) - 1  # every word as common as the first one over is left out


@dataclass
class Nearest:
    """Each passage's nearest alike questions, and the groups alike pairs join, by document
    number. Neighbours come the most alike first (ties in reading order)."""

    starts: np.ndarray  # passage d's neighbours are targets[starts[d]:starts[d + 1]]
    targets: np.ndarray
    alike: np.ndarray  # the cosine of each neighbour
    members: np.ndarray  # every group's documents, group after group, each in reading order
    bounds: np.ndarray  # group g is members[bounds[g]:bounds[g + 1]]; most interviews first
    central: np.ndarray  # per group: its question most alike to the others (summed cosines)


PARTS = ("starts", "targets", "alike", "members", "bounds", "central")


def nearest(
    found: Pairs, order: np.ndarray, article: np.ndarray, size: int, keep: int = NEAREST
) -> Nearest:
    """Each passage's `keep` nearest questions and the groups, from every alike pair.

    `order` ranks documents in reading order (article id, ordinal) and `article` numbers
    their articles; `size` is the number of documents.
    """
    first, second, alike = found
    source, target = np.r_[first, second], np.r_[second, first]
    both = np.r_[alike, alike]
    ranked = np.lexsort((order[target], -both, source))
    source, target, both = source[ranked], target[ranked], both[ranked]
    counts = np.bincount(source, minlength=size)
    runs = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(counts, out=runs[1:])
    place = np.arange(len(source)) - runs[source]  # 0 for each passage's most alike
    near = place < keep
    starts = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.minimum(counts, keep), out=starts[1:])
    # summed one neighbour after another, most alike first, as a plain loop adds them
    weights = np.zeros(size)
    by_place = np.argsort(place, kind="stable")
    levels = np.searchsorted(place[by_place], np.arange(int(place.max(initial=-1)) + 2))
    for low, high in zip(levels[:-1].tolist(), levels[1:].tolist(), strict=True):
        chosen = by_place[low:high]  # one neighbour of each passage: no index repeats
        weights[source[chosen]] += both[chosen]
    members, bounds = groups(first, second, order, article, size)
    central = np.zeros(len(bounds) - 1, dtype=np.int64)
    if len(members):
        group = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
        # the first of each group's heaviest in its reading order
        best = np.lexsort((np.arange(len(members)), -weights[members], group))
        central = members[best[bounds[:-1]]]
    return Nearest(starts, target[near], both[near], members, bounds, central)


def groups(
    first: np.ndarray, second: np.ndarray, order: np.ndarray, article: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Documents joined by alike pairs: (members, bounds) of the groups spanning most
    interviews first (then most passages, then the earliest in reading order), each
    group's documents in reading order."""
    if not len(first):
        return np.zeros(0, np.int64), np.zeros(1, np.int64)
    label = np.arange(size)
    while True:  # each document takes the lowest label it is joined to, until none changes
        low = np.minimum(label[first], label[second])
        fresh = label.copy()
        np.minimum.at(fresh, first, low)
        np.minimum.at(fresh, second, low)
        fresh = fresh[fresh]
        if np.array_equal(fresh, label):
            break
        label = fresh
    members = np.unique(np.r_[first, second])
    members = members[np.argsort(order[members], kind="stable")]
    labels = np.unique(label[members], return_inverse=True)[1]  # group numbers
    sizes = np.bincount(labels)
    distinct = np.unique(np.c_[labels, article[members]], axis=0)[:, 0]
    interviews = np.bincount(distinct, minlength=len(sizes))
    opening = np.full(len(sizes), len(order), dtype=np.int64)
    np.minimum.at(opening, labels, order[members])
    rank = np.empty(len(sizes), dtype=np.int64)
    rank[np.lexsort((opening, -sizes, -interviews))] = np.arange(len(sizes))
    members = members[np.argsort(rank[labels], kind="stable")]
    bounds = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes[np.argsort(rank)], out=bounds[1:])
    return members, bounds


def save_nearest(directory: Path, found: Nearest) -> None:
    """Write `found` into an `arrays/` directory, one `.npy` file per array."""
    into = directory / DIRECTORY
    into.mkdir()
    for part in PARTS:
        np.save(into / f"{part}.npy", getattr(found, part))
    size = len(found.starts) - 1
    (into / "alike.json").write_text(json.dumps({"version": VERSION, "size": size}))


def load_nearest(directory: Path, size: int) -> Nearest | None:
    """The neighbours and groups saved in an `arrays/` directory, memory-mapped, or None
    when missing or written for another index (another document count or format)."""
    into = directory / DIRECTORY
    try:
        info = json.loads((into / "alike.json").read_text())
        if info.get("version") != VERSION or info.get("size") != size:
            return None
        found = Nearest(*(np.load(into / f"{part}.npy", mmap_mode="r") for part in PARTS))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if len(found.starts) != size + 1 or int(found.starts[-1]) != len(found.targets):
        return None
    if len(found.bounds) != len(found.central) + 1 or int(found.bounds[-1]) != len(found.members):
        return None
    return found
