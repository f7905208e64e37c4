"""Import the HTML pages captured in web archives: .warc, .warc.gz and .wacz (warcio).

Records stream one at a time; what is remembered across records is one payload digest
and location per HTML capture (to resolve revisits) and a few counters.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import brotli
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_datetime

from indexer.ingest.fetch import DEFAULT_MAX_BYTES
from indexer.ingest.page import declared_facts, decode_html, header_charset, is_html
from indexer.ingest.store import page_name, read_sidecar, save_page
from indexer.ingest.wayback import capture_address

SUFFIXES = (".warc", ".warc.gz", ".wacz")
GZIP_MAGIC = b"\x1f\x8b"
WARC_MAGIC = b"WARC/"
# A WACZ member this many times larger than its compressed size, and above ZIP_BOMB_BYTES,
# is a zip bomb, not a web archive (WARCs deflate about tenfold at best).
ZIP_BOMB_RATIO = 100
ZIP_BOMB_BYTES = 100_000_000
CHUNK = 1 << 16
MAX_MESSAGE = 200  # characters of an error a reader's exception carries
# What the summary counts, in the order it prints them.
COUNTS = {
    "saved": "saved",
    "unchanged": "unchanged (already in the corpus)",
    "superseded": "older captures (a later one of the same URL is kept)",
    "not_html": "not HTML",
    "redirect": "redirects",
    "error": "HTTP errors (4xx, 5xx)",
    "other_status": "other HTTP statuses",
    "unmatched": "not matching --match",
    "too_large": "larger than --max-bytes",
    "unreadable": "unreadable or empty payloads",
    "unresolved": "revisits of a capture not in the archives",
    "other": "other records (requests, metadata, warcinfo...)",
}


@dataclass(frozen=True)
class Location:
    """Where a record starts: an archive, the WARC inside it (for a WACZ), an offset."""

    archive: Path
    member: str
    offset: int


@dataclass
class Capture:
    """One captured page (a response, or a revisit resolved to the response it repeats)."""

    url: str
    captured: str  # ISO 8601 UTC, to the second
    content_type: str
    payload: bytes
    archive: str = ""  # the file name of the archive holding the capture


@dataclass
class Importer:
    """Writes the captures of one or more archives into the corpus, counting the rest."""

    corpus: Path
    match: re.Pattern[str] | None = None
    all_captures: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)  # archives, their ends, records unread
    digests: dict[str, Location] = field(default_factory=dict)  # payload digest -> response
    pending: list[tuple[str, str, str, str]] = field(default_factory=list)  # revisits
    written: set[str] = field(default_factory=set)  # pages saved by this import

    def run(self, archive: Path, on_progress: Callable[[int], None] | None = None) -> None:
        """Import every record of one archive; `on_progress` gets bytes read so far."""
        try:
            members = warc_members(archive)
        except (OSError, zipfile.BadZipFile, ValueError) as exc:
            self.problems.append(f"{archive}: {exc}")
            return
        done = 0
        for member, size in members:
            try:
                with open_member(archive, member) as stream:
                    self._read(stream, archive, member, done, on_progress)
            except (OSError, zipfile.BadZipFile) as exc:
                self.problems.append(f"{archive} ({member}): {exc}")
            done += size
            if on_progress:
                on_progress(done)

    def finish(self) -> None:
        """Resolve the revisits whose response came after them."""
        for url, captured, digest, archive in self.pending:
            location = self.digests.get(digest)
            if location is None:
                self.counts["unresolved"] += 1
                continue
            original = load_capture(location, self.max_bytes)
            if original is None:
                self.counts["unreadable"] += 1
            else:
                self._keep(Capture(url, captured, original.content_type, original.payload, archive))
        self.pending.clear()

    def _read(
        self,
        stream: IO[bytes],
        archive: Path,
        member: str,
        done: int,
        on_progress: Callable[[int], None] | None,
    ) -> None:
        where = f"{archive}" + (f" ({member})" if member else "")
        if not starts_like_warc(stream):
            self.problems.append(f"{where}: not a web archive (no WARC record at its start)")
            return
        records = ArchiveIterator(stream)
        read = 0
        try:
            for record in records:
                read += 1
                try:
                    digest = self._record(record, archive.name)
                except Undecodable as exc:
                    self.counts["unreadable"] += 1
                    self.problems.append(f"{where}: {exc}; skipped")
                    digest = ""
                read_to_end(record)
                # The offset is asked for after the record is read: asking reads to its end.
                offset = records.get_record_offset()
                if digest:
                    self.digests.setdefault(digest, Location(archive, member, offset))
                if on_progress:
                    on_progress(done + offset)
        except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as exc:
            self.problems.append(
                f"{where}: unreadable, stopped after {read:,} record(s): {brief(exc)}"
            )
        except Truncated as exc:
            self.problems.append(f"{where}: {exc}")

    def _record(self, record: Any, archive: str) -> str:
        """Count or keep one record; return the payload digest of an HTML page kept."""
        kind = record.rec_type
        if kind not in ("response", "revisit") or record.http_headers is None:
            self.counts["other"] += 1
            return ""
        url = target_uri(record)
        if self.match and not self.match.search(url):
            self.counts["unmatched"] += 1
            return ""
        captured = capture_time(record.rec_headers.get_header("WARC-Date") or "")
        if kind == "revisit":
            digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
            content_type = record.http_headers.get_header("Content-Type") or ""
            if content_type and not is_html(content_type):
                self.counts["not_html"] += 1
            else:
                # resolved at the end, when every response has been seen
                self.pending.append((url, captured, digest, archive))
            return ""
        status = record.http_headers.get_statuscode() or ""
        content_type = record.http_headers.get_header("Content-Type") or ""
        if not self._wanted(status, content_type):
            return ""
        payload = read_payload(record, self.max_bytes)
        if payload is None:
            self.counts["too_large"] += 1
            return ""
        self._keep(Capture(url, captured, content_type, payload, archive))
        return str(record.rec_headers.get_header("WARC-Payload-Digest") or "")

    def _wanted(self, status: str, content_type: str) -> bool:
        if status != "200":
            key = {"3": "redirect", "4": "error", "5": "error"}.get(status[:1], "other_status")
            self.counts[key] += 1
            return False
        if not is_html(content_type):
            self.counts["not_html"] += 1
            return False
        return True

    def _keep(self, capture: Capture) -> None:
        """Write a capture unless the corpus holds the same page captured no earlier.

        A record of a capture from the Wayback Machine (its target a web.archive.org/web/
        address) is kept under the original URL, with the capture's address as `wayback`.
        """
        original, wayback = capture_address(capture.url)
        if original:
            capture = replace(capture, url=original)
        stamp = re.sub(r"\D", "", capture.captured)
        stem = page_name(self.corpus, capture.url, "url", stamp if self.all_captures else "")
        old = read_sidecar(self.corpus, stem)
        when = str(old.get("captured") or old.get("fetched") or "")
        if old.get("url") == capture.url and when > capture.captured:
            self.counts["superseded"] += 1
            return
        try:
            text = decode_html(capture.payload, header_charset(capture.content_type))
        except ValueError:
            text = ""
        if not text.strip():
            self.counts["unreadable"] += 1
            return
        meta = declared_facts(text) | {"url": capture.url}
        if capture.captured:
            meta["captured"] = capture.captured
        if capture.archive:
            meta["archive"] = capture.archive
        if wayback:
            meta["wayback"] = wayback
        if not save_page(self.corpus, stem, text, meta):
            self.counts["unchanged"] += 1
        elif stem in self.written:
            self.counts["superseded"] += 1  # an earlier capture saved by this import
        else:
            self.written.add(stem)
            self.counts["saved"] += 1

    def summary(self) -> list[str]:
        """One line per non-zero count, in a fixed order."""
        return [
            f"{self.counts[key]:,} {label}" for key, label in COUNTS.items() if self.counts[key]
        ]


class Truncated(Exception):
    """A record whose content ends before its declared length: the archive was cut short."""


class Undecodable(Exception):
    """A payload whose Content-Encoding cannot be undone."""


def read_payload(record: Any, max_bytes: int) -> bytes | None:
    """The HTTP payload (de-chunked, decoded), None when larger than `max_bytes`.

    Raises Undecodable when its Content-Encoding is unknown or its bytes corrupt."""
    body = record.raw_stream
    if (record.http_headers.get_header("Transfer-Encoding") or "").lower() == "chunked":
        body = ChunkedDataReader(body)
    raw: bytes = body.read(max_bytes + 1)
    if len(raw) > max_bytes:
        return None
    read_to_end(record)
    encoding = record.http_headers.get_header("Content-Encoding") or ""
    try:
        payload = decode_content(raw, encoding, max_bytes + 1)
    except (ValueError, zlib.error, brotli.error) as exc:
        if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return raw  # stored decoded under the header it was served with, as some crawlers do
        raise Undecodable(f"the page {target_uri(record)} cannot be decoded: {brief(exc)}") from exc
    return payload if len(payload) <= max_bytes else None


def read_to_end(record: Any) -> None:
    """Read the rest of a record; raise Truncated when the archive ends inside it."""
    while record.raw_stream.read(CHUNK):
        pass
    remaining = getattr(record.raw_stream, "limit", 0)
    if remaining:
        raise Truncated(
            f"the {record.rec_type} record of {target_uri(record)} is cut short by "
            f"{remaining:,} bytes; not imported"
        )


def decode_content(data: bytes, encoding: str, limit: int) -> bytes:
    """Undo a Content-Encoding ("gzip", "deflate", "br", several in order), producing at most
    `limit` bytes; ValueError for another encoding or bytes cut short."""
    for name in reversed([e.strip().lower() for e in encoding.split(",") if e.strip()]):
        if name in ("gzip", "x-gzip"):
            data = _inflate(data, 16 + zlib.MAX_WBITS, limit)
        elif name == "deflate":
            try:
                data = _inflate(data, zlib.MAX_WBITS, limit)
            except zlib.error:  # raw deflate, without the zlib wrapper, as some servers send
                data = _inflate(data, -zlib.MAX_WBITS, limit)
        elif name == "br":
            data = _unbrotli(data, limit)
        elif name != "identity":
            raise ValueError(f"unsupported Content-Encoding {name!r}")
    return data


def _inflate(data: bytes, wbits: int, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(data, limit)
    if not inflater.eof and len(out) < limit:
        raise ValueError("compressed payload cut short")
    return out


def _unbrotli(data: bytes, limit: int) -> bytes:
    decompressor = brotli.Decompressor()
    out: bytes = decompressor.process(data, output_buffer_limit=limit)
    if not decompressor.is_finished() and len(out) < limit:
        raise ValueError("compressed payload cut short")
    return out


def starts_like_warc(stream: IO[bytes]) -> bool:
    """Whether the stream begins with a WARC record (gzipped or not); rewinds it."""
    head = stream.read(CHUNK)
    stream.seek(0)
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, len(WARC_MAGIC))
        except zlib.error:
            return False
    return head.startswith(WARC_MAGIC)


def brief(exc: BaseException) -> str:
    """An exception's message, on one line and short: a reader's may quote megabytes."""
    text = " ".join(str(exc).split())
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + "..."


def target_uri(record: Any) -> str:
    return str(record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")


def capture_time(warc_date: str) -> str:
    """A WARC-Date as "YYYY-MM-DDTHH:MM:SSZ" ("" when unreadable)."""
    try:
        return str(iso_date_to_datetime(warc_date).strftime("%Y-%m-%dT%H:%M:%SZ"))
    except (ValueError, IndexError, TypeError):  # missing, or a year alone
        return ""


def warc_members(archive: Path) -> list[tuple[str, int]]:
    """(member, size) of each WARC to read: "" for a WARC file, the zip entries of a WACZ."""
    name = archive.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        return [("", archive.stat().st_size)]
    if not name.endswith(".wacz"):
        raise ValueError(f"not a web archive (expected {', '.join(SUFFIXES)})")
    with zipfile.ZipFile(archive) as wacz:
        infos = [
            info
            for info in wacz.infolist()
            if info.filename.startswith("archive/")
            and info.filename.lower().endswith((".warc", ".warc.gz"))
        ]
    if not infos:
        raise ValueError("not a WACZ: no archive/*.warc or *.warc.gz inside")
    for info in infos:
        if info.file_size > max(ZIP_BOMB_BYTES, ZIP_BOMB_RATIO * info.compress_size):
            raise ValueError(
                f"not a WACZ: {info.filename} would unpack to {info.file_size:,} bytes "
                f"from {info.compress_size:,} (a zip bomb)"
            )
    return [(info.filename, info.file_size) for info in infos]


def archive_size(archive: Path) -> int:
    """Bytes the progress bar counts for an archive (0 when it cannot be read)."""
    try:
        return sum(size for _, size in warc_members(archive))
    except (OSError, zipfile.BadZipFile, ValueError):
        return 0


@contextmanager
def open_member(archive: Path, member: str) -> Iterator[IO[bytes]]:
    """A WARC file, or one WARC inside a WACZ, as a seekable binary stream."""
    if not member:
        with open(archive, "rb") as stream:
            yield stream
        return
    with zipfile.ZipFile(archive) as wacz, wacz.open(member) as stream:
        yield stream


def load_capture(location: Location, max_bytes: int) -> Capture | None:
    """The response record at `location` (None when it cannot be read again)."""
    try:
        with open_member(location.archive, location.member) as stream:
            stream.seek(location.offset)
            record = next(iter(ArchiveIterator(stream)))
            payload = read_payload(record, max_bytes)
            if payload is None:
                return None
            return Capture(
                target_uri(record),
                capture_time(record.rec_headers.get_header("WARC-Date") or ""),
                record.http_headers.get_header("Content-Type") or "",
                payload,
            )
    except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError, StopIteration):
        return None
    except (Truncated, Undecodable):
        return None
