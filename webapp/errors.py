"""One error type and one handler: an error page for people, JSON for `/api/`."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

LOGGER = logging.getLogger(__name__)


UNAVAILABLE = "Search is not available right now; please try again later."


class SearchError(Exception):
    """A problem to report to the user in a plain sentence, with an HTTP status.

    `detail`, when given, is for the operator only (the log, the command line): it may
    name the server's paths, which clients never see. `str()` gives it, else the message.
    """

    def __init__(self, message: str, status: int = 400, detail: str = "") -> None:
        super().__init__(detail or message)
        self.message = message
        self.status = status
        self.detail = detail


def public_message(exc: SearchError) -> str:
    """What a client is told; the operator's detail goes to the log."""
    if exc.detail:
        LOGGER.error("%s", exc.detail)
    return exc.message


def render_error(message: str, status: int) -> tuple[Response | str, int]:
    if request.path.startswith("/api/"):
        return jsonify({"ok": False, "error": message, "status": status}), status
    return render_template("error.html", message=message, status=status), status


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(SearchError)
    def handle_search_error(exc: SearchError) -> tuple[Response | str, int]:
        return render_error(public_message(exc), exc.status)

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException) -> tuple[Response | str, int]:
        return render_error(exc.description or exc.name, exc.code or 500)

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> tuple[Response | str, int]:
        LOGGER.exception("unexpected error on %s", request.path)
        return render_error("Something went wrong on our side; please try again.", 500)
