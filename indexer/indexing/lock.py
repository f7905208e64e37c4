"""One writer per index root: an OS file lock held for the whole rebuild.

Processes forked while the lock is held (parser and writer pools) neither keep it nor
outlive the holder, so a SIGKILLed rebuild frees the index root for the next one.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".lock"
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

_held: set[int] = set()  # lock descriptors this process holds, closed in its children
_forking = [0]  # the pid of the process about to fork


class LockedError(Exception):
    """Another process holds the index root's build lock."""


def die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this process when its parent exits (Linux); exit at once
    if `parent` is gone already."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _before_fork() -> None:
    _forking[0] = os.getpid()


def _after_fork_in_child() -> None:
    if not _held:
        return
    for fd in _held:  # a flock belongs to the open file: the parent's copy alone keeps it
        os.close(fd)
    _held.clear()
    die_with_parent(_forking[0])


os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)


@contextmanager
def build_lock(index_root: Path, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on `index_root` for a rebuild; the OS drops it if we die.

    Without `wait`, raise LockedError at once when another rebuild holds it.
    """
    index_root.mkdir(parents=True, exist_ok=True)
    path = index_root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise LockedError(
                f"another rebuild (process {holder}) is writing {index_root}; "
                "wait for it to finish, or pass --wait to queue behind it"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held.add(fd)
        yield
    finally:
        _held.discard(fd)
        os.close(fd)  # closing the descriptor releases the lock
