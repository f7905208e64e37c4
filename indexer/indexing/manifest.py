"""What a generation was built from: each file's content hash and parse, for `--update`."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from indexer.entities.catalog import CATALOG_FILE
from indexer.entities.filmdb import file_digest as catalogue_digest
from indexer.read.sources import SourceError, read_bytes, sidecar_path

MANIFEST = "manifest.pickle"
FORMAT = 1
# Modules that only drive a rebuild, or bring files into the corpus, and cannot change
# what a file parses to or how it is indexed (paths relative to the `indexer` package; a
# path ending in "/" is a whole subpackage). Every other module of the package can: when
# one changes, cached parses are stale and an update becomes a full rebuild.
NOT_PIPELINE = frozenset({"cli.py", "indexing/lock.py", "ingest/"})


@dataclass
class FileRecord:
    """One corpus file as last indexed."""

    digest: str  # the file's bytes and its sidecar's
    article: bytes = b""  # the pickled Article before corpus-wide canonicalisation
    skipped: str = ""  # why the file was not indexed, when it was not
    article_id: str = ""
    indexed: str = ""  # hash of the Article as indexed (after canonicalisation)
    arrived: int = 0  # when the file was first indexed, in microseconds since the epoch
    sketch: bytes | None = None  # the MinHash of its text (`copies.sketch_of`); None: not yet


@dataclass
class Manifest:
    """Every file of a generation, and what the whole build depended on."""

    pipeline: str
    aliases: str
    max_bytes: int
    files: dict[str, FileRecord] = field(default_factory=dict)

    def compatible(self, other: Manifest) -> bool:
        """True when entries of `other` can be reused for a build like this one."""
        return (self.pipeline, self.max_bytes) == (other.pipeline, other.max_bytes)

    def save(self, directory: Path) -> None:
        with open(directory / MANIFEST, "wb") as out:
            pickle.dump(self, out, protocol=pickle.HIGHEST_PROTOCOL)


def load_manifest(directory: Path | None) -> Manifest | None:
    """The manifest saved in a generation directory, or None when absent or unreadable."""
    if directory is None:
        return None
    try:
        with open(directory / MANIFEST, "rb") as data:
            manifest = pickle.load(data)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return manifest if isinstance(manifest, Manifest) else None


def relative(path: Path, corpus: Path) -> str:
    """A corpus file's name as the manifest keys it."""
    try:
        return str(path.relative_to(corpus))
    except ValueError:
        return str(path)


def file_digest(path: Path, corpus: Path, max_bytes: int) -> str:
    """Hash of a file's bytes and of its sidecar's (a changed sidecar changes the article).

    Reads through `read_bytes`, so links out of the corpus, pipes and oversized files
    raise SourceError here as they would when parsing.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(read_bytes(path, corpus, max_bytes))
    meta = sidecar_path(path)
    if meta.exists() or meta.is_symlink():
        try:
            digest.update(b"\0sidecar\0" + read_bytes(meta, corpus, max_bytes))
        except SourceError as exc:  # the parse reports it; the hash only has to change
            digest.update(b"\0unreadable sidecar\0" + exc.reason.encode())
    return digest.hexdigest()


def bytes_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def pipeline_digest() -> str:
    """Hash of every module and data file that shapes the index, in every subpackage."""
    here = Path(__file__).parent.parent
    digest = hashlib.blake2b(f"format {FORMAT}".encode(), digest_size=16)
    for path in sorted(p for p in here.rglob("*") if p.suffix in {".py", ".json"}):
        rel = path.relative_to(here).as_posix()
        if not shapes_index(rel):
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def shapes_index(rel: str) -> bool:
    """Whether the package file at `rel` (relative to `indexer`) can change the index."""
    if "__pycache__" in rel or rel in NOT_PIPELINE:
        return False
    return not any(rel.startswith(p) for p in NOT_PIPELINE if p.endswith("/"))


def aliases_digest(corpus: Path) -> str:
    path = corpus / "aliases.json"
    return bytes_digest(path.read_bytes()) if path.exists() else ""


def parsing_digest(corpus: Path, catalogue: Path | None = None) -> str:
    """What every parse of this corpus depends on: the pipeline, the film list and the
    film catalogue (by content: an update reparses every file when either changes)."""
    path = corpus / CATALOG_FILE
    listed = bytes_digest(path.read_bytes()) if path.exists() else ""
    known = catalogue_digest(catalogue) if catalogue is not None else ""
    return f"{pipeline_digest()}:{listed}:{known}"
