"""Parse the corpus and write a Whoosh index into a fresh generation, then swap it in."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from indexer.entities.catalog import CATALOG_FILE, Catalog, load_catalog
from indexer.entities.corpus import agree_across_corpus
from indexer.entities.filmdb import FilmDatabase
from indexer.indexing.alike import POSTINGS, alike_pairs, nearest, save_nearest
from indexer.indexing.arrays import ARRAYS, arrivals, document_arrays, encode_row, save_arrays
from indexer.indexing.copies import (
    article_sketch,
    copy_groups,
    entries_of,
    left_out,
    save_copies,
)
from indexer.indexing.lock import LockedError, build_lock
from indexer.indexing.manifest import (
    MANIFEST,
    FileRecord,
    Manifest,
    aliases_digest,
    bytes_digest,
    file_digest,
    load_manifest,
    parsing_digest,
    relative,
)
from indexer.indexing.timeout import ParseTimeout, time_limit
from indexer.model import Article, Passage
from indexer.parse import parse_source
from indexer.read.sources import (
    DEFAULT_MAX_BYTES,
    SIDECAR_SUFFIX,
    SourceError,
    find_sources,
    read_source,
    sidecar_path,
)
from indexer.schema import (
    ARRIVED,
    CURRENT,
    FACET_SEPARATOR,
    FACETS,
    QUERY_FIELDS,
    ROW,
    WRITTEN,
    build_schema,
    current_generation,
    speaks_as,
)
from indexer.text.names import canonicalize, load_aliases

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 64
# Longest one file may take to parse before it is skipped as pathological.
PARSE_SECONDS = 30.0
# Names a rebuild uses for work in progress inside the index root.
STAGING_PREFIX = ".building-"
TEMP_LINK_PREFIX = f".{CURRENT}."
ORPHAN = "a sidecar beside no article (.html, .htm, .txt or .md of the same name); ignored"
# Memory for the writer's posting pool (per process), in MB.
WRITER_MB = 128
# Below this many passages one writer process is faster than several.
PARALLEL_WRITE_THRESHOLD = 2_000


class BuildError(Exception):
    """The index could not be built; the previous one (if any) keeps serving."""

    def __init__(self, message: str, skipped: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.skipped = skipped or []


@dataclass
class BuildReport:
    """What a rebuild did, for the CLI summary."""

    index_dir: Path
    articles: int = 0
    passages: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, what was ignored)
    seconds: float = 0.0
    mode: str = "full"  # or "update" when only changes were applied to the previous index
    parsed: int = 0  # files parsed (all of them in a full rebuild)
    rewritten: int = 0  # articles whose passages were (re)written
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    # each interview saved more than once: its files, the counted one first
    copies: list[list[str]] = field(default_factory=list)


Work = tuple[Path, Path, int, Path | None]  # file, corpus, size limit, film catalogue


def _parse_one(args: Work) -> Article | SourceError:
    path, corpus, max_bytes, catalogue = args
    try:
        with time_limit(PARSE_SECONDS):
            return parse_source(
                read_source(path, corpus, max_bytes),
                catalog=catalog_of(corpus),
                filmdb=filmdb_of(catalogue),
            )
    except ParseTimeout:
        return SourceError(path, f"took longer than {PARSE_SECONDS:g} s to parse")
    except SourceError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the rebuild
        return SourceError(path, f"parser error: {type(exc).__name__}: {exc}")


def catalog_of(corpus: Path) -> Catalog | None:
    """The corpus's film list, read once per process and again when the file changes."""
    path = corpus / CATALOG_FILE
    return _catalog(corpus, path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=4)
def _catalog(corpus: Path, stamp: int) -> Catalog | None:
    return load_catalog(corpus) if stamp else None


def filmdb_of(path: Path | None) -> FilmDatabase | None:
    """The film catalogue at `path`, opened read-only once per process (and again when
    the file changes)."""
    if path is None or not path.exists():
        return None
    return _filmdb(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=2)
def _filmdb(path: Path, stamp: int) -> FilmDatabase:
    return FilmDatabase(path, readonly=True)


def _entry_for(args: Work) -> FileRecord:
    """Parse one file into a manifest entry (in a worker process: pickling happens here)."""
    path, corpus, max_bytes, _ = args
    try:
        digest = file_digest(path, corpus, max_bytes)
    except SourceError as exc:
        return FileRecord("", skipped=exc.reason)
    result = _parse_one(args)
    if isinstance(result, SourceError):
        return FileRecord(digest, skipped=result.reason)
    if not result.passages:
        return FileRecord(digest, skipped="no text found")
    article = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
    return FileRecord(digest, article, article_id=result.id, sketch=article_sketch(result))


def _map(func: Callable[[Any], Any], work: list[Any], jobs: int) -> Iterator[Any]:
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(work) < PARALLEL_THRESHOLD:
        yield from map(func, work)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(func, work, chunksize=8)


def parse_corpus(
    paths: list[Path],
    corpus: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int = 0,
    catalogue: Path | None = None,
) -> Iterator[Article | SourceError]:
    """Parse files in order, in parallel processes when there are many."""
    yield from _map(_parse_one, [(p, corpus, max_bytes, catalogue) for p in paths], jobs)


def passage_document(
    article: Article, passage: Passage, ordinal: int, arrived: int = 0
) -> dict[str, Any]:
    """The Whoosh fields of one passage; `arrived` is when its article entered the
    collection (microseconds since the epoch, 0 when unknown)."""
    # Without its turns and passages: serialising them for every passage is quadratic.
    meta = replace(article, turns=[], passages=[]).to_json()
    del meta["turns"], meta["passages"]
    year = article.year
    facets = {
        "film": article.films,
        "director": article.directors,
        "speaker": passage.speakers,
        "interviewer": article.interviewers,
        "publication": [article.publication] if article.publication else [],
        "year": [str(year)] if year else [],
        "speaks": [speaks_as(passage.kind, (t.role for t in passage.turns))],
    }
    doc: dict[str, Any] = {
        "pid": f"{article.id}#{passage.anchor}",
        "article_id": article.id,
        "anchor": passage.anchor,
        "ordinal": ordinal,
        "kind": passage.kind,
        "date": int(article.date[:10].replace("-", "").ljust(8, "0")) if year else 0,
        "title": article.title,
        "question": passage.question,
        "answer": passage.answer,
        "turns": [t.to_json() for t in passage.turns],
        "meta": meta,
        "film": " ".join(article.films),
        "director": " ".join(article.directors),
        "speaker": " ".join(passage.speakers),
        "interviewer": " ".join(article.interviewers),
        "publication": article.publication,
    }
    if year:
        doc["year"] = year
    doc[WRITTEN] = "\n".join(doc[name] for name in QUERY_FIELDS)
    doc[ARRIVED] = arrived
    doc[ROW] = encode_row(article.id, ordinal, facets)
    for name, values in facets.items():
        doc[FACETS[name]] = FACET_SEPARATOR.join(values)
        doc[f"_stored_{FACETS[name]}"] = values
    return doc


def write_index(
    articles: Iterable[Article],
    directory: Path,
    jobs: int = 1,
    arrivals: Mapping[str, int] | None = None,
) -> int:
    """Write every passage of `articles` into a new index at `directory`; return the count.
    `arrivals` says when each article (by id) entered the collection.

    With `jobs` > 1, Whoosh's multi-process writer indexes batches in worker processes
    and keeps their segments as they are instead of merging them into one.
    """
    directory.mkdir(parents=True)
    ix = whoosh_index.create_in(str(directory), build_schema())
    count = 0
    articles = list(articles)
    jobs = jobs or os.cpu_count() or 1
    options: dict[str, Any] = {"limitmb": WRITER_MB}
    if jobs > 1 and sum(len(a.passages) for a in articles) >= PARALLEL_WRITE_THRESHOLD:
        options |= {"procs": jobs, "multisegment": True, "batchsize": 256}
    writer = ix.writer(**options)
    try:
        for article in articles:
            arrived = (arrivals or {}).get(article.id, 0)
            for ordinal, passage in enumerate(article.passages):
                writer.add_document(**passage_document(article, passage, ordinal, arrived))
                count += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    return count


def write_arrays(
    directory: Path, copies: list[list[str]] | None = None, previous: Path | None = None
) -> None:
    """Save the committed index's per-passage arrays (arrival times and fixed sort orders
    among them), each passage's nearest alike questions with the groups they join, and the
    groups of `copies` of one interview beside it, for servers to memory-map; only the
    first copy of each group is counted. The question postings of segments the `previous`
    generation saved are taken from it (an update reads only the segment it adds)."""
    ix = whoosh_index.open_dir(str(directory))
    try:
        with ix.reader() as reader:
            arrays = document_arrays(reader, left_out(copies or []))
            arrays.table["arrived"] = arrivals(reader)
            save_arrays(directory, arrays)
            save_copies(directory / ARRAYS, copies or [])
            kept = directory / ARRAYS / POSTINGS
            before = previous / ARRAYS / POSTINGS if previous is not None else None
            found = alike_pairs(reader, arrays.live, arrays.tier, arrays.article, kept, before)
            near = nearest(found, arrays.order, arrays.article, arrays.size)
            save_nearest(directory / ARRAYS, near)
    finally:
        ix.close()


def swap_in(index_root: Path, generation: Path) -> None:
    """Point `index_root/current` at `generation` atomically, then drop stale generations.

    The generation is on disk already (synced before it was named), so naming it and
    serving it follow each other at once.
    """
    link = index_root / CURRENT
    # Keep the generation being replaced so requests already reading it can finish.
    replaced = os.readlink(link) if link.is_symlink() else ""
    tmp = index_root / f"{TEMP_LINK_PREFIX}{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(generation.name, tmp)
    os.replace(tmp, link)  # rename(2) is atomic: readers see the old or the new index
    _fsync_dir(index_root)
    keep = {generation.name, Path(replaced).name}
    for path in index_root.iterdir():
        if path.name.startswith("gen-") and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def clean_leftovers(index_root: Path) -> list[str]:
    """Remove what a killed rebuild left behind; call only while holding the build lock."""
    removed = []
    link = index_root / CURRENT
    served = os.readlink(link) if link.is_symlink() else ""
    for path in index_root.iterdir():
        if path.name.startswith(STAGING_PREFIX):
            shutil.rmtree(path, ignore_errors=True)
        elif served and path.name.startswith("gen-") and path.name > Path(served).name:
            shutil.rmtree(path, ignore_errors=True)  # named, killed before it was served
        elif path.name.startswith(TEMP_LINK_PREFIX) and path.is_symlink():
            path.unlink()
        else:
            continue
        removed.append(path.name)
    return removed


def _fsync_tree(directory: Path) -> None:
    # So a power cut after the swap cannot leave `current` pointing at unwritten files.
    for path in directory.iterdir():
        if path.is_dir():
            _fsync_tree(path)
        elif path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(directory)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build_index(
    corpus: Path,
    index_root: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int = 0,
    on_file: Callable[[Path], None] | None = None,
    update: bool = False,
    wait: bool = False,
    strict: bool = False,
    catalogue: Path | None = None,
) -> BuildReport:
    """Rebuild the index from `corpus` and swap it in only when complete (with `strict`,
    only when no file was skipped), linking films to the film `catalogue` if given.

    With `update`, files whose content hash matches the previous generation's manifest
    are not parsed again, and only articles that changed (or were renamed by corpus-wide
    canonicalisation) are rewritten into a copy of the previous index. Only one rebuild
    writes an index root at a time: without `wait`, a second one stops with a BuildError.
    A full disk or any other OS error is a BuildError too.
    """
    if not corpus.is_dir():
        raise BuildError(f"corpus directory {corpus} does not exist")
    try:
        with build_lock(index_root, wait=wait):
            clean_leftovers(index_root)
            return _build(corpus, index_root, max_bytes, jobs, on_file, update, strict, catalogue)
    except LockedError as exc:
        raise BuildError(str(exc)) from exc
    except OSError as exc:
        where = exc.filename or index_root
        raise BuildError(f"the rebuild failed: {where}: {exc.strerror or exc}") from exc


def _build(
    corpus: Path,
    index_root: Path,
    max_bytes: int,
    jobs: int,
    on_file: Callable[[Path], None] | None,
    update: bool,
    strict: bool,
    catalogue: Path | None = None,
) -> BuildReport:
    started = time.perf_counter()
    paths = list(find_sources(corpus))
    if not paths:
        raise BuildError(f"no articles (.html, .htm, .txt, .md) found in {corpus}")
    report = BuildReport(index_dir=index_root)
    report.problems += [(relative(p, corpus), ORPHAN) for p in orphan_sidecars(corpus, paths)]
    lap = _laps(report.timings)
    if catalogue is not None and not catalogue.exists():
        catalogue = None
    manifest = Manifest(parsing_digest(corpus, catalogue), aliases_digest(corpus), max_bytes)
    serving = current_generation(index_root)
    before = load_manifest(serving)  # first-indexed times are kept across rebuilds
    previous_dir = serving if update else None
    previous = before if update else None
    if previous is not None and not manifest.compatible(previous):
        previous = None
    rels = [relative(p, corpus) for p in paths]
    todo = list(range(len(paths)))
    if previous is not None:
        report.mode = "update"
        todo = [i for i, p in enumerate(paths) if _stale(previous, rels[i], p, corpus, max_bytes)]
        lap("hash")
    work = [(paths[i], corpus, max_bytes, catalogue) for i in todo]
    fresh = zip(todo, _map(_entry_for, work, jobs), strict=True)  # in order, as parsed
    report.parsed = len(todo)
    articles: list[tuple[str, Article]] = []
    now = time.time_ns() // 1000
    upcoming = next(fresh, None)
    for i, (path, rel) in enumerate(zip(paths, rels, strict=True)):
        if upcoming is not None and upcoming[0] == i:
            entry, upcoming = upcoming[1], next(fresh, None)
        else:
            entry = replace(previous.files[rel])  # type: ignore[union-attr]
        entry.arrived = _first_indexed(before, rel, entry, now)
        manifest.files[rel] = entry
        if on_file:
            on_file(path)
        if entry.skipped:
            report.skipped.append((rel, entry.skipped))
        else:
            articles.append((rel, pickle.loads(entry.article)))
            report.problems += [(rel, problem) for problem in articles[-1][1].problems]
    lap("parse")
    if not articles:
        raise BuildError(
            f"nothing could be indexed: all {len(paths)} file(s) were skipped", report.skipped
        )
    if strict and report.skipped:
        raise BuildError(f"{len(report.skipped)} file(s) skipped (--strict)", report.skipped)
    agree_across_corpus([a for _, a in articles])
    canonicalize([a for _, a in articles], load_aliases(corpus))
    lap("canonicalize")
    for rel, article in articles:
        manifest.files[rel].indexed = bytes_digest(pickle.dumps(article, pickle.HIGHEST_PROTOCOL))
    lap("digest")
    arrivals = {a.id: arrival(a, manifest.files[rel].arrived) for rel, a in articles}
    copies = copy_groups(entries_of(((a, manifest.files[r].sketch) for r, a in articles), arrivals))
    lap("copies")
    sources = {a.id: rel for rel, a in articles}
    report.copies = [[sources[key] for key in group] for group in copies]

    generation = index_root / f"gen-{time.time_ns():020d}"
    staging = index_root / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        if previous is not None and previous_dir is not None:
            changed = _changed_ids(previous, manifest)
            rewrite = [a for _, a in articles if a.id in changed]
            write_changes(previous_dir, staging, changed, rewrite, arrivals)
            report.rewritten = len(rewrite)
        else:
            write_index((a for _, a in articles), staging, jobs=jobs, arrivals=arrivals)
            report.rewritten = len(articles)
        lap("write")
        write_arrays(staging, copies, previous_dir if previous is not None else None)
        manifest.save(staging)
        # on disk before it is named a generation, so little lies between naming and swapping
        _fsync_tree(staging)
        staging.rename(generation)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    lap("arrays")
    swap_in(index_root, generation)
    report.articles = len(articles)
    report.passages = sum(len(a.passages) for _, a in articles)
    report.index_dir = generation
    report.seconds = time.perf_counter() - started
    return report


def _first_indexed(before: Manifest | None, rel: str, entry: FileRecord, now: int) -> int:
    """When the file at `rel` was first indexed: as the last generation says, else now."""
    if entry.arrived:
        return entry.arrived
    known = before.files.get(rel) if before is not None else None
    return getattr(known, "arrived", 0) or now  # a manifest written before times were kept


def arrival(article: Article, first_indexed: int) -> int:
    """When an article entered the collection, in microseconds since the epoch: when its
    page was captured or fetched, as its sidecar says, else when it was first indexed."""
    for stamp in (article.captured, article.fetched):
        try:
            moment = dt.datetime.fromisoformat(stamp.strip())
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return int(moment.timestamp() * 1_000_000)
    return first_indexed


def orphan_sidecars(corpus: Path, paths: list[Path]) -> list[Path]:
    """The sidecars in `corpus` beside no article of `paths`."""
    used = {sidecar_path(p) for p in paths}
    found = corpus.rglob(f"*{SIDECAR_SUFFIX}")
    return sorted(p for p in found if p not in used and not p.name.startswith("."))


def _stale(previous: Manifest, rel: str, path: Path, corpus: Path, max_bytes: int) -> bool:
    entry = previous.files.get(rel)
    try:
        return entry is None or entry.digest != file_digest(path, corpus, max_bytes)
    except SourceError:
        return True  # parse it again, which reports why it cannot be read


def _changed_ids(previous: Manifest, current: Manifest) -> set[str]:
    """Article ids whose indexed passages differ from the previous generation's."""
    changed: set[str] = set()
    for rel, entry in current.files.items():
        before = previous.files.get(rel)
        if before is None or before.indexed != entry.indexed or before.skipped != entry.skipped:
            changed.update(i for i in (entry.article_id, before and before.article_id) if i)
    for rel, before in previous.files.items():
        if rel not in current.files and before.article_id:
            changed.add(before.article_id)
    return changed


def write_changes(
    previous: Path,
    staging: Path,
    ids: set[str],
    articles: list[Article],
    arrivals: Mapping[str, int] | None = None,
) -> None:
    """Copy the previous generation (hard links: segments are immutable) and apply changes."""
    staging.mkdir(parents=True)
    for path in previous.iterdir():
        if path.is_file() and path.name != MANIFEST and not path.name.endswith("LOCK"):
            try:
                os.link(path, staging / path.name)
            except OSError:
                shutil.copy2(path, staging / path.name)
    ix = whoosh_index.open_dir(str(staging))
    writer = ix.writer(limitmb=WRITER_MB)
    try:
        for article_id in sorted(ids):
            writer.delete_by_term("article_id", article_id)
        for article in articles:
            arrived = (arrivals or {}).get(article.id, 0)
            for ordinal, passage in enumerate(article.passages):
                writer.add_document(**passage_document(article, passage, ordinal, arrived))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()


def _laps(timings: dict[str, float]) -> Callable[[str], None]:
    """A stopwatch that records the seconds since its previous lap under a stage name."""
    last = [time.perf_counter()]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - last[0]
        last[0] = now

    return lap
