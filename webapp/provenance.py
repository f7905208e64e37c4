"""Where an article's text came from: its original URL, when it was captured or fetched,
for an imported page the web archive file it came from, and a capture's Wayback Machine
address only where the capture is known to come from the Wayback Machine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from indexer.ingest.wayback import capture_address, search_address

# a capture or fetch time, "2024-03-01T12:00:00Z" or at least its day
CAPTURE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?")


@dataclass(frozen=True)
class Provenance:
    """The original URL, how and when the text was taken, and where it was kept."""

    url: str
    how: str  # "captured" (from a web archive) or "fetched" (from the web)
    day: str  # YYYY-MM-DD
    archived: str  # the capture's Wayback Machine address, "" unless it came from there
    archive: str = ""  # the web archive file an imported page came from, "" if unknown
    search: str = ""  # where to look for captures in the Wayback Machine ("" when fetched)


def provenance(article: dict[str, Any]) -> Provenance | None:
    """The provenance of an article, None unless it has an http(s) URL and a date taken."""
    url = str(article.get("url") or "")
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    captured, fetched = str(article.get("captured") or ""), str(article.get("fetched") or "")
    if CAPTURE_TIME.match(captured):
        _, wayback = capture_address(str(article.get("wayback") or ""))
        return Provenance(
            url,
            "captured",
            captured[:10],
            wayback,
            archive=str(article.get("archive") or ""),
            search=search_address(url),
        )
    if CAPTURE_TIME.match(fetched):
        return Provenance(url, "fetched", fetched[:10], "")
    return None


def provenance_note(article: dict[str, Any]) -> str:
    """The provenance in a citation: "Captured 2024-03-01 (web archive a.warc.gz)." (with
    ", archived at <URL>" for a capture from the Wayback Machine), "Retrieved ..." or ""."""
    origin = provenance(article)
    if origin is None:
        return ""
    if origin.how == "fetched":
        return f" Retrieved {origin.day}."
    taken = f" Captured {origin.day}"
    if origin.archive:
        taken += f" (web archive {origin.archive})"
    if origin.archived:
        taken += f", archived at {origin.archived}"
    return taken + "."
