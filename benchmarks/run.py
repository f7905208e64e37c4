"""The whole benchmark in one run: `python -m benchmarks.run` (see benchmarks/README.md)."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from indexer.indexing.generation import build_index
from indexer.read.sources import find_sources
from indexer.schema import current_generation
from webapp import create_app
from webapp.search import SearchService

from .corpus import read_passages
from .fts5 import Fts5
from .generate import edit_articles, generate
from .queries import Search, query_mix
from .report import ENGINES, ms, summarise, summary, table
from .server import load, serving, warm
from .tantivy_engine import Tantivy


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def build(corpus: Path, index_root: Path, passages: int, jobs: int) -> dict[str, Any]:
    """Generate the corpus, rebuild, then change 1% of the files and `--update`."""
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(index_root, ignore_errors=True)
    list(generate(corpus, passages))
    full = build_index(corpus, index_root, jobs=jobs)
    generation = current_generation(index_root)
    assert generation is not None
    result: dict[str, Any] = {
        "build": {
            "jobs": jobs,
            "seconds": full.seconds,
            "per_second": full.passages / full.seconds,
            "timings": full.timings,
            "index_mb": size_mb(generation),
        }
    }
    paths = list(find_sources(corpus))
    changed = edit_articles(paths, 0.01)
    update = build_index(corpus, index_root, jobs=jobs, update=True)
    result["update"] = {
        "changed": len(changed),
        "seconds": update.seconds,
        "percent": 100 * update.seconds / full.seconds,
        "timings": update.timings,
        "parsed": update.parsed,
        "rewritten": update.rewritten,
    }
    return result


def timed(func: Callable[[], object]) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def latencies(
    index_root: Path, work: Path, mix: list[Search], rounds: int
) -> tuple[dict[str, dict[str, list[float]]], dict[str, Any]]:
    """Every engine runs every search of the mix, side by side, `rounds` times."""
    extra: dict[str, Any] = {"engines": {}}
    passages = list(read_passages(index_root))
    extra["passages"] = len(passages)
    extra["articles"] = len({p.pid.split("#")[0] for p in passages})
    (work / "fts5.db").unlink(missing_ok=True)
    fts = Fts5(work / "fts5.db")
    tantivy = Tantivy(work / "tantivy")
    for name, engine in (("fts5", fts), ("tantivy", tantivy)):
        started = time.perf_counter()
        engine.build(passages)
        seconds = time.perf_counter() - started
        extra["engines"][name] = {
            "seconds": seconds,
            "per_second": len(passages) / seconds,
            "mb": size_mb(engine.path),
        }
    del passages
    started = time.perf_counter()  # what a new worker does before its first search
    service = SearchService(index_root, cache_size=0)
    service.warm()
    extra["warm_seconds"] = time.perf_counter() - started
    client = create_app(
        {"INDEX_DIR": str(index_root), "SEARCH_CACHE_SIZE": 0, "TESTING": True}
    ).test_client()

    def route(path: str) -> Callable[[Search], None]:
        def get(search: Search) -> None:
            params = [("q", search.q)] + [(k, v) for k, vs in search.filters.items() for v in vs]
            # passage by passage, as `service.search` and the other engines rank them
            response = client.get(path, query_string=[*params, ("group", "passage")])
            assert response.status_code == 200, response.status_code

        return get

    runners: dict[str, Callable[[Search], object]] = {
        "ours": lambda s: service.search(s.q, s.filters),
        "flask": route("/api/search"),
        "html": route("/search"),
        "fts5": fts.search,
        "tantivy": tantivy.search,
    }
    extra["cold_pass_seconds"] = sum(timed(lambda s=s: runners["ours"](s)) for s in mix)
    extra["disagreements"] = []
    for search in mix:  # warm every engine's caches and check they agree on totals
        totals = {"ours": service.search(search.q, search.filters).total}
        totals |= {name: runners[name](search)["total"] for name in ("fts5", "tantivy")}
        runners["flask"](search)  # the app's own service loads its own postings
        runners["html"](search)  # ...and the page its templates
        if len(set(totals.values())) > 1:
            extra["disagreements"].append((search.cls, search.q, search.filters, totals))
    samples: dict[str, dict[str, list[float]]] = {e: defaultdict(list) for e in ENGINES}
    for round_number in range(rounds):
        order = ENGINES[round_number % len(ENGINES) :] + ENGINES[: round_number % len(ENGINES)]
        for search in mix:
            for engine in order:
                run = runners[engine]
                samples[engine][search.cls].append(timed(lambda r=run, s=search: r(s)))
    cached = SearchService(index_root)
    repeats = []
    for search in mix:
        cached.search(search.q, search.filters)
        again = lambda s=search: cached.search(s.q, s.filters)  # noqa: E731
        repeats += [timed(again) for _ in range(20)]
    extra["cached"] = {"p50": ms(repeats, 50), "p95": ms(repeats, 95)}
    for closing in (fts, tantivy, service, cached):
        closing.close()
    return samples, extra


def http(index_root: Path, mix: list[Search], clients: int, seconds: float) -> dict[str, Any]:
    """Requests per second against `filmsearch serve`, without and with the result cache,
    and uncached with two worker processes."""
    results = {}
    runs = (("uncached", 0, 1), ("cached (default)", 512, 1), ("uncached, 2 workers", 0, 2))
    for label, cache, workers in runs:
        threads = max(4, clients)
        with serving(index_root, threads, cache, workers) as (url, pid):
            warm(url, mix)
            got = load(url, pid, mix, clients, seconds)
        results[label] = {
            "threads": threads,
            "workers": workers,
            "clients": clients,
            "seconds": got.seconds,
            "requests": got.requests,
            "per_second": got.per_second,
            "p50": ms(got.latencies, 50),
            "p95": ms(got.latencies, 95),
            "errors": got.errors,
            "rss_mb": got.rss_mb,
            "peak_rss_mb": got.peak_rss_mb,
        }
    return results


def run_size(passages: int, args: argparse.Namespace) -> dict[str, Any]:
    """Every figure for one corpus size."""
    work = args.out / f"{passages}"
    work.mkdir(parents=True, exist_ok=True)
    corpus, index_root = work / "corpus", work / "index"
    result: dict[str, Any] = {"size": passages}
    if args.reuse and current_generation(index_root) is not None:
        print(f"[{passages:,}] reusing {index_root}", file=sys.stderr)
    else:
        print(f"[{passages:,}] generating, rebuilding, updating ...", file=sys.stderr)
        result |= build(corpus, index_root, passages, args.jobs)
    print(f"[{passages:,}] latencies ({args.rounds} rounds) ...", file=sys.stderr)
    mix = query_mix()
    samples, extra = latencies(index_root, work, mix, args.rounds)
    result |= extra
    result["rows"] = summarise(samples)
    if args.seconds > 0:
        print(f"[{passages:,}] HTTP load ...", file=sys.stderr)
        result["http"] = http(index_root, mix, args.clients, args.seconds)
    return result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--passages", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5, help="measured passes over the mix")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients")
    parser.add_argument("--seconds", type=float, default=10, help="HTTP load per server")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the rebuild")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing corpus+index")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[int, dict[str, Any]]:
    """Run every size, print each one's table and figures, save them as JSON."""
    args = parse_args(argv)
    results = {}
    for passages in args.passages:
        result = run_size(passages, args)
        results[passages] = result
        print(f"\n## {passages:,} passages (ms; {args.rounds} rounds of {len(query_mix())})\n")
        print(table(result["rows"]))
        print()
        print(summary(result))
        sys.stdout.flush()
        (args.out / f"{passages}" / "results.json").write_text(
            json.dumps(result, indent=1, default=str)
        )
    return results


if __name__ == "__main__":
    main()
