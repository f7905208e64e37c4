"""Load test: many clients against the production server while the index is rebuilt.

    python benchmarks/load.py --clients 20 --duration 60

Builds a synthetic corpus, starts `waitress-serve webapp.wsgi:app` on 127.0.0.1 as the
README documents, runs a mix of searches, facet clicks, article pages and API calls from
`--clients` threads for `--duration` seconds (or `--max-requests`), runs a full
`filmsearch index` in the middle, and reports requests per second, latency percentiles
and errors. Any non-200 answer, failed connection or inconsistent count is an error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus_gen import WORDS, write_article, write_corpus  # noqa: E402

MARKER = "zyzzyvamarker"  # only in the article added before the mid-run rebuild
PROBE = "camera"  # its count must always be the old index's or the new one's


@dataclass
class Report:
    """What one load run measured."""

    clients: int
    seconds: float = 0.0
    requests: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    rebuild_seconds: float = 0.0
    new_index_visible_after: float = -1.0
    probe_totals: list[int] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tool(name: str) -> list[str]:
    """A console script of this environment (waitress-serve, filmsearch)."""
    script = Path(sys.executable).parent / name
    if script.exists():
        return [str(script)]
    module = {"waitress-serve": "waitress", "filmsearch": "indexer.cli"}[name]
    return [sys.executable, "-m", module]


def start_server(index: Path, port: int, threads: int, log: Path) -> subprocess.Popen[bytes]:
    """The production server exactly as the README starts it; its log goes to `log`."""
    command = tool("waitress-serve") + [
        "--host=127.0.0.1",
        f"--port={port}",
        f"--threads={threads}",
        "--max-request-body-size=65536",
        "webapp.wsgi:app",
    ]
    env = {**os.environ, "FILMSEARCH_INDEX_DIR": str(index)}
    # A file, not a pipe: an unread pipe fills up and blocks the server's logging.
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            get(port, "/api/search")
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start within 30 s")


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Mix:
    """Builds the next request path: searches, facet clicks, article pages, API calls."""

    def __init__(self, port: int) -> None:
        data = json.loads(get(port, "/api/search?size=50")[1])
        self.facets = {
            name: [v["value"] for v in values] for name, values in data["facets"].items() if values
        }
        self.articles = sorted({r["article_id"] for r in data["results"]})

    def next(self, rng: random.Random) -> str:
        word = rng.choice(WORDS)
        q = word if rng.random() < 0.7 else f"{word} {rng.choice(WORDS)}"
        roll = rng.random()
        if roll < 0.30:
            sort = rng.choice(["relevance", "relevance", "newest"])
            return "/?" + urlencode({"q": q, "sort": sort, "page": rng.choice([1, 1, 2])})
        if roll < 0.50:
            name = rng.choice(sorted(self.facets))
            return "/?" + urlencode({"q": q, name: rng.choice(self.facets[name])})
        if roll < 0.70:
            return f"/a/{quote(rng.choice(self.articles))}?" + urlencode({"q": word})
        if roll < 0.85:
            return "/api/search?" + urlencode({"q": q})
        if roll < 0.92:
            return f"/api/search?q={PROBE}"
        return f"/api/articles/{quote(rng.choice(self.articles))}"


class Clients:
    """`count` threads, each one keep-alive connection, until a deadline or a request cap."""

    def __init__(self, port: int, mix: Mix, count: int, deadline: float, cap: int) -> None:
        self.port, self.mix, self.deadline, self.cap = port, mix, deadline, cap
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.probe_totals: set[int] = set()
        self.threads = [
            threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(count)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join()

    def _take(self) -> bool:
        with self.lock:
            if len(self.latencies) + len(self.errors) >= self.cap:
                return False
            return time.monotonic() < self.deadline

    def run(self, n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while self._take():
            path = self.mix.next(rng)
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                problem = self.check(path, response.status, body)
            except (OSError, http.client.HTTPException) as exc:
                elapsed, problem = time.perf_counter() - started, f"{type(exc).__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            with self.lock:
                if problem:
                    self.errors.append(f"{path}: {problem}")
                else:
                    self.latencies.append(elapsed)
        conn.close()

    def check(self, path: str, status: int, body: bytes) -> str:
        if status != 200:
            return f"HTTP {status}: {body[:200]!r}"
        if path.startswith("/api/"):
            data = json.loads(body)
            if data.get("ok") is False:
                return f"not ok: {data}"
            if path == f"/api/search?q={PROBE}":
                with self.lock:
                    self.probe_totals.add(data["total"])
        return ""


def rebuild(corpus: Path, index: Path, port: int, report: Report) -> None:
    """Add an article, rebuild the whole index, and time until the server serves it."""
    write_article(corpus, 99_999, random.Random(7), extra=MARKER)
    started = time.monotonic()
    subprocess.run(
        tool("filmsearch") + ["index", "--corpus", str(corpus), "--index", str(index)],
        check=True,
        capture_output=True,
    )
    report.rebuild_seconds = time.monotonic() - started
    while time.monotonic() - started < 60:
        if json.loads(get(port, f"/api/search?q={MARKER}")[1])["total"] > 0:
            report.new_index_visible_after = time.monotonic() - started
            return
        time.sleep(0.05)


def run(
    clients: int = 20,
    duration: float = 60.0,
    max_requests: int = 1_000_000,
    articles: int = 300,
    threads: int = 8,
    rebuild_at: float = 0.4,
    workdir: Path | None = None,
) -> Report:
    """One load run; returns its figures (errors must be 0)."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        write_corpus(corpus, articles)
        subprocess.run(
            tool("filmsearch") + ["index", "--corpus", str(corpus), "--index", str(index)],
            check=True,
            capture_output=True,
        )
        port = free_port()
        server = start_server(index, port, threads, Path(tmp) / "server.log")
        report = Report(clients=clients)
        try:
            old_probe = json.loads(get(port, f"/api/search?q={PROBE}")[1])["total"]
            started = time.monotonic()
            pool = Clients(port, Mix(port), clients, started + duration, max_requests)
            pool.start()
            time.sleep(duration * rebuild_at)
            rebuild(corpus, index, port, report)
            pool.join()
            report.seconds = time.monotonic() - started
            new_probe = json.loads(get(port, f"/api/search?q={PROBE}")[1])["total"]
        finally:
            server.terminate()
            server.wait(timeout=30)
            log = (Path(tmp) / "server.log").read_text().splitlines()
            # queue-depth warnings only say the clients outnumber the threads, as intended
            report.server_errors = [line for line in log if "ERROR" in line][:20]
    wrong = pool.probe_totals - {old_probe, new_probe}
    pool.errors += [f"/api/search?q={PROBE}: total {t} is neither index's" for t in wrong]
    report.requests = len(pool.latencies) + len(pool.errors)
    report.errors, report.error_samples = len(pool.errors), pool.errors[:10]
    report.probe_totals = sorted(pool.probe_totals)
    report.rps = report.requests / report.seconds
    if len(pool.latencies) >= 2:
        cuts = statistics.quantiles(pool.latencies, n=100, method="inclusive")
        report.p50_ms, report.p95_ms, report.p99_ms = (cuts[i] * 1000 for i in (49, 94, 98))
        report.max_ms = max(pool.latencies) * 1000
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="stop after these")
    parser.add_argument("--articles", type=int, default=300, help="synthetic corpus size")
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    parser.add_argument("--rebuild-at", type=float, default=0.4, help="fraction of the run")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    report = run(
        args.clients, args.duration, args.max_requests, args.articles, args.threads, args.rebuild_at
    )
    if args.json:
        print(json.dumps(asdict(report), indent=2))
    else:
        print(
            f"{report.requests} requests from {report.clients} clients in {report.seconds:.1f}s: "
            f"{report.rps:.1f} req/s; p50 {report.p50_ms:.0f} ms, p95 {report.p95_ms:.0f} ms, "
            f"p99 {report.p99_ms:.0f} ms, max {report.max_ms:.0f} ms; errors {report.errors}\n"
            f"rebuild {report.rebuild_seconds:.1f}s, new article served "
            f"{report.new_index_visible_after:.2f}s after the rebuild started"
        )
        for sample in report.error_samples:
            print("  error:", sample)
    sys.exit(1 if report.errors or report.new_index_visible_after < 0 else 0)


if __name__ == "__main__":
    main()
