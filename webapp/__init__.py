"""The filmsearch web app: faceted search over interview passages."""

from __future__ import annotations

import gc
from collections.abc import Mapping
from typing import Any

from flask import Flask

# Every setting with its default and what it does.
SETTINGS: tuple[tuple[str, Any, str], ...] = (
    ("INDEX_DIR", "index", "Index root written by `filmsearch index` (holds `current`)."),
    ("PAGE_SIZE", 10, "Results per page unless the URL asks for another size."),
    ("FACET_LIMIT", 10, "Values shown per facet before 'show more'."),
    ("SEARCH_CACHE_SIZE", 512, "Searches remembered per index generation (0 turns caching off)."),
    ("EXPORT_LIMIT", 10_000, "Most passages one CSV or JSON Lines export holds."),
    ("MAX_CONTENT_LENGTH", 64 * 1024, "Largest request body accepted, in bytes."),
    ("MAX_QUERY_STRING", 32 * 1024, "Longest query string accepted, in bytes (else 414)."),
)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: defaults, then instance/config.py, then FILMSEARCH_* env vars."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping({name: default for name, default, _ in SETTINGS})
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("FILMSEARCH")
    else:
        app.config.update(test_config)

    from . import api, assets, browse, errors, health, requestlog, search, security, views

    requestlog.init_app(app)  # first: its clock starts before, and its line follows, the rest
    assets.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    search.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(health.bp)
    # What start-up loaded lives as long as the worker: a full collection walking it all
    # again paused requests for tens of milliseconds. Collect once, then leave it be.
    gc.collect()
    gc.freeze()
    return app
