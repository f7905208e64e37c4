"""`filmsearch publish DEST`: a replica index root follows the primary without a restart."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.corpus_gen import write_article, write_corpus
from benchmarks.load import get, start_workers, stop
from indexer.indexing.generation import STAGING_PREFIX, build_index
from indexer.schema import current_generation
from tests.conftest import free_port

pytestmark = pytest.mark.slow  # starts processes or servers, or reads every real page

MARKER = "zyzzyvareplica"  # only in the article added for the second generation
needs_rsync = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")


@dataclass
class Site:
    """An index root with a real server on it."""

    root: Path
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def generation(self) -> str:
        status, body = get(self.port, "/healthz")
        assert status == 200, body
        return str(json.loads(body)["generation"])

    def total(self, q: str) -> int:
        status, body = get(self.port, f"/api/search?q={q}")
        assert status == 200, body
        return int(json.loads(body)["total"])


@dataclass
class Pair:
    corpus: Path
    primary: Site
    replica: Site
    first: str  # the generation both served at the start


def publish_command(source: Path, dest: Path, *options: str) -> list[str]:
    command = [sys.executable, "-m", "indexer.cli", "publish", str(dest)]
    return [*command, "--index", str(source), *options]


def same_files(root: Path, first: str, second: str) -> set[str]:
    """Paths of the files two generations in `root` share as one file (a hard link), in
    every directory of the generation."""
    old, new = root / first, root / second
    return {
        str(path.relative_to(new))
        for path in new.rglob("*")
        if path.is_file()
        and (old / path.relative_to(new)).is_file()
        and os.stat(old / path.relative_to(new)).st_ino == path.stat().st_ino
    }


def served(root: Path) -> str:
    generation = current_generation(root)
    assert generation is not None
    return generation.name


@pytest.fixture()
def pair(tmp_path: Path) -> Iterator[Pair]:
    corpus, source, dest = tmp_path / "corpus", tmp_path / "primary", tmp_path / "replica"
    write_corpus(corpus, 12)
    build_index(corpus, source, jobs=1)
    first = served(source)
    done = subprocess.run(publish_command(source, dest, "--copy"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert served(dest) == first
    ports = free_port(), free_port()
    servers = [
        start_workers(root, port, 1, 2, tmp_path / f"{root.name}.log")
        for root, port in zip((source, dest), ports, strict=True)
    ]
    try:
        yield Pair(corpus, Site(source, ports[0]), Site(dest, ports[1]), first)
    finally:
        for server in servers:
            stop(server)


def rebuild(pair: Pair) -> str:
    """A second generation on the primary, with one more article (an update: it shares
    most of its files with the first)."""
    write_article(pair.corpus, 999, random.Random(3), extra=MARKER)
    build_index(pair.corpus, pair.primary.root, jobs=1, update=True)
    second = served(pair.primary.root)
    assert second != pair.first
    return second


@pytest.mark.parametrize("method", ["rsync", "copy"])
def test_the_replica_serves_the_published_generation_without_restart(
    pair: Pair, method: str
) -> None:
    if method == "rsync" and shutil.which("rsync") is None:
        pytest.skip("rsync is not installed")
    second = rebuild(pair)
    assert pair.primary.total(MARKER) > 0 and pair.replica.total(MARKER) == 0
    options = ["--confirm", pair.replica.url, "--confirm-timeout", "30"]
    command = publish_command(pair.primary.root, pair.replica.root, *options)
    if method == "copy":
        command.append("--copy")
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"({method})" in done.stdout and f"serves {second}" in done.stdout
    assert served(pair.replica.root) == second
    assert pair.replica.generation() == second
    assert pair.replica.total("camera") > 0
    for q in (MARKER, "camera", ""):
        assert pair.replica.total(q) == pair.primary.total(q), q
    # the files the update kept from the first generation are links there, and here too
    shared = same_files(pair.primary.root, pair.first, second)
    assert shared and same_files(pair.replica.root, pair.first, second) == shared
    linked = int(done.stdout.split(" hard-linked")[0].rsplit(" ", 1)[1])
    assert linked == len(shared)


def test_publishing_again_keeps_two_generations_and_cleans_older_ones(pair: Pair) -> None:
    second = rebuild(pair)
    command = publish_command(pair.primary.root, pair.replica.root, "--copy")
    assert subprocess.run(command, capture_output=True).returncode == 0
    write_article(pair.corpus, 1000, random.Random(4))
    build_index(pair.corpus, pair.primary.root, jobs=1)  # a full rebuild this time
    third = served(pair.primary.root)
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # as the builder does: the new generation and the one it replaced, no more
    assert sorted(p.name for p in pair.replica.root.glob("gen-*")) == [second, third]
    assert pair.replica.generation() == third
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 0 and "already had" in again.stdout


def test_a_failed_publish_leaves_the_previous_generation_serving(pair: Pair) -> None:
    second = rebuild(pair)
    (pair.replica.root / second).write_text("in the way")  # the new name is taken
    done = subprocess.run(
        publish_command(pair.primary.root, pair.replica.root, "--copy"),
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "unchanged" in done.stderr
    assert served(pair.replica.root) == pair.first
    assert pair.replica.generation() == pair.first
    assert pair.replica.total("camera") > 0
    assert not list(pair.replica.root.glob(f"{STAGING_PREFIX}*"))


@needs_rsync
def test_a_killed_publish_leaves_the_previous_generation_serving(pair: Pair) -> None:
    second = rebuild(pair)
    before = pair.replica.total("camera")
    slow = publish_command(pair.primary.root, pair.replica.root, "--bwlimit", "1")
    proc = subprocess.Popen(slow, stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    try:
        while not [p for s in pair.replica.root.glob(f"{STAGING_PREFIX}*") for p in s.iterdir()]:
            assert proc.poll() is None and time.monotonic() < deadline, "no copy under way"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the publish and its rsync
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert list(pair.replica.root.glob(f"{STAGING_PREFIX}*"))  # killed mid-copy
    assert served(pair.replica.root) == pair.first
    assert pair.replica.generation() == pair.first
    assert pair.replica.total("camera") == before and pair.replica.total(MARKER) == 0
    # the next publish clears what the killed one left and completes
    done = subprocess.run(
        publish_command(pair.primary.root, pair.replica.root, "--confirm", pair.replica.url),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert not list(pair.replica.root.glob(f"{STAGING_PREFIX}*"))
    assert pair.replica.generation() == second
    assert pair.replica.total(MARKER) == pair.primary.total(MARKER) > 0


LOCAL_SHELL = """#!/bin/sh
# A remote shell whose host is this machine: drop the host name, run the command here.
shift
exec sh -c "$*"
"""


@needs_rsync
def test_a_host_path_destination_is_published_over_rsync_and_a_remote_shell(
    pair: Pair, tmp_path: Path
) -> None:
    rsh = tmp_path / "local-shell"
    rsh.write_text(LOCAL_SHELL)
    rsh.chmod(0o755)
    second = rebuild(pair)
    options = ["--rsh", str(rsh), "--remote-command", f"{sys.executable} -m indexer.cli"]
    options += ["--confirm", pair.replica.url]
    command = publish_command(pair.primary.root, pair.replica.root, *options)
    command[4] = f"localhost:{pair.replica.root}"
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"serves {second}" in done.stdout
    assert served(pair.replica.root) == second and pair.replica.generation() == second
    assert pair.replica.total(MARKER) == pair.primary.total(MARKER) > 0
    # what the update kept from the first generation is still one file on the replica
    shared = same_files(pair.primary.root, pair.first, second)
    assert shared and same_files(pair.replica.root, pair.first, second) == shared
    assert not list(pair.replica.root.glob(f"{STAGING_PREFIX}*"))
    # a destination that cannot be reached changes nothing
    command[4] = f"localhost:{tmp_path / 'missing' / 'nowhere'}"
    command[command.index("--rsh") + 1] = "false"
    failed = subprocess.run(command, capture_output=True, text=True)
    assert failed.returncode != 0 and "unchanged" in failed.stderr
