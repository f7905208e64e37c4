"""URLs that sitemaps and feeds list, and the filters chosen on the command line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Link:
    """A page a sitemap or feed lists, with the date it gives (None when it gives none)."""

    url: str
    modified: date | None = None


def parse_day(value: str) -> date | None:
    """The day of a W3C datetime or ISO date ("2024-03-01T12:00:00+00:00"), else None."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def select(links: Iterable[Link], match: re.Pattern[str] | None, since: date | None) -> list[str]:
    """URLs in first-seen order, without repeats, matching `match` and dated on or after
    `since` (an undated link is kept: nothing says it is older)."""
    chosen: dict[str, None] = {}
    for link in links:
        if match and not match.search(link.url):
            continue
        if since and link.modified and link.modified < since:
            continue
        chosen.setdefault(link.url, None)
    return list(chosen)
