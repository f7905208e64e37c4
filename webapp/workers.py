"""Several waitress worker processes answering on one listening socket.

The parent binds the socket, forks `workers` children and supervises them: each child
opens the index itself (its own searchers, arrays memory-mapped from the same files) and
serves with `threads` threads; the kernel hands each new connection to one of them. A
child that dies is replaced, and every death and replacement is logged to stderr with the
pid and the signal or exit code. SIGTERM or SIGINT to a child drains it: it stops
accepting, finishes the requests in flight (at most DRAIN_TIMEOUT seconds), then ends by
that signal. SIGTERM or SIGINT to the parent drains and stops them all. Linux and other
POSIX systems only (fork).
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
DRAIN_TIMEOUT = 30.0  # seconds a worker told to stop waits for its requests in flight


def log(message: str) -> None:
    """One line of the supervisor's or a worker's life on stderr (requests log as JSON)."""
    print(f"filmsearch: {message}", file=sys.stderr, flush=True)


def ending(status: int) -> str:
    """How a child ended, from its wait status: "SIGTERM (signal 15)" or "exit code 1"."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = "an unknown signal"
        return f"{name} (signal {number})"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def in_flight(channel: Any) -> bool:
    """Does a waitress connection hold a request: being received (or its first bytes
    waiting unread in the socket), being answered, or its response still going out?"""
    if channel.requests or channel.request is not None or channel.total_outbufs_len:
        return True
    try:
        return bool(channel.socket.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT))
    except (BlockingIOError, InterruptedError):
        return False  # nothing sent: an idle keep-alive connection
    except OSError:
        return False


def serve_draining(app: Any, sock: socket.socket, **options: Any) -> None:
    """Serve `app` with waitress on the shared `sock` until SIGTERM or SIGINT, then drain:
    stop accepting (the other workers take the new connections), let every request in
    flight finish and its response go out, close idle connections, and end by the same
    signal once nothing is left (or DRAIN_TIMEOUT seconds have passed)."""
    from waitress import wasyncore
    from waitress.server import create_server

    server = create_server(app, sockets=[sock], **options)
    told: list[int] = []  # the signal that asked this worker to stop

    def drain(signum: int, frame: FrameType | None) -> None:
        told.append(signum)  # acted on in the loop below, never inside the poll

    signal.signal(signal.SIGTERM, drain)
    signal.signal(signal.SIGINT, drain)
    adj = server.adj
    deadline = 0.0
    while True:
        wasyncore.loop(
            timeout=adj.asyncore_loop_timeout,
            map=server._map,
            use_poll=adj.asyncore_use_poll,
            count=1,
        )
        if not told:
            continue
        channels = list(server.active_channels.values())
        if not deadline:
            deadline = time.monotonic() + DRAIN_TIMEOUT
            busy = sum(1 for c in channels if in_flight(c))
            name = signal.Signals(told[0]).name
            log(f"worker pid {os.getpid()} got {name}: draining {busy} requests in flight")
            wasyncore.dispatcher.close(server)  # this worker's copy of the listening socket
        for channel in channels:
            if not in_flight(channel):
                channel.will_close = True  # idle: closed at the next turn of the loop
        if not server.active_channels or time.monotonic() > deadline:
            break
    left = len(server.active_channels)
    server.task_dispatcher.shutdown(timeout=1)
    wasyncore.close_all(server._map)
    log(
        f"worker pid {os.getpid()} drained"
        + (f", {left} connections cut at the {DRAIN_TIMEOUT:g} s limit" if left else "")
    )
    signal.signal(told[0], signal.SIG_DFL)
    os.kill(os.getpid(), told[0])  # the supervisor sees the signal it was sent


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

    def spawn(number: int) -> int:
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
        return pid

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
        log(f"worker {number} started, pid {spawn(number)}")
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        number = children.pop(pid, -1)
        if number < 0:
            continue
        if stopping:
            log(f"worker {number} (pid {pid}) stopped: {ending(status)}")
            continue
        log(f"worker {number} (pid {pid}) ended: {ending(status)}")
        time.sleep(RESTART_PAUSE)
        if not stopping:
            log(f"worker {number} replaced: pid {spawn(number)} (was pid {pid})")
    sock.close()
