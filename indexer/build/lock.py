"""One writer per index root: an OS file lock held for the whole rebuild."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".lock"


class LockedError(Exception):
    """Another process holds the index root's build lock."""


@contextmanager
def build_lock(index_root: Path, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on `index_root` for a rebuild; the OS drops it if we die.

    Without `wait`, raise LockedError at once when another rebuild holds it.
    """
    index_root.mkdir(parents=True, exist_ok=True)
    path = index_root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
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
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
