"""Write a page and its sidecar into the corpus, atomically, under a name made from its URL."""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from indexer.read.sources import MAX_SIDECAR_BYTES, SIDECAR_SUFFIX

# Sidecar fields that say where a page came from; everything else in a sidecar (films,
# aliases, a corrected title...) is a curator's and survives a refetch or re-import.
PROVENANCE = (
    "url",
    "requested_url",
    "fetched",
    "captured",
    "archive",
    "wayback",
    "etag",
    "last_modified",
)
MAX_SLUG = 120
# Pages are stored as UTF-8 with a byte order mark: the reader honours the mark before any
# charset the page declares, so a page served as windows-1252 is not read as UTF-8 later.
BOM = "\ufeff"
PAGE_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp)$", re.I)


def slug_for(url: str) -> str:
    """ "https://www.example.org/interviews/jane-doe/" -> "example-org-interviews-jane-doe"."""
    parts = urlsplit(url)
    host = (parts.hostname or "page").removeprefix("www.")
    path = PAGE_EXTENSION.sub("", unquote(parts.path))
    text = unicodedata.normalize("NFKD", f"{host}/{path}").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "page"
    if parts.query or len(slug) > MAX_SLUG:
        slug = f"{slug[:MAX_SLUG].rstrip('-')}-{url_hash(url)}"
    return slug


def url_hash(url: str) -> str:
    return hashlib.blake2b(url.encode(), digest_size=4).hexdigest()


def page_name(corpus: Path, url: str, key: str, suffix: str = "") -> str:
    """The file stem for `url`, kept apart from any other page (or hand-saved file) whose
    sidecar's `key` field names another URL."""
    stem = slug_for(url) + (f"-{suffix}" if suffix else "")
    page = corpus / f"{stem}.html"
    if page.exists() and read_sidecar(corpus, stem).get(key) != url:
        stem = f"{stem}-{url_hash(url)}"
    return stem


def read_sidecar(corpus: Path, stem: str) -> dict[str, Any]:
    """The sidecar of a stored page, or {} when it has none or it cannot be read."""
    try:
        with open(corpus / f"{stem}{SIDECAR_SUFFIX}", "rb") as file:
            data = json.loads(file.read(MAX_SIDECAR_BYTES).decode("utf-8-sig"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_page(corpus: Path, stem: str, text: str, meta: dict[str, str]) -> bool:
    """Write `<stem>.html` then `<stem>.meta.json`, each atomically.

    `meta` holds the provenance and what the page declares; fields already in the sidecar
    other than provenance are kept. Returns False, writing nothing, when the page and its
    sidecar (ignoring `fetched`) would be unchanged.
    """
    corpus.mkdir(parents=True, exist_ok=True)
    old = read_sidecar(corpus, stem)
    kept = {k: v for k, v in old.items() if k not in PROVENANCE}
    sidecar = {**meta, **kept, **{k: meta[k] for k in PROVENANCE if k in meta}}
    data = (BOM + text).encode("utf-8")
    page = corpus / f"{stem}.html"
    if _same(page, data) and _without_fetched(old) == _without_fetched(sidecar):
        return False
    write_atomic(page, data)
    body = json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n"
    write_atomic(corpus / f"{stem}{SIDECAR_SUFFIX}", body.encode("utf-8"))
    return True


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a reader sees the old file or the new, never half.

    The file gets the mode the process's umask gives a new file. The temporary file's name
    starts with a dot, which the indexer ignores.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _without_fetched(sidecar: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sidecar.items() if k != "fetched"}
