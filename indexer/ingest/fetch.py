"""A polite HTTP client, and fetching one page into the corpus with it.

Polite as a good crawler is: robots.txt obeyed, one request at a time with a delay
between two requests to the same host, Retry-After honoured with bounded backoff, a
User-Agent naming filmsearch, timeouts and a size limit on every response.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from protego import Protego

from indexer.ingest.page import declared_facts, decode_html, header_charset, is_html
from indexer.ingest.store import page_name, read_sidecar, save_page

DEFAULT_DELAY = 2.0  # seconds between two requests to one host
DEFAULT_TIMEOUT = 30.0  # seconds for a whole response: connecting, waiting, reading
DEFAULT_MAX_BYTES = 5_000_000  # the indexer's own limit on an article file
MAX_REDIRECTS = 5
MAX_RETRIES = 3  # after a 429 or 503
MAX_RETRY_WAIT = 120.0  # seconds; a server asking for longer is given up on this run
MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay is honoured up to this
MAX_ROBOTS_BYTES = 500_000  # as Google: the rest of a longer robots.txt is ignored
REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 503})


def default_user_agent() -> str:
    """ "filmsearch/<version> (+<homepage>)", the homepage from the package's metadata."""
    try:
        info = metadata("filmsearch")
    except PackageNotFoundError:
        return "filmsearch"
    urls = [u.split(",", 1)[-1].strip() for u in info.get_all("Project-URL") or []]
    homepage = next(iter(urls), "") or str(info.json.get("home_page") or "")
    return f"filmsearch/{info['Version']}" + (f" (+{homepage})" if homepage else "")


class Refused(Exception):
    """A URL not fetched; `skipped` when a rule chose not to, else it failed."""

    def __init__(self, reason: str, skipped: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.skipped = skipped


@dataclass
class Response:
    """A complete response, after redirects."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes = b""


@dataclass
class PoliteClient:
    """Sequential GETs with robots.txt rules, per-host spacing, retries and limits."""

    user_agent: str = field(default_factory=default_user_agent)
    delay: float = DEFAULT_DELAY
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    robots: dict[str, Protego | None] = field(default_factory=dict)  # origin -> rules
    robots_unread: dict[str, str] = field(default_factory=dict)  # origin -> why
    last_request: dict[str, float] = field(default_factory=dict)  # origin -> monotonic time
    requests: int = 0

    def __post_init__(self) -> None:
        self.http = httpx.Client(
            headers={"User-Agent": self.user_agent},
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,  # followed by hand: each hop is checked against robots.txt
            # a connection per request, so a Deadline knows the socket each one reads from
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def close(self) -> None:
        self.http.close()

    def get(
        self,
        url: str,
        headers: dict[str, str] | None = None,
        accept: Callable[[httpx.Headers], str] | None = None,
        limit: int | None = None,
    ) -> Response:
        """GET `url`, following redirects; raise Refused with the reason it was not got.

        `accept` looks at a 2xx response's headers and returns why its body is not wanted
        ("" to read it). `limit` replaces the client's size limit for this response.
        """
        try:
            return self._follow(url, headers or {}, accept, limit)
        except (ValueError, httpx.InvalidURL) as exc:
            raise Refused(f"invalid URL: {exc}") from exc

    def _follow(
        self,
        url: str,
        headers: dict[str, str],
        accept: Callable[[httpx.Headers], str] | None,
        limit: int | None,
    ) -> Response:
        for _ in range(MAX_REDIRECTS + 1):
            if urlsplit(url).scheme not in ("http", "https"):
                raise Refused(f"not an http(s) URL: {url}", skipped=True)
            if not self.allowed(url):
                unread = self.robots_unread.get(origin_of(url))
                raise Refused(
                    f"robots.txt unreadable ({unread}), so nothing on its site is fetched"
                    if unread
                    else "disallowed by robots.txt",
                    skipped=not unread,  # a site that cannot be reached has failed
                )
            response = self._send(url, headers, accept, limit)
            location = response.headers.get("location")
            if response.status not in REDIRECTS or not location:
                return response
            url = str(httpx.URL(url).join(location).copy_with(fragment=None))
        raise Refused(f"more than {MAX_REDIRECTS} redirects")

    def allowed(self, url: str) -> bool:
        """What the site's robots.txt says of `url` for this user agent."""
        origin = origin_of(url)
        if origin not in self.robots:
            self.robots[origin] = self._load_robots(origin)
        rules = self.robots[origin]
        return rules is None or rules.can_fetch(url, self.user_agent)

    def _load_robots(self, origin: str) -> Protego | None:
        """The rules of `origin`, None when there are none (RFC 9309: a 4xx means none;
        a server error or no answer means everything is disallowed until it answers)."""
        url = f"{origin}/robots.txt"
        try:
            for _ in range(MAX_REDIRECTS + 1):
                response = self._send(url, {}, None, limit=MAX_ROBOTS_BYTES, truncate=True)
                location = response.headers.get("location")
                if response.status not in REDIRECTS or not location:
                    break
                url = str(httpx.URL(url).join(location))
        except Refused as exc:
            if exc.reason.startswith("HTTP 4"):
                return None
            self.robots_unread[origin] = exc.reason
            return Protego.parse("User-agent: *\nDisallow: /\n")
        if response.status >= 300:
            return None
        return Protego.parse(response.body.decode("utf-8", "replace"))

    def _send(
        self,
        url: str,
        headers: dict[str, str],
        accept: Callable[[httpx.Headers], str] | None,
        limit: int | None = None,
        truncate: bool = False,
    ) -> Response:
        """One request (and its retries after 429/503), spaced from the last to its host."""
        for attempt in range(MAX_RETRIES + 1):
            self._wait_turn(url)
            try:
                response = self._request(url, headers, accept, limit or self.max_bytes, truncate)
            except httpx.TimeoutException as exc:
                raise Refused(f"timed out after {self.timeout:g} s") from exc
            except httpx.ConnectError as exc:
                raise Refused(f"cannot connect: {exc}") from exc
            except httpx.HTTPError as exc:
                raise Refused(f"network error: {exc}") from exc
            if response.status not in RETRY_STATUSES:
                if response.status >= 400:
                    raise Refused(f"HTTP {response.status} {reason_phrase(response.status)}")
                return response
            wait = retry_after(response.headers.get("retry-after", ""))
            # Without Retry-After: 1, 2, 4 s (or --delay doubling, when longer).
            wait = max(self.delay, 1.0) * 2**attempt if wait is None else wait
            if attempt == MAX_RETRIES or wait > MAX_RETRY_WAIT:
                asked = f"; asked to wait {wait:g} s" if wait > MAX_RETRY_WAIT else ""
                raise Refused(
                    f"HTTP {response.status} {reason_phrase(response.status)} "
                    f"after {attempt + 1} attempt(s){asked}"
                )
            # The next request to this host waits at least `wait` from this one.
            self.last_request[origin_of(url)] = time.monotonic() + max(0.0, wait - self.delay)
        raise AssertionError("unreachable")

    def _request(
        self,
        url: str,
        headers: dict[str, str],
        accept: Callable[[httpx.Headers], str] | None,
        limit: int,
        truncate: bool,
    ) -> Response:
        self.requests += 1
        with Deadline(self.timeout) as deadline:
            try:
                return self._read(url, headers, accept, limit, truncate, deadline)
            except httpx.HTTPError as exc:
                if deadline.passed():  # the deadline cut the connection
                    raise httpx.TimeoutException(str(exc)) from exc
                raise

    def _read(
        self,
        url: str,
        headers: dict[str, str],
        accept: Callable[[httpx.Headers], str] | None,
        limit: int,
        truncate: bool,
        deadline: Deadline,
    ) -> Response:
        trace = {"trace": deadline.trace}
        with self.http.stream("GET", url, headers=headers, extensions=trace) as raw:
            response = Response(str(raw.url), raw.status_code, raw.headers)
            if not 200 <= raw.status_code < 300:
                return response
            why = accept(raw.headers) if accept else ""
            if why:
                raise Refused(why, skipped=True)
            declared = raw.headers.get("content-length", "")
            if not truncate and declared.isdigit() and int(declared) > limit:
                raise Refused(too_large(int(declared), limit), skipped=True)
            body = bytearray()
            for chunk in raw.iter_bytes():  # as the network gives them: a trickle is timed
                body += chunk
                if len(body) > limit:
                    if truncate:
                        break
                    raise Refused(too_large(len(body), limit), skipped=True)
                if deadline.passed():
                    raise httpx.TimeoutException("deadline passed")
            response.body = bytes(body[:limit])
            return response

    def _wait_turn(self, url: str) -> None:
        origin = origin_of(url)
        rules = self.robots.get(origin)
        asked = rules.crawl_delay(self.user_agent) if rules else None
        delay = max(self.delay, min(float(asked or 0), MAX_CRAWL_DELAY))
        last = self.last_request.get(origin)
        if last is not None and (pause := last + delay - time.monotonic()) > 0:
            time.sleep(pause)
        self.last_request[origin] = time.monotonic()


class Deadline:
    """A deadline for a whole request: when it passes, the request's connection is shut,
    so no read waits past it, however slowly headers or body trickle in."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self.cut)
        self.timer.daemon = True

    def __enter__(self) -> Deadline:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: note the socket of each new connection."""
        if event == "connection.connect_tcp.complete":
            sock = info["return_value"].get_extra_info("socket")
            with self.lock:
                self.sockets.append(sock)
            if self.passed():
                self.cut()

    def cut(self) -> None:
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)  # wakes a read blocked on it
                except OSError:
                    pass  # closed already


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def retry_after(value: str) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date), None if unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def reason_phrase(status: int) -> str:
    return httpx.codes.get_reason_phrase(status)


def too_large(size: int, limit: int) -> str:
    return f"larger than {limit:,} bytes ({size:,}+; see --max-bytes)"


def html_only(headers: httpx.Headers) -> str:
    """Why a response is not a page to keep ("" for HTML)."""
    content_type = headers.get("content-type", "")
    return "" if is_html(content_type) else f"not HTML ({content_type or 'no content type'})"


@dataclass
class Outcome:
    """What became of one URL: saved, unchanged, skipped or failed, and why."""

    url: str
    status: str
    reason: str = ""
    path: Path | None = None


def fetch_page(client: PoliteClient, url: str, corpus: Path) -> Outcome:
    """Fetch one page into `corpus` (conditionally, when it is there already)."""
    url = url.split("#", 1)[0]
    try:
        stem = page_name(corpus, url, "url")
    except ValueError as exc:
        return Outcome(url, "failed", f"invalid URL: {exc}")
    old = read_sidecar(corpus, stem)
    conditional = {}
    if (corpus / f"{stem}.html").exists():  # saved before, reached directly
        if old.get("etag"):
            conditional["If-None-Match"] = old["etag"]
        if old.get("last_modified"):
            conditional["If-Modified-Since"] = old["last_modified"]
    try:
        response = client.get(url, conditional, accept=html_only)
    except Refused as exc:
        return Outcome(url, "skipped" if exc.skipped else "failed", exc.reason)
    if response.url != url:  # one page, however it was reached: named by where it is
        stem = page_name(corpus, response.url, "url")
    path = corpus / f"{stem}.html"
    if response.status == 304:
        return Outcome(url, "unchanged", "not modified", path)
    if response.status != 200:
        return Outcome(url, "skipped", f"HTTP {response.status} {reason_phrase(response.status)}")
    if not response.body.strip():
        return Outcome(url, "skipped", "empty page")
    try:
        text = decode_html(response.body, header_charset(response.headers.get("content-type", "")))
    except ValueError as exc:
        return Outcome(url, "failed", str(exc))
    meta = declared_facts(text) | {"url": response.url, "requested_url": url}
    meta["fetched"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for header, key in (("etag", "etag"), ("last-modified", "last_modified")):
        if response.headers.get(header):
            meta[key] = response.headers[header]
    if not save_page(corpus, stem, text, meta):
        return Outcome(url, "unchanged", "same content", path)
    return Outcome(url, "saved", "", path)
