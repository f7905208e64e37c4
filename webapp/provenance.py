"""Where an article's text came from: its original URL, when it was captured or fetched,
and for an archived page the capture in the Wayback Machine's URL form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

WAYBACK = "https://web.archive.org/web/{stamp}/{url}"
# "2024-03-01T12:00:00Z" -> "20240301120000", the timestamp in Wayback URLs.
CAPTURE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?")


@dataclass(frozen=True)
class Provenance:
    """The original URL, how and when the text was taken, and the archived copy."""

    url: str
    how: str  # "captured" (from a web archive) or "fetched" (from the web)
    day: str  # YYYY-MM-DD
    archived: str  # the capture in the Wayback Machine's URL form, "" when not archived


def wayback_url(url: str, captured: str) -> str:
    """https://web.archive.org/web/<timestamp>/<url> for a capture, "" when undatable."""
    match = CAPTURE_TIME.match(captured)
    if not match:
        return ""
    return WAYBACK.format(stamp="".join(g or "" for g in match.groups()), url=url)


def provenance(article: dict[str, Any]) -> Provenance | None:
    """The provenance of an article, None unless it has an http(s) URL and a date taken."""
    url = str(article.get("url") or "")
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    captured, fetched = str(article.get("captured") or ""), str(article.get("fetched") or "")
    if CAPTURE_TIME.match(captured):
        return Provenance(url, "captured", captured[:10], wayback_url(url, captured))
    if CAPTURE_TIME.match(fetched):
        return Provenance(url, "fetched", fetched[:10], "")
    return None


def provenance_note(article: dict[str, Any]) -> str:
    """The provenance in a citation: "Captured 2024-03-01, archived at <URL>." or ""."""
    origin = provenance(article)
    if origin is None:
        return ""
    if origin.archived:
        return f" Captured {origin.day}, archived at {origin.archived}."
    return f" Retrieved {origin.day}."
