"""A new worker on an existing index, in a fresh process each time: how long it takes to
open the index and load what it searches with (`SearchService.warm`), how long its first
pass over the query mix takes, and its resident memory after each.

python -m benchmarks.startup INDEX [--repeat 3] [--no-pass]

Prints every run and the medians. The figures of one run compare with those of another
run only on a machine as loaded.
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
from typing import Any

from .server import memory_mb

FIGURES = ("startup_s", "startup_rss_mb", "pass_s", "rss_mb", "peak_rss_mb")


def one_worker(index_root: Path, first_pass: bool) -> dict[str, float]:
    """Start-up and first pass of a worker in this process (call it in a fresh one)."""
    from webapp.search import SearchService

    from .queries import query_mix

    started = time.perf_counter()
    service = SearchService(index_root, cache_size=0)
    service.warm()
    found = {"startup_s": time.perf_counter() - started}
    found["startup_rss_mb"] = memory_mb(os.getpid())[0]
    if first_pass:
        started = time.perf_counter()
        for search in query_mix():
            service.search(search.q, search.filters)
        found["pass_s"] = time.perf_counter() - started
    found["rss_mb"], found["peak_rss_mb"] = memory_mb(os.getpid())
    service.close()
    return found


def measure(index_root: Path, repeat: int, first_pass: bool) -> list[dict[str, float]]:
    """`repeat` fresh worker processes, one after another."""
    runs = []
    for _ in range(repeat):
        args = [sys.executable, "-m", "benchmarks.startup", str(index_root), "--child"]
        done = subprocess.run(
            [*args, *([] if first_pass else ["--no-pass"])],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return runs


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    """The median of each figure over `runs`."""
    return {k: statistics.median(r[k] for r in runs) for k in FIGURES if k in runs[0]}


def line(figures: dict[str, Any]) -> str:
    """One run's figures on one line."""
    return "; ".join(
        f"{k} {v:.2f}" if k.endswith("_s") else f"{k} {v:.0f}" for k, v in figures.items()
    )


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__)
    parser.add_argument("index", type=Path, help="an index root (holding `current`)")
    parser.add_argument("--repeat", type=int, default=3, help="fresh worker processes")
    parser.add_argument("--no-pass", action="store_true", help="start-up only")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        found = one_worker(args.index, not args.no_pass)
        print(json.dumps(found))
        return found
    runs = measure(args.index, args.repeat, not args.no_pass)
    for number, run in enumerate(runs, 1):
        print(f"run {number}: {line(run)}")
    found = medians(runs)
    print(f"median of {len(runs)}: {line(found)}")
    return found


if __name__ == "__main__":
    main()
