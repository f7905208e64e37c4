"""The production server (`filmsearch serve`, waitress) under concurrent clients."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .queries import Search


@dataclass
class Load:
    """What the clients saw, and the server's memory afterwards."""

    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    peak_rss_mb: float = 0.0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    index_root: Path, threads: int, cache_size: int, workers: int = 1
) -> Iterator[tuple[str, int]]:
    """Run `filmsearch serve` on a free port; yield its base URL and process id."""
    port = free_port()
    env = os.environ | {"FILMSEARCH_SEARCH_CACHE_SIZE": str(cache_size)}
    command = [sys.executable, "-m", "indexer.cli", "serve", "--port", str(port)]
    command += ["--index", str(index_root), "--threads", str(threads), "--workers", str(workers)]
    # A file, not a pipe: the server logs a line per request, and an unread pipe fills up
    # and blocks it.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(url + "/api/search?q=", timeout=60):
                    break
            except OSError as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    err = log.read().decode(errors="replace")[-4000:]
                    raise RuntimeError(f"server did not start: {err}") from exc
                time.sleep(0.2)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process and its children (worker
    processes), in MB (Linux /proc)."""
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid, *map(int, children.read_text().split())] if children.exists() else [pid]
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in values:
                values[key] += int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def search_url(base: str, search: Search) -> str:
    params = [("q", search.q)] + [(k, v) for k, vs in search.filters.items() for v in vs]
    return f"{base}/api/search?{urllib.parse.urlencode(params)}"


def warm(base: str, mix: list[Search]) -> None:
    """Request the mix once, so postings are in memory as on a server that has been up."""
    for search in mix:
        with urllib.request.urlopen(search_url(base, search), timeout=300) as response:
            response.read()


def load(base: str, pid: int, mix: list[Search], clients: int, seconds: float) -> Load:
    """`clients` threads request the mix in turn for `seconds`; then read the server's RSS."""
    result = Load()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    urls = [search_url(base, s) for s in mix]

    def client(offset: int) -> None:
        i = offset
        while time.perf_counter() < stop:
            url = urls[i % len(urls)]
            i += 1
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    response.read()
                ok = True
            except OSError:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                result.requests += ok
                result.errors += not ok
                result.latencies.append(elapsed)

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n * 7,)) for n in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    result.seconds = time.perf_counter() - started
    result.rss_mb, result.peak_rss_mb = memory_mb(pid)
    return result
