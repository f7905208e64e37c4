"""The `filmsearch` command: index, inspect, search, serve, publish, fetch, import."""

from __future__ import annotations

import html
import json
import os
import re
import socket
import sqlite3
import sys
from collections.abc import Callable
from datetime import datetime
from itertools import accumulate
from pathlib import Path
from typing import TypeVar

import click

from indexer.entities.corpus import agree_across_corpus
from indexer.entities.filmdb import CATALOGUE_FILE, FilmDatabase
from indexer.indexing.generation import (
    BuildError,
    build_index,
    catalog_of,
    filmdb_of,
    parse_corpus,
)
from indexer.indexing.publish import PublishReport
from indexer.ingest.archives import Importer, archive_size
from indexer.ingest.discover import discover
from indexer.ingest.fetch import (
    DEFAULT_DELAY,
    DEFAULT_TIMEOUT,
    PoliteClient,
    default_user_agent,
    fetch_page,
)
from indexer.ingest.imdb import LICENCE as IMDB_LICENCE
from indexer.ingest.imdb import import_imdb
from indexer.ingest.imdb import kind_of as imdb_kind
from indexer.ingest.wikidata import (
    DEFAULT_LANGUAGES,
    ENDPOINT,
    FIRST_YEAR,
    fetch_years,
    import_file,
    query_for,
)
from indexer.model import Article
from indexer.parse import parse_file
from indexer.read.sources import (
    DEFAULT_MAX_BYTES,
    FORMATS,
    SourceError,
    find_sources,
    sidecar_path,
)
from indexer.review import indexed_articles, sidecar_line
from indexer.review import review as review_articles
from indexer.schema import FACET_TABLE, current_generation

CORPUS = click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default="corpus",
    show_default=True,
    envvar="FILMSEARCH_CORPUS_DIR",
    help="Directory of articles to index (env FILMSEARCH_CORPUS_DIR).",
)
INDEX = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="index",
    show_default=True,
    envvar="FILMSEARCH_INDEX_DIR",
    help="Index directory (env FILMSEARCH_INDEX_DIR).",
)
CATALOGUE = click.option(
    "--catalogue",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    envvar="FILMSEARCH_CATALOGUE",
    help="The film catalogue (SQLite, from `filmsearch films import|fetch`; env "
    f"FILMSEARCH_CATALOGUE; default: {CATALOGUE_FILE} beside the index).",
)
FC = TypeVar("FC", bound=Callable[..., object])
STATUSES = ("saved", "unchanged", "skipped", "failed")
MARK = re.compile(r"<mark[^>]*>(.*?)</mark>", re.S)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="filmsearch", help="Show the version and exit.")
def cli() -> None:
    """Search film interviews passage by passage.

    Put articles (.html, .txt) in corpus/, run `filmsearch index`, then
    `filmsearch serve` and open the printed address.
    """


def run_build(
    corpus: Path,
    index_dir: Path,
    jobs: int,
    max_bytes: int,
    update: bool = False,
    wait: bool = False,
    strict: bool = False,
    catalogue: Path | None = None,
) -> None:
    """Rebuild with a progress bar and a summary; with `strict`, fail on a skipped file."""
    total = sum(1 for _ in find_sources(corpus)) if corpus.is_dir() else 0
    with click.progressbar(length=total, label="Parsing articles", file=sys.stderr) as bar:
        try:
            report = build_index(
                corpus,
                index_dir,
                jobs=jobs,
                max_bytes=max_bytes,
                on_file=lambda _: bar.update(1),
                update=update,
                wait=wait,
                strict=strict,
                catalogue=catalogue_path(catalogue, index_dir),
            )
        except BuildError as exc:
            echo_skipped(exc.skipped)
            raise click.ClickException(f"{exc}. The previous index, if any, is unchanged.") from exc
    click.echo(
        f"Indexed {report.passages:,} passages from {report.articles:,} articles "
        f"in {report.seconds:.1f}s into {report.index_dir}"
    )
    if report.mode == "update":
        click.echo(
            f"Updated: {report.parsed:,} changed or new file(s) parsed, "
            f"{report.rewritten:,} article(s) rewritten"
        )
    if report.copies:
        click.echo(f"Counted once: {len(report.copies):,} interview(s) saved more than once")
        for counted, *others in report.copies:
            click.echo(f"  {counted}, also saved as {', '.join(others)}")
    echo_skipped(report.skipped)
    echo_skipped(report.problems, "Problems ignored in")


def echo_skipped(files: list[tuple[str, str]], heading: str = "Skipped") -> None:
    """List files with their reasons on stderr, under `heading`."""
    if files:
        click.echo(f"{heading} {len(files)} file(s):", err=True)
        for path, reason in files:
            click.echo(f"  {path}: {reason}", err=True)


@cli.command()
@CORPUS
@INDEX
@click.option(
    "--strict",
    is_flag=True,
    help="When any file is skipped, keep the current index and exit non-zero.",
)
@click.option(
    "--update",
    is_flag=True,
    help="Parse only new and changed files (by content hash) and apply the changes to a "
    "copy of the current index; the result equals a full rebuild.",
)
@click.option(
    "--jobs", type=click.IntRange(min=0), default=0, help="Parser processes (0: one per CPU)."
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Skip (and report) article files larger than this many bytes.",
)
@click.option(
    "--wait", is_flag=True, help="If another rebuild is running, wait for it instead of stopping."
)
@CATALOGUE
def index(
    corpus: Path,
    index_dir: Path,
    strict: bool,
    update: bool,
    jobs: int,
    max_bytes: int,
    wait: bool,
    catalogue: Path | None,
) -> None:
    """Rebuild the index from the corpus, swapping it in only when complete."""
    run_build(corpus, index_dir, jobs, max_bytes, update, wait, strict, catalogue)


def catalogue_path(given: Path | None, index_dir: Path) -> Path | None:
    """The film catalogue to link films to: the one given (it must exist), else the one
    beside the index if there is one."""
    if given is not None:
        if not given.is_file():
            raise click.ClickException(f"no film catalogue at {given}")
        return given
    beside = index_dir.parent / CATALOGUE_FILE
    return beside if beside.is_file() else None


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
@CORPUS
@INDEX
@CATALOGUE
def inspect(
    paths: tuple[Path, ...], as_json: bool, corpus: Path, index_dir: Path, catalogue: Path | None
) -> None:
    """Show how each file parses: metadata, speakers, turns and passages.

    A sidecar given with its article (as `corpus/NAME.*` gives them) is read with it."""
    failed = 0
    filmdb = filmdb_of(catalogue_path(catalogue, index_dir))
    given = {sidecar_path(p) for p in paths if p.suffix.lower() in FORMATS}
    for path in paths:
        if path in given:
            continue
        try:
            root = corpus if path.is_relative_to(corpus) else path.parent
            article = parse_file(path, root, catalog_of(root), filmdb)
        except SourceError as exc:
            failed += 1
            click.echo(f"{path}: cannot parse: {exc.reason}", err=True)
            continue
        for problem in article.problems:
            click.echo(f"{path}: {problem}", err=True)
        if as_json:
            click.echo(json.dumps(article.to_json(), ensure_ascii=False))
            continue
        click.secho(f"{path}  (id {article.id})", bold=True)
        for key in ("title", "url", "publication", "date"):
            click.echo(f"  {key:<13}{getattr(article, key) or '-'}")
        for key in ("captured", "fetched", "archive", "wayback"):  # where it came from, if known
            if getattr(article, key):
                click.echo(f"  {key:<13}{getattr(article, key)}")
        for key in ("authors", "films", "directors", "interviewers", "interviewees"):
            click.echo(f"  {key:<13}{', '.join(getattr(article, key)) or '-'}")
        for key, guesses in (
            ("film?", article.film_candidates),
            ("director?", article.director_candidates),
        ):
            best = ", ".join(f"{g.value} ({g.score:.2f})" for g in guesses[:3])
            click.echo(f"  {key:<13}{best or '-'}")
        click.echo(f"  {'Q&A':<13}{'yes' if article.is_qa else 'no (narrative)'}")
        click.echo(f"  {'passages':<13}{len(article.passages)}  turns {len(article.turns)}")
        if article.notes:
            click.echo("  why:")
            for note in article.notes:
                click.echo(f"    - {note}")
        for turn in article.turns:
            label = f" ({turn.label})" if turn.label and turn.label != turn.speaker else ""
            text = " ".join(turn.text.split())
            click.echo(f"  {turn.speaker}{label} [{turn.role}]: {text[:90]}")
    if failed:
        raise click.ClickException(f"{failed} file(s) could not be parsed.")


@cli.command()
@CORPUS
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Show at most this many articles.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article, per line.")
@click.option(
    "--jobs", type=click.IntRange(min=0), default=0, help="Parser processes (0: one per core)."
)
@INDEX
@CATALOGUE
def review(
    corpus: Path,
    index_dir: Path,
    limit: int,
    as_json: bool,
    jobs: int,
    catalogue: Path | None,
) -> None:
    """List the articles whose film, director, speakers or roles were guessed or left
    empty, worst first, with the reason and the sidecar line that would settle each.

    The articles come from the index when it is current for the corpus (every file as
    indexed, nothing changed since); otherwise the corpus is parsed."""
    paths = list(find_sources(corpus))
    if not paths:
        raise click.ClickException(f"no articles (.html, .htm, .txt, .md) found in {corpus}")
    known = catalogue_path(catalogue, index_dir)
    indexed = indexed_articles(corpus, index_dir, paths, known)
    if indexed is not None:
        click.echo(f"Reading {len(indexed)} articles from the index {index_dir}", err=True)
        articles = indexed
    else:
        click.echo(f"No current index at {index_dir}: parsing {corpus}", err=True)
        articles = []
        parsed = zip(paths, parse_corpus(paths, corpus, jobs=jobs, catalogue=known), strict=True)
        with click.progressbar(
            parsed, length=len(paths), label="Parsing articles", file=sys.stderr
        ) as bar:
            for path, result in bar:
                if isinstance(result, Article):
                    result.source = str(path)
                    articles.append(result)
    agree_across_corpus(articles)
    entries = review_articles(articles)
    for entry in entries[:limit]:
        if as_json:
            click.echo(json.dumps(entry.to_json(), ensure_ascii=False))
            continue
        click.secho(f"{entry.article.source}  (id {entry.article.id})", bold=True)
        for doubt in entry.doubts:
            click.echo(f"  - {doubt.reason}")
            click.echo(f"    fix in {entry.sidecar}: {sidecar_line(doubt.fix)}")
    if not as_json:
        click.echo(f"{len(entries)} of {len(articles)} article(s) need a look.", err=True)


def facet_options(command: Callable[..., None]) -> Callable[..., None]:
    """`--film`, `--director`, ... one repeatable option per facet of the facet table."""
    for facet in reversed(FACET_TABLE):
        command = click.option(
            f"--{facet.name}",
            multiple=True,
            help=f"Only passages with this {facet.label.lower()}: {facet.help} (repeatable).",
        )(command)
    return command


@cli.command()
@click.argument("query", default="")
@INDEX
@facet_options
@click.option("--page", type=click.IntRange(min=1), default=1, help="Result page.")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest"]),
    default="relevance",
    help="Order of results.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as /api/search.")
def search(
    query: str,
    index_dir: Path,
    page: int,
    sort: str,
    as_json: bool,
    **facets: tuple[str, ...],
) -> None:
    """Search the index from the terminal (same engine as the web)."""
    from dataclasses import asdict

    from webapp.errors import SearchError
    from webapp.search import SearchService

    filters = {facet.name: facets[facet.name] for facet in FACET_TABLE}
    try:
        results = SearchService(index_dir).search(query, filters, page=page, sort=sort)
    except SearchError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        data = asdict(results)
        click.echo(json.dumps(data, ensure_ascii=False, default=str))
        return
    if results.notice:
        click.echo(results.notice, err=True)
    click.echo(f"{results.total} passages (page {results.page} of {results.pages})")
    for hit in results.hits:
        click.secho(f"\n{hit.title}  [{hit.article_id}#{hit.anchor}]", bold=True)
        meta = " · ".join(filter(None, [", ".join(hit.films), hit.publication, hit.date]))
        click.echo(f"  {meta}")
        if hit.kind != "qa":  # an intro or a narrative passage: nobody answers
            click.echo(f"  {hit.kind.capitalize()}: {_terminal(hit.answer_html)}")
            continue
        if hit.question:
            click.echo(f"  Q ({', '.join(hit.askers)}): {_terminal(hit.question_html)}")
        click.echo(f"  A ({', '.join(hit.answerers) or '-'}): {_terminal(hit.answer_html)}")
    for name, values in results.facets.items():
        if values:
            click.echo(f"\n{name}: " + ", ".join(f"{v.value} ({v.count})" for v in values))


def _terminal(marked: str) -> str:
    """Highlighted HTML -> terminal text with the matched words in bold."""
    text = MARK.sub(lambda m: click.style(m.group(1), bold=True, fg="yellow"), marked)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=5000, show_default=True, help="Port to listen on.")
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Threads per worker process.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes answering on the same port (more than one: one per CPU core).",
)
@click.option("--trusted-proxy", help="Address of a reverse proxy whose headers are believed.")
@click.option(
    "--trusted-proxy-headers",
    help='Headers believed from it, e.g. "x-forwarded-for x-forwarded-proto x-forwarded-host".',
)
@INDEX
@CORPUS
def serve(
    host: str,
    port: int,
    threads: int,
    workers: int,
    trusted_proxy: str | None,
    trusted_proxy_headers: str | None,
    index_dir: Path,
    corpus: Path,
) -> None:
    """Serve the web app (with waitress), building the index first if there is none."""
    if current_generation(index_dir) is None:
        click.echo(f"No index at {index_dir}; building it from {corpus} first.")
        run_build(corpus, index_dir, jobs=0, max_bytes=DEFAULT_MAX_BYTES)
    os.environ["FILMSEARCH_INDEX_DIR"] = str(index_dir)  # flags win over the environment
    import waitress

    from webapp import create_app
    from webapp.errors import SearchError
    from webapp.requestlog import log_to_stderr

    log_to_stderr()
    try:
        app = create_app()
    except SearchError as exc:
        raise click.ClickException(str(exc)) from exc
    options = {
        "threads": threads,
        "ident": "filmsearch",
        "max_request_body_size": app.config["MAX_CONTENT_LENGTH"],  # refused before buffering
    }
    if trusted_proxy:
        options["trusted_proxy"] = trusted_proxy
        options["trusted_proxy_headers"] = trusted_proxy_headers or "x-forwarded-for"
    if workers == 1:
        click.echo(f"Serving {index_dir} on http://{host}:{port}/  (Ctrl+C to stop)")
        waitress.serve(app, host=host, port=port, **options)
        return
    from webapp.workers import serve_draining, serve_workers

    # The index opens: close it here. Each worker opens its own after the fork, so no two
    # processes share a file position.
    app.extensions["filmsearch"].close()

    def run(sock: socket.socket) -> None:
        serve_draining(create_app(), sock, **options)

    click.echo(
        f"Serving {index_dir} on http://{host}:{port}/ with {workers} worker processes "
        "(Ctrl+C to stop)"
    )
    serve_workers(run, host, port, workers)


@cli.command()
@click.argument("destination")
@INDEX
@click.option(
    "--confirm",
    "confirm_url",
    metavar="URL",
    help="Then wait until the server at URL answers /healthz with the published generation.",
)
@click.option(
    "--confirm-timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds to wait for --confirm.",
)
@click.option("--copy", "python_copy", is_flag=True, help="Copy in Python even if rsync is here.")
@click.option(
    "--bwlimit", type=click.IntRange(min=0), default=0, help="Limit the copy to KiB/s (rsync)."
)
@click.option(
    "--wait", is_flag=True, help="If DESTINATION is being rebuilt or published, queue behind it."
)
@click.option(
    "--rsh", default="ssh", show_default=True, help="Remote shell for a host:path DESTINATION."
)
@click.option(
    "--remote-command",
    default="filmsearch",
    show_default=True,
    help="The filmsearch command on the host of a host:path DESTINATION.",
)
@click.option(
    "--from-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    hidden=True,
    help="Publish this received generation directory (the host's end of a host:path publish).",
)
@click.option(
    "--name", "generation_name", default="", hidden=True, help="The received generation's name."
)
def publish(
    destination: str,
    index_dir: Path,
    confirm_url: str | None,
    confirm_timeout: float,
    python_copy: bool,
    bwlimit: int,
    wait: bool,
    rsh: str,
    remote_command: str,
    from_dir: Path | None,
    generation_name: str,
) -> None:
    """Ship the current generation to the index root DESTINATION and swap it in there.

    DESTINATION is a local path or, with rsync, HOST:PATH (filmsearch installed on HOST).
    Files a generation in DESTINATION already holds unchanged are hard-linked, not
    copied (rsync --link-dest when rsync is installed). A server on DESTINATION serves
    the new generation from its next request; a publish that fails or is killed leaves
    DESTINATION's previous generation serving.
    """
    from indexer.indexing import publish as ship

    try:
        target = ship.remote(destination)
        if target is not None:
            generation = ship.publish_remote(
                index_dir,
                *target,
                rsh=rsh,
                remote_command=remote_command,
                bwlimit=bwlimit,
                wait=wait,
            )
            click.echo(f"Published {generation} to {destination} (rsync over {rsh})")
        else:
            if from_dir is not None:
                report = ship.publish_directory(
                    from_dir, Path(destination), name=generation_name, wait=wait, link_source=True
                )
            else:
                report = ship.publish(
                    index_dir,
                    Path(destination),
                    use_rsync=False if python_copy else None,
                    bwlimit=bwlimit,
                    wait=wait,
                )
            generation = report.generation
            _echo_published(report, destination)
    except ship.PublishError as exc:
        raise click.ClickException(f"{exc}. {destination} is unchanged.") from exc
    if confirm_url:
        if not ship.confirm(confirm_url, generation, confirm_timeout):
            raise click.ClickException(
                f"{confirm_url} did not serve {generation} within {confirm_timeout:g} s"
            )
        click.echo(f"{confirm_url} serves {generation}")


def _echo_published(report: PublishReport, destination: str) -> None:
    if report.method == "present":
        click.echo(f"{destination} already had {report.generation}; it is current there now")
    else:
        click.echo(
            f"Published {report.generation} to {destination} ({report.method}): "
            f"{report.files} files, {report.linked} hard-linked, "
            f"{report.copied_bytes:,} bytes copied in {report.seconds:.1f}s"
        )


INDEX_AFTER = click.option(
    "--index",
    "update_index",
    is_flag=True,
    help="When done, update the index as `filmsearch index --update` does.",
)
INDEX_DIR = click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="index",
    show_default=True,
    envvar="FILMSEARCH_INDEX_DIR",
    help="Index directory updated by --index (env FILMSEARCH_INDEX_DIR).",
)


def match_option(help_text: str) -> Callable[[FC], FC]:
    """--match REGEX, with what it filters."""
    return click.option("--match", metavar="REGEX", help=help_text)


def compile_match(match: str | None) -> re.Pattern[str] | None:
    """The --match pattern, or a clear message when it is not a regular expression."""
    try:
        return re.compile(match) if match else None
    except re.error as exc:
        raise click.BadParameter(f"not a regular expression: {exc}", param_hint="--match") from exc


@cli.command()
@click.argument("urls", nargs=-1)
@click.option(
    "--list",
    "url_list",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file of URLs, one a line ('#' starts a comment).",
)
@click.option("--sitemap", multiple=True, help="A sitemap or sitemap index (repeatable).")
@click.option("--feed", multiple=True, help="An RSS or Atom feed (repeatable).")
@match_option(
    "Only pages of sitemaps and feeds whose URL matches this regular expression "
    "(e.g. /interview); URLs given directly are always fetched."
)
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Only pages a sitemap or feed dates on or after this day (YYYY-MM-DD).",
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=DEFAULT_DELAY,
    show_default=True,
    help="Seconds between two requests to one host (robots.txt may ask for more).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Give up on a response that takes longer than this many seconds.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Skip (and report) pages larger than this many bytes.",
)
@click.option(
    "--user-agent",
    envvar="FILMSEARCH_USER_AGENT",
    help="User-Agent sent and matched against robots.txt (env FILMSEARCH_USER_AGENT; "
    "default: filmsearch/<version> and the project's homepage).",
)
@CORPUS
@INDEX_AFTER
@INDEX_DIR
def fetch(
    urls: tuple[str, ...],
    url_list: Path | None,
    sitemap: tuple[str, ...],
    feed: tuple[str, ...],
    match: str | None,
    since: datetime | None,
    delay: float,
    timeout: float,
    max_bytes: int,
    user_agent: str | None,
    corpus: Path,
    update_index: bool,
    index_dir: Path,
) -> None:
    """Fetch web pages into the corpus, politely, with a sidecar saying where each came from.

    Obeys robots.txt, waits --delay between requests to one host, honours Retry-After,
    keeps HTML only, and asks only for what changed since the last fetch.
    """
    pattern = compile_match(match)
    given = list(urls)
    if url_list:
        try:
            given += url_list.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise click.BadParameter(f"cannot read {url_list}: {exc}", param_hint="--list") from exc
    if not (given or sitemap or feed):
        raise click.UsageError("Give URLs, --list, --sitemap or --feed.")
    agent = user_agent or default_user_agent()
    client = PoliteClient(agent, delay=delay, timeout=timeout, max_bytes=max_bytes)
    try:
        todo, outcomes = discover(
            client, given, sitemap, feed, pattern, since.date() if since else None
        )
        with click.progressbar(todo, label="Fetching pages", file=sys.stderr) as bar:
            outcomes += [fetch_page(client, url, corpus) for url in bar]
    finally:
        client.close()
    for outcome in outcomes:
        where = f" -> {outcome.path}" if outcome.status == "saved" else ""
        why = f": {outcome.reason}" if outcome.reason else ""
        click.echo(f"{outcome.status:<9} {outcome.url}{where}{why}")
    counts = {s: sum(o.status == s for o in outcomes) for s in STATUSES}
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items()) + f" ({client.requests} requests)")
    if update_index and (counts["saved"] or current_generation(index_dir) is None):
        run_build(corpus, index_dir, jobs=0, max_bytes=DEFAULT_MAX_BYTES, update=True, wait=True)
    if counts["failed"]:
        raise click.ClickException(f"{counts['failed']} URL(s) failed.")


@cli.command("import")
@click.argument(
    "archives",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@match_option("Only pages whose original URL matches this regular expression.")
@click.option(
    "--all-captures",
    is_flag=True,
    help="Keep every capture of a URL (named by its capture time), not only the latest.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Count, and do not write, pages larger than this many bytes.",
)
@CORPUS
@INDEX_AFTER
@INDEX_DIR
def import_(
    archives: tuple[Path, ...],
    match: str | None,
    all_captures: bool,
    max_bytes: int,
    corpus: Path,
    update_index: bool,
    index_dir: Path,
) -> None:
    """Import the HTML pages of web archives (.warc, .warc.gz, .wacz) into the corpus.

    Each page keeps its original URL and capture time in its sidecar; for a URL captured
    several times the latest capture wins.
    """
    importer = Importer(corpus, compile_match(match), all_captures, max_bytes)
    sizes = [archive_size(a) for a in archives]
    with click.progressbar(length=sum(sizes), label="Importing", file=sys.stderr) as bar:
        for archive, base in zip(archives, accumulate([0, *sizes]), strict=False):

            def advance(done: int, base: int = base) -> None:
                bar.update(max(0, base + done - bar.pos))

            importer.run(archive, advance)
        importer.finish()
    for line in importer.summary() or ["nothing found"]:
        click.echo(line)
    if update_index and importer.counts["saved"]:
        run_build(corpus, index_dir, jobs=0, max_bytes=DEFAULT_MAX_BYTES, update=True, wait=True)
    if importer.problems:
        for problem in importer.problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            f"{len(importer.problems)} problem(s): archives or records not read; "
            "what was read is imported."
        )


@cli.group()
def films() -> None:
    """The film catalogue: films with their titles in many languages, years, directors."""


def open_catalogue(given: Path | None, index_dir: Path) -> FilmDatabase:
    """The catalogue to write: the one given, else the one beside the index (created)."""
    path = given or index_dir.parent / CATALOGUE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    return FilmDatabase(path)


@films.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@INDEX
@CATALOGUE
def films_import(files: tuple[Path, ...], index_dir: Path, catalogue: Path | None) -> None:
    """Add the films of saved query results (Wikidata's CSV or JSON export of
    `filmsearch films query`), of bokeh-sampledata's movies.db, or of IMDb's
    title.basics, title.crew, name.basics and title.akas TSVs (given together) to the
    catalogue."""
    imdb = {kind: path for path in files if (kind := imdb_kind(path))}
    if imdb and "title.basics" not in imdb:
        raise click.ClickException("IMDb's files need title.basics beside them")
    db = open_catalogue(catalogue, index_dir)
    try:
        if imdb:
            click.echo(IMDB_LICENCE, err=True)
            count = import_imdb(db, imdb)
            click.echo(f"{', '.join(str(p) for p in imdb.values())}: {count:,} film(s)")
        for path in files:
            if path in imdb.values():
                continue
            try:
                count = import_file(db, path)
            except (ValueError, KeyError, sqlite3.Error) as exc:
                raise click.ClickException(f"{path}: cannot read: {exc}") from exc
            click.echo(f"{path}: {count:,} film(s)")
        total, people = db.counts()
        click.echo(f"The catalogue {db.path} holds {total:,} films and {people:,} people.")
    finally:
        db.close()


# The languages of the catalogue's titles and names.
LANGUAGES = click.option(
    "--languages",
    default=",".join(DEFAULT_LANGUAGES),
    show_default=True,
    help="Languages of the titles and names, comma-separated.",
)


@films.command("query")
@click.option("--year", type=int, required=True, help="Release year.")
@LANGUAGES
def films_query(year: int, languages: str) -> None:
    """Print the SPARQL query for one year's films (to run at query.wikidata.org and save
    its CSV or JSON for `filmsearch films import`)."""
    click.echo(query_for(year, tuple(split_languages(languages))))


def split_languages(text: str) -> list[str]:
    langs = [lang.strip() for lang in text.split(",") if lang.strip()]
    if not langs or not all(re.fullmatch(r"[a-z]{2,3}(?:-[a-z]+)?", lang) for lang in langs):
        raise click.BadParameter(f"not a list of language codes: {text!r}")
    return langs


@films.command("fetch")
@click.option(
    "--since",
    type=click.IntRange(min=FIRST_YEAR),
    default=FIRST_YEAR,
    show_default=True,
    help="First release year to fetch.",
)
@click.option("--until", type=int, default=None, help="Last release year (default: this year).")
@LANGUAGES
@click.option("--endpoint", default=ENDPOINT, show_default=True, help="SPARQL endpoint.")
@click.option(
    "--delay",
    type=float,
    default=DEFAULT_DELAY,
    show_default=True,
    help="Seconds between two queries.",
)
@click.option(
    "--timeout", type=float, default=120.0, show_default=True, help="Seconds for one year's answer."
)
@INDEX
@CATALOGUE
def films_fetch(
    since: int,
    until: int | None,
    languages: str,
    endpoint: str,
    delay: float,
    timeout: float,
    index_dir: Path,
    catalogue: Path | None,
) -> None:
    """Fetch films from Wikidata's query service, one query per release year, one at a
    time; finished years are recorded, so a stopped run resumes where it left off."""
    langs = tuple(split_languages(languages))
    last = until or datetime.now().year
    years = list(range(since, last + 1))
    db = open_catalogue(catalogue, index_dir)
    client = PoliteClient(default_user_agent(), delay, timeout)
    try:
        with click.progressbar(length=len(years), label="Fetching years", file=sys.stderr) as bar:
            failed = fetch_years(
                db, client, years, langs, endpoint, on_year=lambda _, __: bar.update(1)
            )
        total, people = db.counts()
        click.echo(f"The catalogue {db.path} holds {total:,} films and {people:,} people.")
    finally:
        client.close()
        db.close()
    if failed:
        for reason in failed:
            click.echo(f"  {reason}", err=True)
        raise click.ClickException(f"{len(failed)} year(s) not fetched; run again to resume.")


@films.command("search")
@click.argument("text")
@INDEX
@CATALOGUE
def films_search(text: str, index_dir: Path, catalogue: Path | None) -> None:
    """Films titled TEXT in any language (every homonym), or directed by someone so named."""
    path = catalogue_path(catalogue, index_dir)
    if path is None:
        raise click.ClickException("no film catalogue: see `filmsearch films import --help`")
    db = FilmDatabase(path, readonly=True)
    try:
        found = db.search(text)
        for film in found:
            year = f" ({film.year})" if film.year else ""
            ids = ", ".join(i for i in (film.wikidata, film.imdb) if i)
            click.secho(f"{film.title}{year}  {film.kind}  {ids}".rstrip(), bold=True)
            if film.original and film.original != film.title:
                click.echo(f"  original    {film.original}")
            directors = ", ".join(p.name for p in film.directors)
            click.echo(f"  directed by {directors or '-'}")
            by_lang: dict[str, list[str]] = {}
            for lang, title in film.titles:
                by_lang.setdefault(lang or "-", []).append(title)
            for lang, titles in sorted(by_lang.items()):
                click.echo(f"  {lang:<11} {' | '.join(titles)}")
    finally:
        db.close()
    if not found:
        raise click.ClickException(f"no film titled or directed by {text!r} in the catalogue")


if __name__ == "__main__":
    cli()
