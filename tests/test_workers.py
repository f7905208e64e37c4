"""`filmsearch serve --workers N`: N processes answer on one port, each logging its requests."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from indexer.schema import current_generation
from tests.conftest import free_port

pytestmark = pytest.mark.slow  # starts processes or servers, or reads every real page


def healthz(url: str) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
            data: dict[str, object] = json.loads(response.read())
            return data
    except OSError:
        return None


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_two_workers_share_a_port_and_stop_together(index_root: Path, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "server.log").open("w+b")
    command = [sys.executable, "-m", "indexer.cli", "serve", "--port", str(port)]
    command += ["--index", str(index_root), "--workers", "2", "--threads", "2"]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    answers: list[dict[str, object]] = []
    try:
        deadline = time.monotonic() + 30
        while healthz(url) is None:
            assert server.poll() is None and time.monotonic() < deadline, "did not start"
            time.sleep(0.1)
        pids: set[object] = set()
        with ThreadPoolExecutor(8) as pool:
            for _ in range(20):  # until both workers have answered
                answers += [a for a in pool.map(healthz, [url] * 16) if a is not None]
                pids = {a["pid"] for a in answers}
                if len(pids) == 2:
                    break
        assert len(pids) == 2 and server.pid not in pids
        generation = current_generation(index_root)
        assert generation is not None
        assert {a["generation"] for a in answers} == {generation.name}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    deadline = time.monotonic() + 10
    while not all(gone(int(str(pid))) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(gone(int(str(pid))) for pid in pids)
    log.seek(0)
    lines = [json.loads(line) for line in log.read().decode().splitlines() if line.startswith("{")]
    log.close()
    served = [line for line in lines if line["path"] == "/healthz"]
    # one line per request, each naming the worker that answered
    assert {line["pid"] for line in served} == pids
    assert len(served) == len(answers) + 1  # the answers counted, and the first probe's
    assert all(line["status"] == 200 and line["ms"] >= 0 for line in served)


def wait_for_line(log: Path, text: str, server: subprocess.Popen[bytes]) -> str:
    """The first line of the server's log holding `text`, once the server has written it."""
    deadline = time.monotonic() + 60
    while True:
        for line in log.read_text(errors="replace").splitlines():
            if text in line:
                return line
        assert server.poll() is None and time.monotonic() < deadline, (text, log.read_text())
        time.sleep(0.05)


def test_sigterm_drains_a_worker_and_every_death_is_logged_and_replaced(
    index_root: Path, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "server.log"
    command = [sys.executable, "-m", "indexer.cli", "serve", "--port", str(port)]
    command += ["--index", str(index_root), "--workers", "2", "--threads", "2"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while healthz(url) is None:
            assert server.poll() is None and time.monotonic() < deadline, "did not start"
            time.sleep(0.1)
        # a keep-alive connection: its first answer names the worker that holds it
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/healthz")
        first = conn.getresponse()
        pid = int(json.loads(first.read())["pid"])
        # a slow client: the next request on it has begun to arrive, not yet whole
        assert conn.sock is not None
        conn.sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        os.kill(pid, signal.SIGTERM)
        drain = wait_for_line(log_path, f"worker pid {pid} got SIGTERM", server)
        assert "draining 1 requests in flight" in drain
        conn.sock.sendall(b"X-Slow: yes\r\n\r\n")  # the rest of the request, after SIGTERM
        answer = http.client.HTTPResponse(conn.sock)
        answer.begin()
        assert answer.status == 200
        assert json.loads(answer.read())["pid"] == pid  # answered by the draining worker
        conn.close()
        ended = wait_for_line(log_path, f"(pid {pid}) ended", server)
        assert ended.endswith("ended: SIGTERM (signal 15)")
        replaced = wait_for_line(log_path, f"(was pid {pid})", server)
        new_pid = int(replaced.split("replaced: pid ")[1].split()[0])
        assert new_pid != pid and not gone(new_pid)
        # a worker killed outright is logged and replaced too
        os.kill(new_pid, signal.SIGKILL)
        killed = wait_for_line(log_path, f"(pid {new_pid}) ended", server)
        assert killed.endswith("ended: SIGKILL (signal 9)")
        wait_for_line(log_path, f"(was pid {new_pid})", server)
        assert healthz(url) is not None
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert "stopped: SIGTERM (signal 15)" in log_path.read_text()
