"""Pages listed by a sitemap or a sitemap index (sitemaps.org), gzipped or not."""

from __future__ import annotations

import gzip
import io
import zlib
from datetime import date

from lxml import etree  # type: ignore[import-untyped]

from indexer.ingest.fetch import PoliteClient, Refused
from indexer.ingest.links import Link, parse_day

# The protocol's limits: 50,000 URLs and 50 MB (uncompressed) per sitemap.
MAX_SITEMAP_BYTES = 50_000_000
MAX_DEPTH = 3  # an index of indexes of sitemaps is already unusual
GZIP_MAGIC = b"\x1f\x8b"
# No entities, no network: a sitemap is data from a stranger.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)


class SitemapError(Exception):
    """A sitemap that could not be read; the message says which and why."""


def read_sitemap(
    client: PoliteClient, url: str, since: date | None = None
) -> tuple[list[Link], list[tuple[str, str]]]:
    """Every page of the sitemap at `url`, following indexes; and (sitemap URL, reason) for
    each sitemap that could not be read. With `since`, child sitemaps last modified before
    that day are not fetched."""
    links: list[Link] = []
    problems: list[tuple[str, str]] = []
    queue = [(url, 0)]
    seen = {url}
    while queue:
        current, depth = queue.pop(0)
        try:
            children, pages = parse_sitemap(fetch_sitemap(client, current))
        except (Refused, SitemapError) as exc:
            problems.append((current, str(exc)))
            continue
        links += pages
        for child in children:
            if child.url in seen or (since and child.modified and child.modified < since):
                continue
            if depth + 1 > MAX_DEPTH:
                problems.append((child.url, f"sitemap indexes nested deeper than {MAX_DEPTH}"))
                continue
            seen.add(child.url)
            queue.append((child.url, depth + 1))
    return links, problems


def fetch_sitemap(client: PoliteClient, url: str) -> bytes:
    """The sitemap's XML, gunzipped when it is compressed (whatever its name says)."""
    body = client.get(url, limit=MAX_SITEMAP_BYTES).body
    if not body.startswith(GZIP_MAGIC):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as unzipped:
            data = unzipped.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise SitemapError(f"broken gzip data: {exc}") from exc
    if len(data) > MAX_SITEMAP_BYTES:
        raise SitemapError(f"larger than {MAX_SITEMAP_BYTES:,} bytes uncompressed")
    return data


def parse_sitemap(data: bytes) -> tuple[list[Link], list[Link]]:
    """(child sitemaps, pages) listed in a sitemap index or a URL set."""
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"not XML: {exc}") from exc
    if root is None:
        raise SitemapError("not XML")
    kind = etree.QName(root).localname
    if kind not in ("sitemapindex", "urlset"):
        raise SitemapError(f"not a sitemap (its root element is <{kind}>)")
    found = []
    for entry in root:
        if not isinstance(entry.tag, str):
            continue  # comments and processing instructions
        fields = {
            etree.QName(f).localname: (f.text or "").strip()
            for f in entry
            if isinstance(f.tag, str)
        }
        if fields.get("loc"):
            found.append(Link(fields["loc"], parse_day(fields.get("lastmod", ""))))
    return (found, []) if kind == "sitemapindex" else ([], found)
