"""`/healthz`: which index generation this worker serves, how old it is, how many passages."""

from __future__ import annotations

import os
import time

import numpy as np
from flask import Blueprint, Response, jsonify

from .errors import SearchError, public_message
from .search import request_generation

bp = Blueprint("health", __name__)
STARTED = time.time()  # when this worker process loaded the app


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """200 with the served generation, its age and passage count; 503 without an index."""
    try:
        state = request_generation()
    except SearchError as exc:
        error = public_message(exc)
        return jsonify({"ok": False, "error": error, "status": exc.status}), exc.status
    return jsonify(
        {
            "ok": True,
            "generation": state.path.name,
            "age_seconds": round(time.time() - state.path.stat().st_mtime, 1),
            "passages": int(np.count_nonzero(state.columns().live)),
            "pid": os.getpid(),
            "uptime_seconds": round(time.time() - STARTED, 1),
        }
    ), 200
