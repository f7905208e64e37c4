"""Pages listed by an RSS or Atom feed (read with feedparser, fetched politely)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any
from urllib.parse import urljoin

import feedparser

from indexer.ingest.fetch import PoliteClient
from indexer.ingest.links import Link

MAX_FEED_BYTES = 20_000_000


class FeedError(Exception):
    """A feed that could not be read; the message says why."""


def read_feed(client: PoliteClient, url: str) -> list[Link]:
    """The pages a feed's entries link to, with the date each was published or updated."""
    response = client.get(url, limit=MAX_FEED_BYTES)
    # feedparser is given the bytes, never the URL: fetching stays with the polite client.
    parsed = feedparser.parse(
        response.body,
        response_headers={
            "content-location": response.url,
            "content-type": response.headers.get("content-type", "application/xml"),
        },
    )
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception") or "no RSS or Atom entries"
        raise FeedError(f"not a feed: {reason}")
    links = []
    for entry in parsed.entries:
        link = entry_link(entry)
        if link:
            links.append(Link(urljoin(response.url, link), entry_day(entry)))
    return links


def entry_link(entry: Any) -> str:
    """The entry's page: its alternate link (Atom) or its link (RSS)."""
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return str(entry.get("link") or "")


def entry_day(entry: Any) -> date | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not isinstance(stamp, time.struct_time):
        return None
    return date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
