"""Find corpus files, read their bytes, detect format and encoding, load sidecars."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bs4.dammit import UnicodeDammit

from .model import Source

FORMATS = {".html": "html", ".htm": "html", ".txt": "text", ".md": "text"}
SIDECAR_SUFFIX = ".meta.json"
IGNORED_NAMES = {"readme.md", "readme.txt", "aliases.json"}
DEFAULT_MAX_BYTES = 5_000_000

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
}


class SourceError(Exception):
    """A corpus file that cannot be read; the message says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


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


def load_sidecar(path: Path) -> dict[str, Any]:
    """Read and check the sidecar beside `path`; {} when there is none."""
    meta_path = sidecar_path(path)
    if not meta_path.exists():
        return {}
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
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
    return data


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
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(path, f"too large ({size:,} bytes; the limit is {max_bytes:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise SourceError(path, "empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(path, "binary file, not text or HTML")
    try:
        text, encoding = decode(data, is_html=fmt == "html")
    except ValueError as exc:
        raise SourceError(path, str(exc)) from exc
    sidecar = load_sidecar(path)
    return Source(
        path=path,
        article_id=sidecar.get("id") or article_id_for(path, corpus),
        format=fmt,
        text=text,
        encoding=encoding,
        sidecar=sidecar,
    )
