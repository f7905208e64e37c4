"""Load test: many clients against the production server while the index is rebuilt.

    python benchmarks/load.py --clients 20 --duration 60
    python benchmarks/load.py --nginx --workers 2 --clients 20 --duration 60
    python benchmarks/load.py --replica --clients 20 --duration 60

Builds a synthetic corpus, starts `waitress-serve webapp.wsgi:app` on 127.0.0.1 as the
README documents (or, with `--workers N`, `filmsearch serve --workers N`, and with
`--nginx`, Debian's nginx in front of it as the production setup has it; `--workers N`
with N > 1 also runs one worker first, for the comparison), runs a mix of searches,
facet clicks, article pages and API calls from `--clients` threads for `--duration`
seconds (or `--max-requests`), runs a full `filmsearch index` in the middle, and
reports requests per second, latency percentiles and errors. Any non-200 answer, failed
connection or inconsistent count is an error. With `--replica` the servers read a second
index root, a read replica: the rebuild writes the first, and `filmsearch publish
--confirm` ships it to the replica mid-run, as a single builder feeds its replicas.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import random
import re
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
from indexer.schema import current_generation  # noqa: E402
from webapp import nginx  # noqa: E402

MARKER = "zyzzyvamarker"  # only in the article added before the mid-run rebuild
PROBE = "camera"  # its count must always be the old index's or the new one's


@dataclass
class Report:
    """What one load run measured."""

    clients: int
    workers: int = 0  # 0: one `waitress-serve` process; N: `filmsearch serve --workers N`
    nginx: bool = False
    seconds: float = 0.0
    requests: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    replica: bool = False
    rebuild_seconds: float = 0.0
    publish_seconds: float = 0.0  # with a replica: `filmsearch publish --confirm`
    new_index_visible_after: float = -1.0
    probe_totals: list[int] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    generation_built: str = ""  # the generation the mid-run rebuild swapped in
    generation_served: str = ""  # what /healthz (through nginx, if any) named afterwards
    logged_requests: int = 0  # the servers' one-line-per-request log lines
    logged_generations: list[str] = field(default_factory=list)
    forwarded_url: str = ""  # the search URL the OpenSearch description names


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


TRUSTED_HEADERS = "x-forwarded-for x-forwarded-proto x-forwarded-host"


def start_workers(
    index: Path, port: int, workers: int, threads: int, log: Path
) -> subprocess.Popen[bytes]:
    """`filmsearch serve --workers N` on 127.0.0.1, believing a proxy on 127.0.0.1."""
    command = tool("filmsearch") + ["serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--index", str(index), "--workers", str(workers), "--threads", str(threads)]
    command += ["--trusted-proxy", "127.0.0.1", "--trusted-proxy-headers", TRUSTED_HEADERS]
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    return wait_for(proc, port, log)


def start_nginx(prefix: Path, port: int, upstream: int) -> subprocess.Popen[bytes]:
    """Debian's nginx on 127.0.0.1:`port` in front of the workers on `upstream`."""
    nginx.write(f"127.0.0.1:{port}", [f"127.0.0.1:{upstream}"], prefix)
    with (prefix / "stderr.log").open("wb") as sink:
        proc = subprocess.Popen(nginx.command(prefix, foreground=True), stderr=sink)
    return wait_for(proc, port, prefix / "error.log")


def wait_for(proc: subprocess.Popen[bytes], port: int, log: Path) -> subprocess.Popen[bytes]:
    """Return `proc` once port answers a search with 200; stop it if it never does."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if get(port, "/api/search")[0] == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(log.read_text() if log.exists() else "exited") from None
        time.sleep(0.1)
    proc.kill()
    proc.wait()
    raise RuntimeError("the server did not start within 30 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


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
        self.stopped = threading.Event()
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

    def done(self) -> int:
        """Requests answered (or failed) so far."""
        with self.lock:
            return len(self.latencies) + len(self.errors)

    def wait_for(self, count: int, seconds: float = 300) -> None:
        """Return once `count` requests are done (or the clients stopped); fail after
        `seconds`."""
        give_up = time.monotonic() + seconds
        while self.done() < count and self._take():
            if time.monotonic() > give_up:
                raise RuntimeError(f"{self.done()} of {count} requests done in {seconds:g} s")
            time.sleep(0.01)

    def _take(self) -> bool:
        with self.lock:
            if len(self.latencies) + len(self.errors) >= self.cap or self.stopped.is_set():
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


def rebuild(
    corpus: Path, index: Path, port: int, report: Report, replica: Path | None = None
) -> None:
    """Add an article, rebuild the whole index (and publish it to `replica`), and time until
    the server serves it."""
    write_article(corpus, 99_999, random.Random(7), extra=MARKER)
    started = time.monotonic()
    subprocess.run(
        tool("filmsearch") + ["index", "--corpus", str(corpus), "--index", str(index)],
        check=True,
        capture_output=True,
    )
    report.rebuild_seconds = time.monotonic() - started
    if replica is not None:
        publish(index, replica, f"http://127.0.0.1:{port}")
        report.publish_seconds = time.monotonic() - started - report.rebuild_seconds
    while time.monotonic() - started < 60:
        if json.loads(get(port, f"/api/search?q={MARKER}")[1])["total"] > 0:
            report.new_index_visible_after = time.monotonic() - started
            return
        time.sleep(0.05)


def publish(index: Path, replica: Path, confirm: str = "") -> None:
    """`filmsearch publish` the builder's current generation to the replica's index root."""
    command = tool("filmsearch") + ["publish", str(replica), "--index", str(index)]
    command += ["--confirm", confirm] if confirm else []
    subprocess.run(command, check=True, capture_output=True)


def run(
    clients: int = 20,
    duration: float = 60.0,
    max_requests: int = 1_000_000,
    articles: int = 300,
    threads: int = 8,
    rebuild_at: float = 0.4,
    workdir: Path | None = None,
    workers: int = 0,
    use_nginx: bool = False,
    replica: bool = False,
    around_rebuild: int = 0,
) -> Report:
    """One load run; returns its figures (errors must be 0).

    `workers` 0 serves with one `waitress-serve` process, N with `filmsearch serve
    --workers N`; `use_nginx` puts nginx in front (it needs `workers` >= 1); with
    `replica` the servers read a replica the rebuilt index is published to. With
    `around_rebuild` N, the run is counted, not timed: the rebuild starts after N
    requests and the clients stop N requests after it is served (`duration` caps it).
    """
    if use_nginx and not nginx.binary():
        raise RuntimeError("nginx is not installed (apt-get install nginx)")
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        corpus, index, log = Path(tmp) / "corpus", Path(tmp) / "index", Path(tmp) / "server.log"
        write_corpus(corpus, articles)
        subprocess.run(
            tool("filmsearch") + ["index", "--corpus", str(corpus), "--index", str(index)],
            check=True,
            capture_output=True,
        )
        served = Path(tmp) / "replica" if replica else index
        if replica:
            publish(index, served)
        port = free_port()
        if workers:
            server = start_workers(served, port, workers, threads, log)
        else:
            server = start_server(served, port, threads, log)
        front: subprocess.Popen[bytes] | None = None
        report = Report(clients=clients, workers=workers, nginx=use_nginx, replica=replica)
        try:
            if use_nginx:
                upstream, port = port, free_port()
                front = start_nginx(Path(tmp) / "nginx", port, upstream)
            old_probe = json.loads(get(port, f"/api/search?q={PROBE}")[1])["total"]
            started = time.monotonic()
            pool = Clients(port, Mix(port), clients, started + duration, max_requests)
            pool.start()
            if around_rebuild:
                pool.wait_for(around_rebuild, duration)
            else:
                time.sleep(duration * rebuild_at)
            rebuild(corpus, index, port, report, served if replica else None)
            if around_rebuild:
                pool.wait_for(pool.done() + around_rebuild, duration)
                pool.stopped.set()
            pool.join()
            report.seconds = time.monotonic() - started
            new_probe = json.loads(get(port, f"/api/search?q={PROBE}")[1])["total"]
            built = current_generation(served)
            report.generation_built = built.name if built else ""
            report.generation_served = json.loads(get(port, "/healthz")[1])["generation"]
            report.forwarded_url = _search_template(get(port, "/opensearch.xml")[1])
        finally:
            if front is not None:
                stop(front)
            stop(server)
            lines = log.read_text().splitlines()
            # queue-depth warnings only say the clients outnumber the threads, as intended
            report.server_errors = [line for line in lines if "ERROR" in line][:20]
            if front is not None:
                error_log = (Path(tmp) / "nginx" / "error.log").read_text().splitlines()
                report.server_errors += [line for line in error_log if "[error]" in line][:20]
    requests = [json.loads(line) for line in lines if line.startswith('{"method"')]
    report.logged_requests = len(requests)
    report.logged_generations = sorted({line["generation"] for line in requests})
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


def _search_template(opensearch: bytes) -> str:
    """The HTML search URL template an OpenSearch description names."""
    found = re.search(rb'<Url type="text/html"[^>]*template="([^"]+)"', opensearch)
    return html.unescape(found.group(1).decode()) if found else ""


def describe(report: Report) -> str:
    """One run's figures in two lines."""
    served = f"{report.workers} worker(s)" if report.workers else "waitress-serve"
    served += " behind nginx" if report.nginx else ""
    served += " on a replica" if report.replica else ""
    return (
        f"{served}: {report.requests} requests from {report.clients} clients in "
        f"{report.seconds:.1f}s: {report.rps:.1f} req/s; p50 {report.p50_ms:.0f} ms, "
        f"p95 {report.p95_ms:.0f} ms, p99 {report.p99_ms:.0f} ms, max {report.max_ms:.0f} ms; "
        f"errors {report.errors}\n"
        f"rebuild {report.rebuild_seconds:.1f}s"
        + (f", publish {report.publish_seconds:.1f}s" if report.replica else "")
        + ", new article served "
        f"{report.new_index_visible_after:.2f}s after the rebuild started"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="stop after these")
    parser.add_argument("--articles", type=int, default=300, help="synthetic corpus size")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads per process")
    parser.add_argument("--rebuild-at", type=float, default=0.4, help="fraction of the run")
    parser.add_argument(
        "--workers", type=int, default=0, help="serve with `filmsearch serve --workers N`"
    )
    parser.add_argument("--nginx", action="store_true", help="put nginx in front")
    parser.add_argument(
        "--replica", action="store_true", help="serve a replica; publish the rebuild to it"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    workers = args.workers or (1 if args.nginx else 0)
    # with several workers, one worker first in the same run, for the comparison
    counts = [1, workers] if workers > 1 else [workers]
    reports = [
        run(
            args.clients,
            args.duration,
            args.max_requests,
            args.articles,
            args.threads,
            args.rebuild_at,
            workers=count,
            use_nginx=args.nginx,
            replica=args.replica,
        )
        for count in counts
    ]
    if args.json:
        print(json.dumps([asdict(r) for r in reports], indent=2))
    else:
        for report in reports:
            print(describe(report))
            for sample in report.error_samples:
                print("  error:", sample)
        if len(reports) == 2:
            ratio = reports[1].rps / reports[0].rps if reports[0].rps else 0.0
            print(f"{workers} workers / 1 worker: {ratio:.2f}x the requests per second")
    failed = any(r.errors or r.new_index_visible_after < 0 for r in reports)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
