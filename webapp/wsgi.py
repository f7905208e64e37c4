"""Production entry point: `waitress-serve --threads 8 webapp.wsgi:app` (see README)."""

from __future__ import annotations

import sys

from . import create_app
from .errors import SearchError
from .requestlog import log_to_stderr

log_to_stderr()
try:
    app = create_app()
except SearchError as exc:
    # A missing or unreadable index: say what to run, not a traceback.
    print(f"filmsearch: {exc}", file=sys.stderr)
    raise SystemExit(1) from None
