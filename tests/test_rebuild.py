"""Rebuilds with real processes: SIGKILL at any moment, leftovers cleaned, one writer at a time."""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import webapp.serving as serving
from benchmarks.corpus_gen import write_article, write_corpus
from benchmarks.load import free_port, get, start_server
from indexer.indexing.generation import (
    PARALLEL_THRESHOLD,
    STAGING_PREFIX,
    TEMP_LINK_PREFIX,
    build_index,
    clean_leftovers,
)
from indexer.indexing.lock import LOCK_NAME
from indexer.schema import CURRENT, current_generation
from webapp.catalog import FacetCatalog
from webapp.generation import open_generation
from webapp.search import SearchService

pytestmark = pytest.mark.slow  # starts processes or servers, or reads every real page

FILMSEARCH = [sys.executable, "-m", "indexer.cli"]

# Runs `filmsearch index` in a real process that SIGKILLs itself at one exact point.
KILL_AT = """
import os, shutil, signal, sys
from pathlib import Path
from whoosh.writing import SegmentWriter

point = sys.argv[1]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "writing":
    added = SegmentWriter.add_document
    def add(self, **fields):
        if fields["ordinal"] == 3 and fields["article_id"].endswith("20"):
            die()
        return added(self, **fields)
    SegmentWriter.add_document = add
elif point == "commit":
    SegmentWriter.commit = die
elif point == "staged":
    renamed = Path.rename
    Path.rename = lambda self, t: die() if self.name.startswith(".building-") else renamed(self, t)
elif point == "linked":
    replaced = os.replace
    os.replace = lambda a, b: die() if Path(b).name == "current" else replaced(a, b)
elif point == "swapped":
    removed = shutil.rmtree
    shutil.rmtree = lambda p, **k: die() if Path(p).name.startswith("gen-") else removed(p, **k)
from indexer.cli import cli
cli(sys.argv[2:])
"""


def index_cmd(corpus: Path, root: Path, *extra: str) -> list[str]:
    return [
        *FILMSEARCH,
        "index",
        "--corpus",
        str(corpus),
        "--index",
        str(root),
        "--jobs",
        "1",
        *extra,
    ]


def state(root: Path) -> tuple[str, int, int]:
    """The served generation, its passage count and the hits for one word."""
    service = SearchService(root)
    return service.generation, service.search("").total, service.search("camera").total


def leftovers(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.startswith((STAGING_PREFIX, TEMP_LINK_PREFIX))]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus")
    write_corpus(path, 40)
    return path


@pytest.fixture(scope="module")
def full(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, int]:
    """Passages and hits for "camera" in an index of the whole corpus."""
    root = tmp_path_factory.mktemp("full")
    build_index(corpus, root, jobs=1)
    return state(root)[1:]


@pytest.fixture()
def root(corpus: Path, tmp_path: Path) -> Path:
    """An index root already serving a first generation built from half the corpus."""
    half = tmp_path / "half"
    half.mkdir()
    for path in sorted(corpus.iterdir())[:40]:  # 20 articles and their sidecars
        (half / path.name).write_bytes(path.read_bytes())
    build_index(half, tmp_path / "index", jobs=1)
    return tmp_path / "index"


POINTS = ["writing", "commit", "staged", "linked", "swapped"]
# every step of a full rebuild, and an update killed while writing and before its swap
STEPS = [(point, "full") for point in POINTS] + [("writing", "update"), ("linked", "update")]


@pytest.mark.parametrize(("point", "mode"), STEPS)
def test_sigkill_at_each_step_keeps_an_intact_index(
    corpus: Path, root: Path, full: tuple[int, int], point: str, mode: str
) -> None:
    if point == "swapped":  # a second generation, so the swap has an older one to delete
        build_index(root.parent / "half", root, jobs=1)
    before = state(root)
    extra = ["--update"] if mode == "update" else []
    proc = subprocess.run(
        [sys.executable, "-c", KILL_AT, point, *index_cmd(corpus, root, *extra)[3:]],
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    after = state(root)
    if point == "swapped":  # killed after the swap: the new generation serves, complete
        assert after[0] != before[0] and after[1:] == full
    else:
        assert after == before
    # the next rebuild cleans up whatever the killed one left and serves the whole corpus
    assert subprocess.run(index_cmd(corpus, root), capture_output=True).returncode == 0
    assert leftovers(root) == []
    generations = sorted(p.name for p in root.glob("gen-*"))
    assert len(generations) <= 2 and current_generation(root).name == generations[-1]
    assert state(root)[1:] == full


def test_sigkill_at_random_moments(corpus: Path, root: Path, full: tuple[int, int]) -> None:
    started = time.monotonic()
    subprocess.run(index_cmd(corpus, root), check=True, capture_output=True)
    duration = time.monotonic() - started
    served = [state(root)[0]]
    for fraction in (0.2, 0.6, 0.9):
        proc = subprocess.Popen(index_cmd(corpus, root), stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        generation, *counts = state(root)  # always the whole previous index, or the new one
        assert tuple(counts) == full
        # the one served before the kill, or a newer one the killed rebuild swapped in
        assert generation >= served[-1], served
        assert len(list(root.glob("gen-*"))) <= 2
        served.append(generation)
    assert subprocess.run(index_cmd(corpus, root), capture_output=True).returncode == 0
    final, *counts = state(root)
    assert final > served[-1] and tuple(counts) == full  # the next rebuild's, complete
    assert leftovers(root) == []


HOLD_LOCK = """
import sys
from pathlib import Path
from indexer.indexing.lock import build_lock
with build_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


def hold_lock(root: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout and holder.stdout.readline() == "locked\n"
    return holder


def test_second_rebuild_stops_with_a_clear_message(corpus: Path, root: Path) -> None:
    before = state(root)
    holder = hold_lock(root)
    try:
        second = subprocess.run(index_cmd(corpus, root), capture_output=True, text=True)
        assert second.returncode == 1
        assert f"another rebuild (process {holder.pid}) is writing" in second.stderr
        assert "--wait" in second.stderr and "Traceback" not in second.stderr
        assert state(root) == before and leftovers(root) == []
    finally:
        holder.communicate("")


def blocked_on_a_lock(pid: int) -> bool:
    """Whether process `pid` waits for a file lock (a "->" line of /proc/locks)."""
    lines = Path("/proc/locks").read_text().splitlines()
    return any("->" in line and line.split()[5] == str(pid) for line in lines)


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads /proc/locks")
def test_waiting_rebuild_runs_after_the_first(corpus: Path, root: Path) -> None:
    before = state(root)
    holder = hold_lock(root)
    waiting = subprocess.Popen(index_cmd(corpus, root, "--wait"), stderr=subprocess.DEVNULL)
    poll(lambda: blocked_on_a_lock(waiting.pid) or waiting.poll() is not None)
    assert waiting.poll() is None  # queued behind the lock, not writing
    assert state(root) == before
    holder.communicate("")
    assert waiting.wait(timeout=60) == 0
    assert state(root)[0] != before[0]


def test_killed_lock_holder_does_not_block_the_next_rebuild(corpus: Path, root: Path) -> None:
    holder = hold_lock(root)
    os.kill(holder.pid, signal.SIGKILL)
    holder.communicate()
    assert (root / LOCK_NAME).exists()  # the file stays; the OS dropped the lock with it
    assert subprocess.run(index_cmd(corpus, root), capture_output=True).returncode == 0


# Runs `filmsearch index` whose parser processes note their pid, then parse forever.
STUCK_WORKERS = """
import os, sys, time
from pathlib import Path
import indexer.indexing.generation as generation

pids = Path(sys.argv[1])
def stuck(args):
    (pids / str(os.getpid())).touch()
    while True:
        time.sleep(1)
generation._parse_one = stuck
from indexer.cli import cli
cli(sys.argv[2:])
"""


def alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie has finished)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def poll(condition: Callable[[], bool], seconds: float = 60) -> None:
    """Wait until `condition()` holds, failing after a generous deadline."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_sigkilled_rebuild_takes_its_parser_processes_and_lock_with_it(
    corpus: Path, root: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big"
    write_corpus(big, PARALLEL_THRESHOLD)  # enough files for a process pool
    pids = tmp_path / "pids"
    pids.mkdir()
    args = index_cmd(big, root)[3:]
    args[args.index("--jobs") + 1] = "2"
    killed = subprocess.Popen(
        [sys.executable, "-c", STUCK_WORKERS, str(pids), *args], stderr=subprocess.DEVNULL
    )
    try:
        poll(lambda: len(list(pids.iterdir())) == 2)
    finally:
        killed.kill()
        killed.wait()
    workers = [int(p.name) for p in pids.iterdir()]
    poll(lambda: not any(alive(pid) for pid in workers))
    assert subprocess.run(index_cmd(corpus, root), capture_output=True).returncode == 0


def test_a_full_disk_is_one_line_and_keeps_the_index(corpus: Path, tmp_path: Path) -> None:
    """On a 400 kB filesystem (a tmpfs in a private mount namespace) the small index fits
    and the whole corpus's does not."""
    small, root = tmp_path / "small", tmp_path / "root"
    small.mkdir()
    root.mkdir()
    shutil.copy(next(corpus.glob("*.txt")), small)
    index = " ".join(index_cmd(small, root))
    script = (
        f"mount -t tmpfs -o size=400k tmpfs {root} || exit 99; {index} >/dev/null 2>&1 || exit 98;"
        f" {' '.join(index_cmd(corpus, root))}; echo exit=$?; ls {root}/gen-* -d | wc -l"
    )
    try:
        proc = subprocess.run(
            ["unshare", "-Urm", "sh", "-c", script], capture_output=True, text=True, timeout=120
        )
    except FileNotFoundError:
        pytest.skip("needs unshare(1)")
    if proc.returncode in (1, 99):
        pytest.skip(f"cannot mount a tmpfs in a user namespace: {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["exit=1", "1"]  # failed; only the previous generation
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error")]
    assert errors and "No space left on device" in errors[0], proc.stderr
    assert "The previous index, if any, is unchanged" in errors[0]
    assert "Traceback" not in proc.stderr


def test_two_real_rebuilds_never_write_together(corpus: Path, root: Path) -> None:
    first = subprocess.Popen(index_cmd(corpus, root), stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while (root / LOCK_NAME).read_text().strip() != str(first.pid):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.01)
    second = subprocess.run(index_cmd(corpus, root), capture_output=True, text=True)
    assert first.wait(timeout=60) == 0
    assert second.returncode == 1 and f"process {first.pid}" in second.stderr
    assert leftovers(root) == [] and (root / CURRENT).is_symlink()


def test_running_server_survives_a_killed_rebuild_and_follows_the_next(
    corpus: Path, root: Path, full: tuple[int, int], tmp_path: Path
) -> None:
    port = free_port()
    server = start_server(root, port, threads=2, log=tmp_path / "server.log")
    try:
        before = json.loads(get(port, "/api/search?q=camera")[1])["total"]
        killed = subprocess.Popen(
            [sys.executable, "-c", KILL_AT, "linked", *index_cmd(corpus, root)[3:]],
            stderr=subprocess.DEVNULL,
        )
        while killed.poll() is None:  # requests all through the doomed rebuild
            status, body = get(port, "/api/search?q=camera")
            assert status == 200 and json.loads(body)["total"] == before
        assert killed.returncode == -signal.SIGKILL
        assert subprocess.run(index_cmd(corpus, root), capture_output=True).returncode == 0
        status, body = get(port, "/api/search?q=camera")  # the next request sees the rebuild
        assert status == 200 and json.loads(body)["total"] == full[1]
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("q", ["camera", "cam*"])
def test_a_search_reads_one_generation_when_a_rebuild_swaps_mid_request(
    corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch, q: str
) -> None:
    service = SearchService(root, cache_size=0)
    speaker = service.search(q).facets["speaker"][0].value
    old, before = current_generation(root), service.search(q, filters={"speaker": [speaker]})
    build_index(corpus, root, jobs=1)  # a larger generation is now current
    new = current_generation(root)
    assert old is not None and new is not None and old != new
    # the request starts on the old generation; every later look would see the new one
    looks = iter([old])
    monkeypatch.setattr(serving, "current_generation", lambda _: next(looks, new))
    during = service.search(q, filters={"speaker": [speaker]})
    assert (during.total, during.facets) == (before.total, before.facets)
    assert [h.anchor for h in during.hits] == [h.anchor for h in before.hits]


def test_a_people_directory_reads_articles_from_its_own_generation(
    corpus: Path, root: Path
) -> None:
    catalog = FacetCatalog(SearchService(root))
    directory = catalog.directory()
    old = open_generation(directory.generation.path)
    build_index(corpus, root, jobs=1)  # renumbers the passages in a new generation
    assert catalog.directory() is not directory
    with old.searcher() as searcher:
        for number, docnum in enumerate(directory.first_docs):
            expected = searcher.stored_fields(int(docnum))["meta"]["id"]
            assert directory.first_meta(number)["id"] == expected


def test_a_stale_look_at_the_current_link_never_swaps_back(
    corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = SearchService(root)
    old, held = current_generation(root), service.searcher()  # a slow request's searcher
    build_index(corpus, root, jobs=1)
    new = current_generation(root)
    assert service.current().path == new
    # a thread read the link just before the swap and asks only now
    looks = iter([old])
    monkeypatch.setattr(serving, "current_generation", lambda r: next(looks, new))
    assert service.current().path == new
    assert held.doc_count() > 0 and held.document_number(ordinal=0) is not None  # still open


def test_a_web_search_reads_one_generation_did_you_mean_and_log_included(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from webapp import create_app

    app = create_app({"INDEX_DIR": str(root), "SEARCH_CACHE_SIZE": 0, "TESTING": True})
    old = current_generation(root)
    write_article(tmp_path / "half", 99_999, random.Random(7), extra="zyzzyvamarker")
    build_index(tmp_path / "half", root, jobs=1)  # only the new generation knows the word
    new = current_generation(root)
    assert old is not None and new is not None and old != new
    looks = iter([old])  # the request's first look sees the old generation, later ones the new
    monkeypatch.setattr(serving, "current_generation", lambda _: next(looks, new))
    caplog.set_level(logging.INFO, logger="filmsearch.requests")
    data = app.test_client().get("/api/search?q=zyzzyvamarkr").get_json()
    assert data["total"] == 0 and data["did_you_mean"] is None
    assert json.loads(caplog.records[-1].getMessage())["generation"] == old.name
    data = app.test_client().get("/api/search?q=zyzzyvamarkr").get_json()
    assert data["did_you_mean"] == "zyzzyvamarker"  # the next request reads the new one


def test_a_generation_named_but_never_served_is_a_leftover(root: Path) -> None:
    served = current_generation(root)
    assert served is not None
    older = root / "gen-00000000000000000001"  # one a request may still be reading: kept
    newer = root / f"gen-{int(served.name[4:]) + 1:020d}"  # named, killed before its swap
    shutil.copytree(served, older)
    shutil.copytree(served, newer)
    assert clean_leftovers(root) == [newer.name]
    assert older.is_dir() and served.is_dir() and not newer.exists()
