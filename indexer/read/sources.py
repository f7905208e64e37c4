"""Find corpus files, read their bytes, detect format and encoding, load sidecars."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from bs4.dammit import UnicodeDammit
from lxml import etree  # type: ignore[import-untyped]

from indexer.model import Source

FORMATS = {".html": "html", ".htm": "html", ".txt": "text", ".md": "text"}
SIDECAR_SUFFIX = ".meta.json"
# Files of the corpus that are not articles: notes, the alias table and the list of
# addresses `filmsearch fetch --list` reads (`examples.txt`).
IGNORED_NAMES = {"readme.md", "readme.txt", "aliases.json", "examples.txt"}
DEFAULT_MAX_BYTES = 5_000_000
MAX_SIDECAR_BYTES = 100_000
# Deeper HTML is refused: real pages nest a few dozen levels, and the extractor's cost
# grows with depth (and would recurse past Python's limit near 1,000).
MAX_HTML_DEPTH = 256
# An article id from a sidecar appears in URLs: letters, digits, '.', '_' and '-'.
SIDECAR_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
# A sidecar's publication date: a year, a month or a day of the calendar.
SIDECAR_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

# Sidecar fields and the JSON type each must have.
SIDECAR_FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "url": str,
    "title": str,
    "publication": str,
    "date": str,
    "language": str,
    "authors": list,
    "films": list,
    "directors": list,
    "interviewers": list,
    "interviewees": list,
    "aliases": dict,
    # where the file came from (written by `filmsearch fetch` and `filmsearch import`)
    "requested_url": str,
    "fetched": str,
    "captured": str,
    "archive": str,
    "etag": str,
    "last_modified": str,
}


class SourceError(Exception):
    """A corpus file that cannot be read; the message says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[SourceError], tuple[Path, str]]:
        # Parser processes send these back to the builder by pickling.
        return (SourceError, (self.path, self.reason))


def find_sources(corpus: Path) -> Iterator[Path]:
    """Yield every article file under `corpus`, sorted, skipping sidecars and READMEs."""
    for path in sorted(corpus.rglob("*")):
        if path.name.lower() in IGNORED_NAMES or path.name.startswith("."):
            continue
        if path.suffix.lower() in FORMATS and not path.is_dir():
            yield path


def article_id_for(path: Path, corpus: Path) -> str:
    """A stable slug from the file's path inside the corpus."""
    try:
        rel = path.relative_to(corpus)
    except ValueError:
        rel = Path(path.name)
    stem = str(rel.with_suffix("")).lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "article"


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name[: -len(path.suffix)] + SIDECAR_SUFFIX)


def load_sidecar(path: Path, corpus: Path | None = None) -> tuple[dict[str, Any], list[str]]:
    """Read and check the sidecar beside `path` ({} when there is none), and what was wrong
    in it and left out (an invalid date)."""
    meta_path = sidecar_path(path)
    if not meta_path.exists() and not meta_path.is_symlink():
        return {}, []
    try:
        raw = read_bytes(meta_path, corpus or path.parent, MAX_SIDECAR_BYTES)
        data = json.loads(raw.decode("utf-8-sig"))
    except SourceError as exc:
        raise SourceError(path, f"sidecar {meta_path.name}: {exc.reason}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise SourceError(path, f"malformed sidecar {meta_path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise SourceError(path, f"malformed sidecar {meta_path.name}: not a JSON object")
    for key, value in data.items():
        expected = SIDECAR_FIELDS.get(key)
        if expected is None:
            continue  # unknown keys are kept for forward compatibility
        if not isinstance(value, expected) or (
            isinstance(value, list) and not all(isinstance(v, str) for v in value)
        ):
            raise SourceError(
                path, f"malformed sidecar {meta_path.name}: {key!r} has the wrong type"
            )
    if "id" in data and not SIDECAR_ID.fullmatch(data["id"]):
        raise SourceError(
            path,
            f"malformed sidecar {meta_path.name}: 'id' must be 1-200 letters, digits, "
            "'.', '_' or '-', starting with a letter or digit",
        )
    if "date" in data and not is_calendar_date(data["date"]):
        bad = data.pop("date")
        return data, [
            f"sidecar {meta_path.name}: 'date' {bad!r} is not a date (YYYY, YYYY-MM or "
            "YYYY-MM-DD); ignored"
        ]
    return data, []


def is_calendar_date(text: str) -> bool:
    """Whether `text` is a year, a month (YYYY-MM) or a real day (YYYY-MM-DD)."""
    found = SIDECAR_DATE.fullmatch(text)
    if found is None:
        return False
    year, month, day = (int(part or 1) for part in found.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def read_bytes(path: Path, corpus: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file inside `corpus`, at most `max_bytes` of them."""
    try:
        real = os.path.realpath(path, strict=True)
    except (OSError, RuntimeError) as exc:  # missing, dangling link, or a link loop
        raise SourceError(path, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    root = _real_root(corpus)
    if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
        raise SourceError(path, f"symbolic link to {real}, outside the corpus; refused")
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer.
        with os.fdopen(os.open(real, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise SourceError(path, "not a regular file")
            if info.st_size > max_bytes:
                raise SourceError(path, _too_large(info.st_size, max_bytes))
            data = file.read(max_bytes + 1)  # the file may have grown since fstat
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise SourceError(path, _too_large(len(data), max_bytes))
    return data


@lru_cache(maxsize=16)
def _real_root(corpus: Path) -> str:
    """The corpus directory with every link resolved (once per rebuild, not per file)."""
    return os.path.realpath(corpus)


def _too_large(size: int, limit: int) -> str:
    return f"too large ({size:,} bytes; the limit is {limit:,}, see --max-bytes)"


class _Depth:
    """lxml parser target that only measures how deeply elements nest."""

    def __init__(self) -> None:
        self.depth = self.deepest = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)

    def end(self, tag: str) -> None:
        self.depth -= 1

    def close(self) -> int:
        return self.deepest


def html_depth(text: str) -> int:
    """How deeply the elements of an HTML text nest, in one streaming pass."""
    parser = etree.HTMLParser(target=_Depth(), huge_tree=True)
    parser.feed(text)
    return int(parser.close())


def decode(data: bytes, is_html: bool) -> tuple[str, str]:
    """Decode bytes honouring a BOM, a declared charset, else UTF-8 or a guess."""
    dammit = UnicodeDammit(data, is_html=is_html)
    if dammit.unicode_markup is None:
        raise ValueError("cannot detect the text encoding")
    return dammit.unicode_markup, dammit.original_encoding or "utf-8"


def read_source(path: Path, corpus: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read one corpus file; raise SourceError with a reason a curator can act on."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SourceError(path, f"unsupported file type {path.suffix!r}")
    data = read_bytes(path, corpus, max_bytes)
    if not data.strip():
        raise SourceError(path, "empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(path, "binary file, not text or HTML")
    try:
        text, encoding = decode(data, is_html=fmt == "html")
    except ValueError as exc:
        raise SourceError(path, str(exc)) from exc
    if fmt == "html" and (depth := html_depth(text)) > MAX_HTML_DEPTH:
        raise SourceError(
            path, f"HTML nested {depth:,} elements deep (the limit is {MAX_HTML_DEPTH})"
        )
    sidecar, problems = load_sidecar(path, corpus)
    return Source(
        path=path,
        article_id=sidecar.get("id") or article_id_for(path, corpus),
        format=fmt,
        text=text,
        encoding=encoding,
        sidecar=sidecar,
        problems=problems,
    )
