"""Compose the pure pipeline: Source -> extract -> interview -> entities -> Article."""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

from indexer.dialogue.interview import parse_interview
from indexer.dialogue.roles import Hints
from indexer.entities.catalog import Catalog
from indexer.entities.decide import decide
from indexer.entities.filmdb import FilmDatabase
from indexer.entities.films import (
    FilmEvidence,
    body_text,
    film_candidates,
    film_evidence,
    normalize_title,
    patterned_titles,
    without_headline,
)
from indexer.entities.pagefacts import page_authors, page_publication
from indexer.entities.titles import Page
from indexer.linear import Models, default_models
from indexer.model import INTERVIEWEE, Article, Block, Document, Guess, Source, Turn, unique
from indexer.read.extract import extract_document
from indexer.read.headline import url_parts
from indexer.read.sources import SourceError, read_source
from indexer.text.names import fold, looks_like_name

LOGGER = logging.getLogger(__name__)
TITLE_BYLINE = re.compile(r",?\s+by\s+(?P<name>[A-Z][^,|–—]{3,60})$")


def parse_file(
    path: Path,
    corpus: Path,
    catalog: Catalog | None = None,
    filmdb: FilmDatabase | None = None,
) -> Article:
    """Read and parse one corpus file; raise SourceError when it cannot be understood."""
    article = parse_source(read_source(path, corpus), catalog=catalog, filmdb=filmdb)
    try:
        article.source = str(path.relative_to(corpus))
    except ValueError:
        article.source = path.name
    return article


def parse_source(
    source: Source,
    models: Models | None = None,
    catalog: Catalog | None = None,
    explain: bool = False,
    filmdb: FilmDatabase | None = None,
) -> Article:
    """Parse a decoded source into an Article; sidecar fields override what was found.

    `models` are the fitted weights to decide with (the committed ones by default),
    `catalog` the collection's film list, `explain` keeps every candidate's features, and
    `filmdb` is the film catalogue candidates are linked to."""
    try:
        return parse_unguarded(source, models or default_models(), catalog, explain, filmdb)
    except SourceError:
        raise
    except Exception as exc:
        # Messy input must not crash an index build: report it as an unreadable file.
        LOGGER.warning("cannot parse %s: %s", source.path, exc)
        raise SourceError(source.path, f"cannot parse: {exc}") from exc


def parse_unguarded(
    source: Source,
    models: Models,
    catalog: Catalog | None = None,
    explain: bool = False,
    filmdb: FilmDatabase | None = None,
) -> Article:
    """The parse itself, with no catch-all: any error but SourceError is a parser bug."""
    side = source.sidecar
    doc = extract_document(source)
    if not any(b.text.strip() for b in doc.blocks):
        raise SourceError(source.path, "no text found")
    title = side.get("title") or doc.title
    url = side.get("url") or doc.url
    # The page's description (a standfirst kept outside the body) names film and director too.
    blocks = [*doc.blocks, *([Block(doc.description)] if doc.description else [])]
    # What the page says for each span that may be its film: read once, for the subject's
    # hint and the entities alike, each weighing it with the people it knows.
    evidence = film_evidence(title, blocks, without_headline(title, blocks))
    hints, found_in_text = page_hints(source, doc, evidence)
    authors, publication = hints.authors, hints.publication
    interview = parse_interview(doc, hints, models)
    if not side.get("title") and opens_a_turn(title, interview.turns):
        # A page without a headline: its top line was the interview's first question.
        doc.notes.append(f"no headline: {title!r} opens a turn of the interview")
        title = ""
    people = unique(
        [*interview.interviewees, *interview.interviewers, *hints.interviewees, *authors]
    )
    page = Page(title, blocks, url, people, doc.films, evidence=evidence)
    interviewers = unique([*interview.interviewers, *authors])
    # "THE PROJECTIONIST #88": a newsletter names itself like a film; its address tells.
    outlets = [o for o in (publication, url_parts(url)["host"]) if o]
    found = decide(
        page,
        interview.turns,
        interview.interviewees,
        interviewers,
        outlets,
        models,
        catalog,
        filmdb,
    )
    article = Article(
        id=source.article_id,
        source=source.path.name,
        title=title,
        url=url,
        publication=publication,
        authors=authors,
        date=side.get("date") or doc.date,
        language=side.get("language") or doc.language,
        is_qa=interview.is_qa,
        captured=side.get("captured", ""),
        fetched=side.get("fetched", ""),
        archive=str(side.get("archive") or ""),
        wayback=str(side.get("wayback") or ""),
        turns=interview.turns,
        passages=interview.passages,
        # The sidecar's aliases win over the catalogue's.
        aliases={**found.aliases, **dict(side.get("aliases") or {})},
        film_candidates=found.film_guesses if explain else strip(found.film_guesses),
        director_candidates=found.director_guesses if explain else strip(found.director_guesses),
    )
    article.notes = [*doc.notes, *found_in_text, *interview.notes]
    article.problems = list(source.problems)
    for name in ("films", "directors"):
        if side.get(name):
            values, how = list(side[name]), "sidecar"
        elif getattr(doc, name):
            values, how = unique(getattr(doc, name)), "structured data"
        else:
            values, how = getattr(found, name), found.decided_by.get(name, "")
            article.notes += [n for n in found.notes if n.startswith(name[:-1])]
        if how in ("sidecar", "structured data"):
            article.notes.append(f"{name} from the {how}")
        setattr(article, name, values)
        article.decided_by[name] = how if values else ""
    if article.decided_by["films"] != "sidecar":
        article.films = unique(normalize_title(f) for f in article.films)
    article.interviewers = list(side.get("interviewers") or interview.interviewers)
    article.interviewees = list(side.get("interviewees") or interview.interviewees)
    if not article.interviewees and not interview.is_qa and interview.turns == []:
        article.interviewees = [d for d in article.directors]
    apply_aliases(article)
    return article


def opens_a_turn(title: str, turns: list[Turn]) -> bool:
    """The title is the whole first paragraph of a turn: a question, never a headline."""
    key = fold(title)
    return bool(key) and any(fold(t.text.split("\n\n", 1)[0]) == key for t in turns)


def strip(guesses: list[Guess]) -> list[Guess]:
    """Candidates without their feature values, the best ten: what `inspect` shows."""
    return [Guess(g.value, g.score, g.cue, confirmed=g.confirmed) for g in guesses[:10]]


def page_hints(
    source: Source, doc: Document, evidence: FilmEvidence | None = None
) -> tuple[Hints, list[str]]:
    """What the page and its sidecar say about title, publication and people, and notes
    on what was found in the text itself. `evidence` is what the page says for each span
    that may be its film (`film_evidence`), reused when it was read from the same text."""
    side = source.sidecar
    title = side.get("title") or doc.title
    authors = list(side.get("authors") or doc.authors)
    byline = TITLE_BYLINE.search(title)
    if not authors and byline and looks_like_name(byline.group("name")):
        authors = [byline.group("name")]  # "Interview with X, by Olivier Barlet"
    found_in_text: list[str] = []
    if not authors and not side.get("interviewers"):
        authors = page_authors(doc.blocks)  # "By Ann Lee", "... is written by Ann Lee"
        found_in_text += [f"author {a!r} from a byline in the text" for a in authors]
    publication = side.get("publication") or doc.publication
    if not publication and (publication := page_publication(doc.blocks)):
        found_in_text.append(f"publication {publication!r} named by the page's own text")

    @cache
    def films() -> set[str]:
        """The page's likeliest films, which are never its guest."""
        text = "\n".join(b.text for b in doc.blocks)
        likeliest = film_candidates(title, doc.blocks, text, evidence=evidence).most_common(2)
        body = evidence.text if evidence else body_text(title, doc.blocks, text)
        return {fold(f) for f, _ in likeliest} & patterned_titles(title, body)

    hints = Hints(
        films=films,
        title=title,
        slug=url_parts(side.get("url") or doc.url)["slug"],
        publication=publication,
        authors=authors,
        interviewers=list(side.get("interviewers") or []),
        interviewees=list(side.get("interviewees") or []),
    )
    return hints, found_in_text


def apply_aliases(article: Article) -> None:
    """Sidecar aliases (variant -> canonical) rename speakers, films and directors."""
    if not article.aliases:
        return
    table = {fold(k): v for k, v in article.aliases.items()}

    def rename(name: str) -> str:
        return table.get(fold(name), name)

    article.rename(rename, rename)
    for turn in article.turns:
        if turn.role == INTERVIEWEE and turn.speaker not in article.interviewees:
            article.interviewees.append(turn.speaker)
