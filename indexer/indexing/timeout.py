"""A wall-clock limit on one parse, so a pathological file cannot stall a rebuild."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

# How soon the alarm fires again when the parse is still running after it.
REPEAT_SECONDS = 0.05


class ParseTimeout(BaseException):
    """Raised inside a parse that ran too long."""

    # A BaseException, so that no `except Exception` inside the parser swallows it.


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ParseTimeout in this block after `seconds`; only in a main thread (SIGALRM)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise ParseTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    # The alarm repeats: one that lands in a destructor is swallowed there, the next is not.
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
