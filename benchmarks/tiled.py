"""What a worker loads at start-up, at a size no rebuild here reaches: a built generation's
arrays repeated `--times` times (document numbers, articles and reading order shifted for
each copy), with `--pairs` alike pairs drawn at random among the answered passages of two
interviews (the synthetic corpus' alike pairs grow faster than its passages: 2,630 at
115,000 passages, 8.5 million at 1,000,000).

python -m benchmarks.tiled make GENERATION OUT [--times 9] [--pairs 8500000]
python -m benchmarks.tiled time OUT [--repeat 3]

`make` writes `OUT/arrays/` as the builder would (the time it takes to keep the nearest
questions is printed), and also every pair in `alike.npz`, the file builders wrote before
they kept the nearest, so that older code can be timed on the same arrays. `time` loads the
columns and the alike questions from `OUT`, as a new worker does after opening the index,
in fresh processes, and prints the seconds they took and the resident memory they added
(at the end, and at its peak).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
from whoosh import index

from indexer.indexing.arrays import ARRAYS, DocumentArrays, FacetArrays, load_arrays, save_arrays

from .server import memory_mb


def tiled(array: Any, times: int, step: int) -> np.ndarray:
    """`array` repeated `times` times, copy k shifted by k * step."""
    return np.concatenate([np.asarray(array) + k * step for k in range(times)])


def make(generation: Path, out: Path, times: int, count: int) -> None:
    """Write `generation`'s arrays repeated `times` times into `out`, with `count` random
    alike pairs (or the generation's own pairs, repeated, when `count` is 0)."""
    # here, not above: `time` also runs on code from before the nearest were kept
    from indexer.indexing.alike import alike_pairs, nearest, save_nearest

    ix = index.open_dir(str(generation))
    with ix.reader() as reader:
        arrays = load_arrays(generation, reader.doc_count_all())
        if arrays is None:
            raise SystemExit(f"{generation} holds no arrays for its documents")
        found = alike_pairs(reader, arrays.live, arrays.tier, arrays.article)
    ix.close()
    size, total = arrays.size, arrays.size * times
    articles = int(np.max(arrays.article, initial=-1)) + 1
    order = np.asarray(arrays.order)
    article = np.asarray(arrays.article)
    big = DocumentArrays(
        total,
        tiled(arrays.live, times, 0),
        tiled(arrays.date, times, 0),
        np.concatenate([np.where(order >= size, total, order + k * size) for k in range(times)]),
        np.concatenate([np.where(article < 0, -1, article + k * articles) for k in range(times)]),
        tiled(arrays.tier, times, 0),
        {
            name: FacetArrays(
                facet.values,
                tiled(facet.docs, times, size).astype(np.int32),
                tiled(facet.ids, times, 0).astype(np.int32),
                np.asarray(facet.rank),
            )
            for name, facet in arrays.facets.items()
        },
    )
    pairs = (tiled(found[0], times, size), tiled(found[1], times, size), tiled(found[2], times, 0))
    if count:
        pairs = random_pairs(big, count)
    out.mkdir(parents=True)
    save_arrays(out, big)
    first, second, alike = pairs
    np.savez(out / ARRAYS / "alike.npz", first=first, second=second, alike=alike)
    started = time.perf_counter()
    save_nearest(out / ARRAYS, nearest(pairs, big.order, big.article, total))
    print(
        f"{total:,} documents, {len(first):,} alike pairs, "
        f"{sum(len(f.docs) for f in big.facets.values()):,} facet pairs; "
        f"nearest questions kept in {time.perf_counter() - started:.1f} s"
    )


def random_pairs(arrays: DocumentArrays, count: int) -> tuple[np.ndarray, ...]:
    """`count` distinct pairs of answered passages of two interviews, in order, with
    cosines from 0.5 to 1."""
    from indexer.indexing.alike import DECIMALS

    rng = np.random.default_rng(3)
    answered = np.flatnonzero(np.asarray(arrays.live) & (np.asarray(arrays.tier) == 0))
    drawn = answered[rng.integers(0, len(answered), (2, count + count // 4))]
    first, second = drawn.min(axis=0), drawn.max(axis=0)
    keep = arrays.article[first] != arrays.article[second]
    keys = np.unique(first[keep] * arrays.size + second[keep])
    rng.shuffle(keys)
    keys = np.sort(keys[:count])
    alike = np.round(rng.uniform(0.5, 1.0, len(keys)), DECIMALS)
    return keys // arrays.size, keys % arrays.size, alike


def load(out: Path) -> dict[str, float]:
    """Load the columns and alike questions of `out` as a worker does; seconds and MB."""
    from webapp.columns import Columns
    from webapp.questions import SimilarQuestions

    size = json.loads((out / ARRAYS / "arrays.json").read_text())["size"]
    searcher = SimpleNamespace(doc_count_all=lambda: size)  # all a worker asks of it here
    before = memory_mb(os.getpid())[0]
    started = time.perf_counter()
    columns = Columns.load(searcher, out)  # type: ignore[arg-type]
    loaded = time.perf_counter()
    SimilarQuestions.load(searcher, columns, out)  # type: ignore[arg-type]
    done = time.perf_counter()
    rss, peak = memory_mb(os.getpid())
    return {
        "columns_s": loaded - started,
        "questions_s": done - loaded,
        "rss_added_mb": rss - before,
        "peak_added_mb": peak - before,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tiled", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    making = sub.add_parser("make", help="write repeated arrays and random alike pairs")
    making.add_argument("generation", type=Path)
    making.add_argument("out", type=Path)
    making.add_argument("--times", type=int, default=9)
    making.add_argument("--pairs", type=int, default=8_500_000, help="0: the generation's own")
    timing = sub.add_parser("time", help="load them as a new worker does")
    timing.add_argument("out", type=Path)
    timing.add_argument("--repeat", type=int, default=3)
    timing.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.command == "make":
        make(args.generation, args.out, args.times, args.pairs)
        return
    if args.child:
        print(json.dumps(load(args.out)))
        return
    runs = []
    for number in range(1, args.repeat + 1):
        command = [sys.executable, "-m", "benchmarks.tiled", "time", str(args.out), "--child"]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"run {number}: " + "; ".join(f"{k} {v:.2f}" for k, v in runs[-1].items()))
    medians = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"median of {len(runs)}: " + "; ".join(f"{k} {v:.2f}" for k, v in medians.items()))


if __name__ == "__main__":
    main()
