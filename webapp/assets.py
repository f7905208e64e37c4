"""Static files under content-hashed names, cached for a year, and compressed responses.

`url_for("static", filename="app.js")` gives `/static/app.<hash>.js`. A changed file gets
a new name, so that address never changes what it serves and is sent with
`Cache-Control: public, max-age=31536000, immutable`; the plain name still works and is
revalidated on every use. The names are read once, when the app is made: static files
ship with the package. Responses are compressed (zstd, br, gzip or deflate, as the
client accepts) by flask-compress.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, abort, send_from_directory
from flask_compress import Compress

HASH_CHARS = 12  # hex digits of the SHA-256 of a file's bytes in its name
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# every kind of text this app sends; exports stream, and are compressed as they stream
COMPRESSED = [
    "text/html",
    "text/css",
    "text/javascript",
    "image/svg+xml",
    "application/json",
    "application/atom+xml",
    "application/opensearchdescription+xml",
    "text/csv",
    "application/x-ndjson",
    "application/x-bibtex",
    "application/x-research-info-systems",
    "application/vnd.citationstyles.csl+json",
]


def hashed_name(name: str, data: bytes) -> str:
    """`app.js` -> `app.<hash>.js`: the name with a digest of the bytes before its suffix."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_CHARS]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot and stem else f"{name}.{digest}"


class Fingerprints:
    """Each static file's hashed name, and the file each hashed name stands for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hashed: dict[str, str] = {}
        self.plain: dict[str, str] = {}
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            hashed = hashed_name(name, path.read_bytes())
            self.hashed[name], self.plain[hashed] = hashed, name

    def add_hash(self, endpoint: str, values: dict[str, str]) -> None:
        """`url_defaults` hook: static URLs name the hashed file."""
        if endpoint == "static" and "filename" in values:
            values["filename"] = self.hashed.get(values["filename"], values["filename"])

    def serve(self, filename: str) -> Response:
        """A static file by its hashed name (immutable) or its plain name (revalidated)."""
        plain = self.plain.get(filename)
        if plain is None and filename not in self.hashed:
            abort(404)
        response = send_from_directory(self.folder, plain or filename)
        response.headers["Cache-Control"] = IMMUTABLE if plain else REVALIDATE
        return response


def init_app(app: Flask) -> None:
    """Serve static files by hashed names and compress responses."""
    assert app.static_folder is not None
    prints = Fingerprints(Path(app.static_folder))
    app.url_defaults(prints.add_hash)
    app.view_functions["static"] = prints.serve
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED)
    Compress(app)
