"""Ship the current generation to another index root (a replica) and swap it in there.

The generation is copied into a staging directory of the destination, hard-linking every
file a generation already there holds unchanged (same name, size and modification time),
named a generation only when complete, and swapped in with the builder's own `swap_in`,
under the destination's build lock. A publish killed or failed at any moment leaves the
destination's previous generation serving; the next rebuild or publish there removes
what it left behind.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.indexing.generation import STAGING_PREFIX, _fsync_tree, clean_leftovers, swap_in
from indexer.indexing.lock import LockedError, build_lock
from indexer.schema import current_generation

# At most this many generations are offered to rsync as --link-dest (its own limit is 20).
LINK_DEST_LIMIT = 20
# Where a remote destination receives the generation before it publishes it to itself.
INCOMING = ".incoming"


class PublishError(Exception):
    """Nothing was published; the destination serves what it served before."""


@dataclass
class PublishReport:
    """What a publish did."""

    generation: str
    destination: Path
    method: str  # "rsync", "copy", or "present" when the destination already had it
    files: int = 0
    linked: int = 0  # files hard-linked from a generation the destination had
    copied_bytes: int = 0
    seconds: float = 0.0


def source_generation(index_root: Path) -> Path:
    """The generation `index_root/current` names; PublishError when there is none."""
    generation = current_generation(index_root)
    if generation is None or not generation.name.startswith("gen-"):
        raise PublishError(f"{index_root} has no current generation to publish")
    return generation


def publish(
    index_root: Path,
    destination: Path,
    *,
    use_rsync: bool | None = None,
    bwlimit: int = 0,
    wait: bool = False,
) -> PublishReport:
    """Copy `index_root`'s current generation into `destination` and swap it in there.

    `use_rsync` None uses rsync when installed; `bwlimit` (KiB/s, rsync only) slows the
    copy so it does not starve the replica; `wait` queues behind a rebuild or publish
    already writing `destination` instead of stopping.
    """
    return publish_directory(
        source_generation(index_root), destination, use_rsync=use_rsync, bwlimit=bwlimit, wait=wait
    )


def publish_directory(
    generation: Path,
    destination: Path,
    *,
    name: str = "",
    use_rsync: bool | None = None,
    bwlimit: int = 0,
    wait: bool = False,
    link_source: bool = False,
) -> PublishReport:
    """Publish the generation directory `generation` into `destination` as `name` (its
    own name by default). With `link_source`, files no generation in `destination` holds
    are hard-linked from `generation` rather than copied (a received copy that rsync only
    ever replaces, never rewrites)."""
    started = time.perf_counter()
    name = name or generation.name
    if not name.startswith("gen-") or "/" in name:
        raise PublishError(f"{name!r} is not a generation name")
    if not generation.is_dir():
        raise PublishError(f"{generation} is not a directory")
    rsync = shutil.which("rsync")
    if use_rsync is None:
        use_rsync = rsync is not None
    if (use_rsync or bwlimit) and rsync is None:
        raise PublishError("rsync is not installed (apt-get install rsync)")
    destination.mkdir(parents=True, exist_ok=True)
    try:
        with build_lock(destination, wait=wait):
            clean_leftovers(destination)
            report = _ship(
                generation,
                destination / name,
                bool(use_rsync and not link_source),
                bwlimit,
                link_source,
            )
            swap_in(destination, destination / name)
    except LockedError as exc:
        raise PublishError(str(exc)) from exc
    except OSError as exc:  # the swap could not be made: `current` still names the old one
        raise PublishError(f"could not publish into {destination}: {exc}") from exc
    report.seconds = time.perf_counter() - started
    return report


def _ship(
    generation: Path, target: Path, use_rsync: bool, bwlimit: int, link_source: bool
) -> PublishReport:
    """Put a complete copy of `generation` at `target`, a new generation's path."""
    destination = target.parent
    report = PublishReport(target.name, destination, "rsync" if use_rsync else "copy")
    if target.is_dir():  # only ever named once complete
        report.method = "present"
        return report
    bases = _generations(destination)
    staging = destination / f"{STAGING_PREFIX}publish-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        if use_rsync:
            _rsync(generation, staging, bases, bwlimit)
        else:
            _copy(generation, staging, bases, link_source)
        _count(staging, bases, report)
        _fsync_tree(staging)  # on disk before it is named, as the builder's own
        staging.rename(target)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise PublishError(f"could not copy {target.name}: {exc}") from exc
        raise
    return report


def _generations(root: Path) -> list[Path]:
    """The generations in `root`, the one served first, then newest first."""
    served = current_generation(root)
    found = sorted((p for p in root.glob("gen-*") if p.is_dir()), reverse=True)
    if served is not None and served in found:
        found.remove(served)
        found.insert(0, served)
    return found[:LINK_DEST_LIMIT]


def _rsync(generation: Path, staging: Path, bases: list[Path], bwlimit: int) -> None:
    links = [f"--link-dest={base.resolve()}" for base in bases]
    run_rsync([*links, f"{generation}/", f"{staging}/"], bwlimit)


def run_rsync(args: list[str], bwlimit: int) -> None:
    """`rsync -a --delete` with `args`, at most `bwlimit` KiB/s (0: no limit)."""
    command = ["rsync", "-a", "--delete", *([f"--bwlimit={bwlimit}"] if bwlimit else []), *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PublishError(f"rsync failed ({result.returncode}): {result.stderr.strip()}")


def _copy(generation: Path, staging: Path, bases: list[Path], link_source: bool) -> None:
    """Copy `generation` into `staging`, hard-linking files a base holds unchanged."""
    for source in _files(generation):
        relative = source.relative_to(generation)
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        same = _unchanged(source, [base / relative for base in bases])
        if same is None and link_source:
            same = source
        if same is not None:
            os.link(same, target)
        else:
            shutil.copy2(source, target)


def _unchanged(source: Path, candidates: list[Path]) -> Path | None:
    """The first candidate with `source`'s size and modification time, if any."""
    stat = source.stat()
    for candidate in candidates:
        try:
            other = candidate.stat()
        except OSError:
            continue
        if other.st_size == stat.st_size and other.st_mtime_ns == stat.st_mtime_ns:
            return candidate
    return None


def _count(staging: Path, bases: list[Path], report: PublishReport) -> None:
    """Count the files of a finished copy, and which of them are links to a base's."""
    inodes = {(s.st_dev, s.st_ino) for base in bases for s in map(os.stat, _files(base))}
    for path in _files(staging):
        stat = path.stat()
        report.files += 1
        if (stat.st_dev, stat.st_ino) in inodes:
            report.linked += 1
        else:
            report.copied_bytes += stat.st_size


def _files(directory: Path) -> Iterator[Path]:
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def confirm(url: str, generation: str, timeout: float = 60.0) -> bool:
    """Wait until `url`/healthz names `generation`; False if it has not within `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url.rstrip("/") + "/healthz", timeout=5) as response:
                if json.loads(response.read()).get("generation") == generation:
                    return True
        except (OSError, ValueError):
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def remote(destination: str) -> tuple[str, str] | None:
    """(host, path) for an rsync-style `host:path`; None for a local path."""
    head, colon, path = destination.partition(":")
    if not colon or "/" in head or not head:
        return None
    if path.startswith(":"):
        raise PublishError("rsync daemon destinations (host::module) are not supported")
    return head, path or "."


def publish_remote(
    index_root: Path,
    host: str,
    path: str,
    *,
    rsh: str = "ssh",
    remote_command: str = "filmsearch",
    bwlimit: int = 0,
    wait: bool = False,
) -> str:
    """Ship the current generation to `host:path` and publish it there; return its name.

    rsync copies the generation into `path/.incoming` (only the files that changed since
    the last publish cross the network), then `remote_command publish` runs on the host
    over `rsh` and publishes that copy to `path` as a local publish does.
    """
    if shutil.which("rsync") is None:
        raise PublishError("rsync is not installed (apt-get install rsync)")
    generation = source_generation(index_root)
    incoming = f"{path.rstrip('/') or '/'}/{INCOMING}"
    prepare = f"--rsync-path=mkdir -p {shlex.quote(incoming)} && rsync"
    run_rsync(["-e", rsh, prepare, f"{generation}/", f"{host}:{incoming}/"], bwlimit)
    args = ["publish", path, "--from-dir", incoming, "--name", generation.name]
    args += ["--wait"] if wait else []
    line = " ".join([remote_command, *map(shlex.quote, args)])
    result = subprocess.run([*shlex.split(rsh), host, line], text=True, capture_output=True)
    if result.returncode != 0:
        raise PublishError(f"publishing on {host} failed: {result.stderr.strip()}")
    return generation.name
