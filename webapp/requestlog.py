"""One structured log line per request: method, path, status, milliseconds, generation, pid."""

from __future__ import annotations

import json
import logging
import os
import sys
import time

from flask import Flask, Response, current_app, g, request

LOGGER = logging.getLogger("filmsearch.requests")


def start_clock() -> None:
    g.started = time.perf_counter()


def log_request(response: Response) -> Response:
    """Log the request as one JSON object, naming the generation it read (or would read)."""
    started = g.get("started")
    state = g.get("generation")
    if state is not None:
        generation = state.path.name
    else:  # a request that read no index: the generation served now, if one is open
        service = current_app.extensions.get("filmsearch")
        generation = service.generation if service is not None else ""
    if LOGGER.isEnabledFor(logging.INFO):
        line = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
            "generation": generation,
            "pid": os.getpid(),
        }
        LOGGER.info(json.dumps(line, ensure_ascii=False))
    return response


def init_app(app: Flask) -> None:
    """Time every request and log it when its response is ready."""
    app.before_request(start_clock)
    app.after_request(log_request)


def log_to_stderr() -> None:
    """Write request lines to stderr, bare (for `filmsearch serve` and the WSGI entry)."""
    if not LOGGER.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        LOGGER.addHandler(handler)
        LOGGER.setLevel(logging.INFO)
        LOGGER.propagate = False  # waitress gives the root logger a handler of its own
