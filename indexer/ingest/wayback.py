"""Addresses in the Wayback Machine (web.archive.org): a capture's, and where to look."""

from __future__ import annotations

import re

CAPTURE = "https://web.archive.org/web/{stamp}/{url}"
# The Wayback Machine's list of its captures of a URL: where to look for one.
SEARCH = "https://web.archive.org/web/*/{url}"
# A capture's address: web.archive.org/web/<timestamp>[flag_]/<original URL>
CAPTURE_ADDRESS = re.compile(
    r"^https?://(?:www\.)?web\.archive\.org/web/(\d{1,14})(?:[a-z]{2}_)?/(https?://\S+)$",
    re.IGNORECASE,
)


def capture_address(address: str) -> tuple[str, str]:
    """(original URL, capture address) of a Wayback Machine capture URL, ("", "") else.

    >>> capture_address("http://web.archive.org/web/20240305083000id_/https://a.org/x")
    ('https://a.org/x', 'https://web.archive.org/web/20240305083000/https://a.org/x')
    """
    match = CAPTURE_ADDRESS.match(address.strip())
    if not match:
        return "", ""
    stamp, original = match.groups()
    return original, CAPTURE.format(stamp=stamp, url=original)


def search_address(url: str) -> str:
    """Where the Wayback Machine lists its captures of `url`, if it holds any."""
    return SEARCH.format(url=url)
