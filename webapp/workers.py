"""Several waitress worker processes answering on one listening socket.

The parent binds the socket, forks `workers` children and supervises them: each child
opens the index itself (its own searchers, arrays memory-mapped from the same files) and
serves with `threads` threads; the kernel hands each new connection to one of them. A
child that dies is replaced; SIGTERM or SIGINT stops them all. Linux and other POSIX
systems only (fork).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

RESTART_PAUSE = 1.0  # seconds between replacing a worker that died and the next


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (host, port) and listening, shared by every worker."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def serve_workers(run: Callable[[socket.socket], Any], host: str, port: int, workers: int) -> None:
    """Fork `workers` processes that each call `run(sock)`; return when told to stop."""
    sock = listening_socket(host, port)
    children: dict[int, int] = {}  # pid -> worker number
    stopping = False

    def spawn(number: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker: default signal handling, then serve until killed
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 0
            try:
                run(sock)
            except BaseException:  # noqa: BLE001 - reported, then the parent replaces it
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                sys.stderr.flush()
                os._exit(code)
        children[pid] = number

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for number in range(workers):
        spawn(number)
    while children:
        try:
            pid, _ = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        number = children.pop(pid, -1)
        if number >= 0 and not stopping:
            time.sleep(RESTART_PAUSE)
            if not stopping:
                spawn(number)
    sock.close()
