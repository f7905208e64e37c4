"""One interview saved twice: near-duplicate articles, found when an index is built.

An article's text is its passages' questions and answers, cut into words (lower case,
letters and digits) and into shingles of SHINGLE words in a row (hashed). Two articles whose
shingle sets overlap by at least SAME (Jaccard: shared shingles over all of them) are
copies of one interview, such as a page and its reprint under another outlet's name. A
MinHash signature of each article's shingles (`datasketch`) estimates the overlap, and a
MinHash LSH index proposes the pairs worth estimating, so no two articles are compared
word by word. Copies join into groups; in each group, the copy that entered the
collection first (then the lowest source path) is the one counted. The others stay in the
index, so their pages still open and say where the interview is counted, but their
passages are left out of the live passages every search, count and page works on.

The builder saves the groups in the generation (`arrays/copies.json`), beside the other
per-passage arrays; they are found again from the whole collection on every build, so an
update gives what a full rebuild gives.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

from indexer.model import Article

FILE = "copies.json"  # inside the generation's `arrays/` directory
SHINGLE = 5  # words per shingle: a shared stock phrase is shorter, a shared sentence longer
# A reprint with a changed introduction, a dropped question or a respelled name keeps
# nearly all of its shingles; two interviews sharing one paragraph, a press-kit answer or
# a long quote share a small part of theirs. 0.6 sits between, well clear of both: of the
# 136 annotated real pages beside the project (several interviews with one director among
# them), no two share more than 2% of their shingles.
SAME = 0.6
PERMUTATIONS = 128  # MinHash size: the estimate's error is about 0.04 near SAME
SEED = 1
SCHEME = "affine32"  # 32-bit hashes, as the shingles' are
WORD = re.compile(r"\w+")
MULTIPLIER = np.uint64(0x100000001B3)  # odd, so no word's hash is lost in a shingle's


@dataclass(frozen=True)
class Sketched:
    """One article as the copies are found: its id, what orders copies, and its sketch."""

    id: str
    arrived: int  # microseconds since the epoch; the earliest copy is counted
    source: str  # path in the corpus: the tie-break
    sketch: bytes  # `sketch_of` its text: b"" when it has no words


def article_text(article: Article) -> str:
    """An article's questions and answers, passage by passage."""
    return "\n".join(f"{p.question}\n{p.answer}" for p in article.passages)


def words(text: str) -> list[str]:
    """The words of a text, lower case."""
    return WORD.findall(text.casefold())


@lru_cache(maxsize=1 << 18)
def word_hash(word: str) -> int:
    """A word's 64-bit hash, the same in every process."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def shingles(text: str) -> np.ndarray:
    """A 32-bit hash of every distinct run of SHINGLE words of a text (of all of it, when
    shorter), sorted: each run's word hashes combined as a polynomial, modulo 2**64."""
    found = words(text)
    if not found:
        return np.zeros(0, np.uint64)
    numbers: dict[str, int] = {}
    at = np.fromiter((numbers.setdefault(w, len(numbers)) for w in found), np.int64, len(found))
    codes = np.fromiter(map(word_hash, numbers), np.uint64, len(numbers))[at]
    width = min(SHINGLE, len(found))
    count = len(found) - width + 1
    runs = np.zeros(count, np.uint64)
    for k in range(width):
        runs = runs * MULTIPLIER + codes[k : k + count]  # arrays wrap around: modulo 2**64
    found_runs: np.ndarray = np.unique(runs >> np.uint64(32))
    return found_runs


@lru_cache(maxsize=1)
def permutations() -> tuple[np.ndarray, np.ndarray]:
    """The MinHash permutations, drawn once from SEED."""
    drawn = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME)
    found: tuple[np.ndarray, np.ndarray] = drawn.permutations
    return found


def sketch_of(text: str) -> bytes:
    """The MinHash of a text's shingles, as bytes (kept in the manifest, so an update
    sketches only the files it parses); b"" when the text has no words."""
    hashes = shingles(text)
    if not len(hashes):
        return b""
    sketch = MinHash(
        num_perm=PERMUTATIONS,
        seed=SEED,
        hashfunc=int,
        permutations=permutations(),
        scheme=SCHEME,
    )
    sketch.update_batch(hashes.tolist())
    return bytes(sketch.hashvalues.astype(np.uint64).tobytes())


def article_sketch(article: Article) -> bytes:
    """`sketch_of` an article's questions and answers."""
    return sketch_of(article_text(article))


def minhash(sketch: bytes) -> MinHash:
    """A MinHash from `sketch_of` bytes."""
    values = np.frombuffer(sketch, dtype=np.uint64)
    return MinHash(
        num_perm=PERMUTATIONS,
        seed=SEED,
        hashvalues=values,
        permutations=permutations(),
        scheme=SCHEME,
    )


def copy_groups(entries: Sequence[Sketched]) -> list[list[str]]:
    """Article ids of each interview saved more than once, the counted copy first and the
    others in the order they arrived; groups in the order of their counted copies."""
    sketches: dict[str, MinHash] = {}
    index = MinHashLSH(threshold=SAME, num_perm=PERMUTATIONS)
    for entry in entries:
        if len(entry.sketch) == 8 * PERMUTATIONS and entry.id not in sketches:
            sketches[entry.id] = minhash(entry.sketch)
            index.insert(entry.id, sketches[entry.id])
    joined = {key: key for key in sketches}

    def root(key: str) -> str:
        while joined[key] != key:
            joined[key] = joined[joined[key]]
            key = joined[key]
        return key

    for key, sketch in sketches.items():
        for other in index.query(sketch):
            if other != key and sketch.jaccard(sketches[other]) >= SAME:
                joined[root(other)] = root(key)
    rank = {e.id: (e.arrived, e.source, e.id) for e in entries}
    groups: dict[str, list[str]] = {}
    for key in sketches:
        groups.setdefault(root(key), []).append(key)
    found_groups = [sorted(g, key=rank.__getitem__) for g in groups.values() if len(g) > 1]
    return sorted(found_groups, key=lambda g: rank[g[0]])


def entries_of(
    articles: Iterable[tuple[Article, bytes | None]], arrivals: Mapping[str, int]
) -> list[Sketched]:
    """The entries of parsed articles, each with its sketch when known (else sketched
    now), and when each arrived (by article id)."""
    return [
        Sketched(a.id, arrivals.get(a.id, 0), a.source, article_sketch(a) if s is None else s)
        for a, s in articles
    ]


def left_out(groups: Iterable[Sequence[str]]) -> set[str]:
    """The ids of every copy that is not counted."""
    return {key for group in groups for key in group[1:]}


def save_copies(directory: Path, groups: list[list[str]]) -> None:
    """Write the groups into an `arrays/` directory."""
    text = json.dumps({"groups": groups}, ensure_ascii=False)
    (directory / FILE).write_text(text, "utf-8")


def load_copies(directory: Path) -> list[list[str]]:
    """The groups saved in an `arrays/` directory ([] when none were saved)."""
    try:
        groups = json.loads((directory / FILE).read_text("utf-8"))["groups"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if not isinstance(groups, list):
        return []
    return [[str(key) for key in group] for group in groups if isinstance(group, list)]
