"""A whole result set as CSV or JSON Lines, streamed, capped, safe to open in a spreadsheet.

Each row is one passage with its article's metadata, in the order the search pages them.
A CSV cell that a spreadsheet would read as a formula (starting with =, +, -, @, tab or
carriage return) is prefixed with an apostrophe; an original URL that is not http(s) is
left out.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Response, current_app, request, stream_with_context, url_for

from indexer.schema import FACETS, speaks_as

from .cite import chicago, source, web_url
from .errors import SearchError
from .search import get_service

COLUMNS = (
    "pid",
    "article_id",
    "anchor",
    "kind",
    "speaks",
    "title",
    "publication",
    "date",
    "films",
    "directors",
    "speakers",
    "interviewers",
    "askers",
    "answerers",
    "question",
    "answer",
    "url",
    "permalink",
    "citation",
    "score",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def row(fields: dict[str, Any], score: float | None) -> dict[str, Any]:
    """One passage as an export row (lists stay lists; CSV joins them)."""
    meta = fields["meta"]
    turns = fields.get("turns") or []

    def said_by(role: str) -> list[str]:
        return list(dict.fromkeys(t["speaker"] for t in turns if t["role"] == role))

    permalink = url_for(
        "views.article", article_id=fields["article_id"], _anchor=fields["anchor"], _external=True
    )
    passage = {"anchor": fields["anchor"], "turns": turns}
    return {
        "pid": fields["pid"],
        "article_id": fields["article_id"],
        "anchor": fields["anchor"],
        "kind": fields["kind"],
        "speaks": speaks_as(fields["kind"], (t.get("role", "") for t in turns)),
        "title": meta.get("title", ""),
        "publication": meta.get("publication", ""),
        "date": meta.get("date", ""),
        "films": list(meta.get("films") or []),
        "directors": list(meta.get("directors") or []),
        "speakers": list(fields.get(FACETS["speaker"]) or []),
        "interviewers": list(meta.get("interviewers") or []),
        "askers": said_by("interviewer"),
        "answerers": said_by("interviewee"),
        "question": fields.get("question", ""),
        "answer": fields.get("answer", ""),
        "url": web_url(meta.get("url", "")),
        "permalink": permalink,
        "citation": chicago(source(meta, passage, permalink)),
        "score": score,
    }


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    text = LIST_SEPARATOR.join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([safe_cell(r[c]) for c in COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for r in rows:
        yield json.dumps(r, ensure_ascii=False) + "\n"


def export(fmt: str) -> Response:
    """The search the query string describes, every passage up to the cap, as `fmt`."""
    args = request.args
    cap = int(current_app.config["EXPORT_LIMIT"])
    try:
        limit = int(args.get("limit", cap))
    except ValueError:
        raise SearchError(f"limit must be a whole number from 1 to {cap}.") from None
    if not 1 <= limit <= cap:
        raise SearchError(f"limit must be a whole number from 1 to {cap}.")
    total, found = get_service().passages(
        q=args.get("q", ""),
        filters={name: args.getlist(name) for name in FACETS},
        sort=args.get("sort", "relevance"),
        limit=limit,
    )
    rows = (row(fields, score) for fields, score in found)
    lines = csv_lines(rows) if fmt == "csv" else jsonl_lines(rows)
    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    response = Response(stream_with_context(lines), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="filmsearch.{fmt}"'
    response.headers["X-Total-Count"] = str(total)
    response.headers["X-Exported-Count"] = str(min(total, limit))
    return response
