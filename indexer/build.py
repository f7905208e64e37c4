"""Parse the corpus and write a Whoosh index into a fresh generation, then swap it in."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from .lock import LockedError, build_lock
from .model import Article, Passage
from .names import canonicalize, load_aliases
from .parse import parse_source
from .schema import CURRENT, FACET_SEPARATOR, FACETS, build_schema
from .sources import DEFAULT_MAX_BYTES, SourceError, find_sources, read_source
from .timeout import ParseTimeout, time_limit

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 64
# Longest one file may take to parse before it is skipped as pathological.
PARSE_SECONDS = 30.0
# Names a rebuild uses for work in progress inside the index root.
STAGING_PREFIX = ".building-"
TEMP_LINK_PREFIX = f".{CURRENT}."


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
    seconds: float = 0.0


def _parse_one(args: tuple[Path, Path, int]) -> Article | SourceError:
    path, corpus, max_bytes = args
    try:
        with time_limit(PARSE_SECONDS):
            return parse_source(read_source(path, corpus, max_bytes))
    except ParseTimeout:
        return SourceError(path, f"took longer than {PARSE_SECONDS:g} s to parse")
    except SourceError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the rebuild
        return SourceError(path, f"parser error: {type(exc).__name__}: {exc}")


def parse_corpus(
    paths: list[Path], corpus: Path, max_bytes: int = DEFAULT_MAX_BYTES, jobs: int = 0
) -> Iterator[Article | SourceError]:
    """Parse files in order, in parallel processes when there are many."""
    work = [(p, corpus, max_bytes) for p in paths]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(work) < PARALLEL_THRESHOLD:
        yield from map(_parse_one, work)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_parse_one, work, chunksize=16)


def passage_document(article: Article, passage: Passage, ordinal: int) -> dict[str, Any]:
    """The Whoosh fields of one passage."""
    meta = article.to_json()
    del meta["turns"], meta["passages"]
    year = article.year
    facets = {
        "film": article.films,
        "director": article.directors,
        "speaker": passage.speakers,
        "interviewer": article.interviewers,
        "publication": [article.publication] if article.publication else [],
        "year": [str(year)] if year else [],
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
    for name, values in facets.items():
        doc[FACETS[name]] = FACET_SEPARATOR.join(values)
        doc[f"_stored_{FACETS[name]}"] = values
    return doc


def write_index(articles: Iterable[Article], directory: Path) -> int:
    """Write every passage of `articles` into a new index at `directory`; return the count."""
    directory.mkdir(parents=True)
    ix = whoosh_index.create_in(str(directory), build_schema())
    count = 0
    writer = ix.writer(limitmb=256)
    try:
        for article in articles:
            for ordinal, passage in enumerate(article.passages):
                writer.add_document(**passage_document(article, passage, ordinal))
                count += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    return count


def swap_in(index_root: Path, generation: Path) -> None:
    """Point `index_root/current` at `generation` atomically, then drop stale generations."""
    link = index_root / CURRENT
    # Keep the generation being replaced so requests already reading it can finish.
    replaced = os.readlink(link) if link.is_symlink() else ""
    tmp = index_root / f"{TEMP_LINK_PREFIX}{os.getpid()}"
    tmp.unlink(missing_ok=True)
    _fsync_tree(generation)
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
    for path in index_root.iterdir():
        if path.name.startswith(STAGING_PREFIX):
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(TEMP_LINK_PREFIX) and path.is_symlink():
            path.unlink()
        else:
            continue
        removed.append(path.name)
    return removed


def _fsync_tree(directory: Path) -> None:
    # So a power cut after the swap cannot leave `current` pointing at unwritten files.
    for path in directory.iterdir():
        if path.is_file():
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
    wait: bool = False,
) -> BuildReport:
    """Rebuild the whole index from `corpus` and swap it in only when complete.

    Only one rebuild writes an index root at a time: without `wait`, a second one stops
    with a BuildError saying so.
    """
    if not corpus.is_dir():
        raise BuildError(f"corpus directory {corpus} does not exist")
    try:
        with build_lock(index_root, wait=wait):
            clean_leftovers(index_root)
            return _build(corpus, index_root, max_bytes, jobs, on_file)
    except LockedError as exc:
        raise BuildError(str(exc)) from exc


def _build(
    corpus: Path,
    index_root: Path,
    max_bytes: int,
    jobs: int,
    on_file: Callable[[Path], None] | None,
) -> BuildReport:
    started = time.perf_counter()
    paths = list(find_sources(corpus))
    if not paths:
        raise BuildError(f"no articles (.html, .htm, .txt, .md) found in {corpus}")
    report = BuildReport(index_dir=index_root)
    articles: list[Article] = []
    for path, result in zip(paths, parse_corpus(paths, corpus, max_bytes, jobs), strict=True):
        if on_file:
            on_file(path)
        if isinstance(result, SourceError):
            report.skipped.append((_relative(result.path, corpus), result.reason))
        elif not result.passages:
            report.skipped.append((_relative(path, corpus), "no text found"))
        else:
            articles.append(result)
    if not articles:
        raise BuildError(
            f"nothing could be indexed: all {len(paths)} file(s) were skipped", report.skipped
        )
    canonicalize(articles, load_aliases(corpus))

    generation = index_root / f"gen-{time.time_ns():020d}"
    staging = index_root / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        report.passages = write_index(articles, staging)
        staging.rename(generation)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(index_root, generation)
    report.articles = len(articles)
    report.index_dir = generation
    report.seconds = time.perf_counter() - started
    return report


def _relative(path: Path, corpus: Path) -> str:
    try:
        return str(path.relative_to(corpus))
    except ValueError:
        return str(path)
