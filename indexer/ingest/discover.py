"""The URLs to fetch: given ones, plus those sitemaps and feeds list, filtered."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from indexer.ingest.feeds import FeedError, read_feed
from indexer.ingest.fetch import Outcome, PoliteClient, Refused
from indexer.ingest.links import Link, select
from indexer.ingest.sitemaps import read_sitemap


def discover(
    client: PoliteClient,
    urls: Iterable[str],
    sitemaps: Iterable[str] = (),
    feeds: Iterable[str] = (),
    match: re.Pattern[str] | None = None,
    since: date | None = None,
) -> tuple[list[str], list[Outcome]]:
    """Given URLs, then the pages of each sitemap and feed that pass `match` and `since`;
    and a failed Outcome for each sitemap or feed that could not be read."""
    found: list[Link] = []
    problems: list[Outcome] = []
    for url in sitemaps:
        links, unread = read_sitemap(client, url, since)
        found += links
        problems += [Outcome(u, "failed", f"sitemap: {why}") for u, why in unread]
    for url in feeds:
        try:
            found += read_feed(client, url)
        except (Refused, FeedError) as exc:
            problems.append(Outcome(url, "failed", f"feed: {exc}"))
    return list(dict.fromkeys([*listed_urls(urls), *select(found, match, since)])), problems


def listed_urls(lines: Iterable[str]) -> list[str]:
    """The URLs of a `--list` file's lines: blank lines and `#` comments left out."""
    return [u.strip() for u in lines if u.strip() and not u.lstrip().startswith("#")]
