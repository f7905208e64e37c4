"""Browse pages: every film and every person, and the passages of one, plus OpenSearch."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from .catalog import KINDS, FacetCatalog, accentless
from .directory import Directory, Film, Person
from .search import get_service

bp = Blueprint("browse", __name__)

TITLES = {"films": "Films", "people": "People"}
SINGULAR = {"films": "film", "people": "person"}


def get_catalog() -> FacetCatalog:
    """The app's FacetCatalog of films and people, created on first use."""
    catalog: FacetCatalog | None = current_app.extensions.get("filmsearch.catalog")
    if catalog is None:
        catalog = current_app.extensions["filmsearch.catalog"] = FacetCatalog(get_service())
    return catalog


def search_url(facet: str, value: str) -> str:
    """A search filtered to one facet value."""
    params: dict[str, Any] = {facet: value}
    return url_for("views.search", **params)


def person_search_url(person: Person) -> str:
    """A search for what a person said, or else about their films, or their interviews."""
    facet = "speaker" if person.passages else "director" if "director" in person.roles else ""
    return search_url(facet or "interviewer", person.name)


def entry_json(kind: str, entry: Person | Film) -> dict[str, Any]:
    """A film or a person as listings and their pages give it."""
    person = entry if isinstance(entry, Person) else None
    film = entry if isinstance(entry, Film) else None
    return {
        "name": entry.name,
        "passages": entry.passages,
        "interviews": film.interviews if film else sum(person.roles.values()) if person else 0,
        "years": entry.years,
        "roles": person.roles if person else {},
        "directors": film.directors if film else [],
        "url": url_for("browse.detail", kind=kind, name=entry.name),
        "search_url": person_search_url(person) if person else search_url("film", entry.name),
    }


def listing(kind: str, contains: str = "") -> dict[str, Any]:
    """Every film or person A-Z, with interviews, roles and years; `contains` filters names."""
    directory = get_catalog().directory()
    entries: list[Person] | list[Film] = directory.films if kind == "films" else directory.people
    needle = accentless(contains.strip())
    shown = [
        entry_json(kind, e)
        for e in entries
        if not needle
        or needle in accentless(e.name)
        or any(needle in accentless(s) for s in spellings(e))
    ]
    return {
        "ok": True,
        "kind": kind,
        "filter": contains.strip(),
        "total": len(shown),
        "entries": shown,
    }


def spellings(entry: Person | Film) -> list[str]:
    return entry.spellings if isinstance(entry, Person) else []


def detail(kind: str, name: str) -> dict[str, Any]:
    """One film or person: roles, films, interviews, and passages grouped by article."""
    catalog = get_catalog()
    directory = catalog.directory()
    entry: Person | Film | None = (
        directory.film(name) if kind == "films" else directory.person(name)
    )
    if entry is None:
        abort(404, f"No {SINGULAR[kind]} called {name} is in the index.")
    facet = KINDS[kind]
    names = [entry.name, *spellings(entry)]
    articles = []
    for written in names:
        if catalog.find(facet, written) is None:
            continue  # a director or interviewer who does not speak
        for group in catalog.passages(facet, written):
            data = asdict(group)
            data["article_url"] = url_for("views.article", article_id=group.id)
            for passage in data["passages"]:
                passage["permalink"] = url_for(
                    "views.article", article_id=group.id, _anchor=passage["anchor"]
                )
            articles.append(data)
    articles.sort(key=lambda a: a["date"] or "", reverse=True)
    appearances = []
    if isinstance(entry, Person):
        appearances = interviews(directory, directory.articles_of(entry.name))
    return {
        "ok": True,
        **entry_json(kind, entry),
        "kind": kind,
        "spellings": spellings(entry),
        "films": entry.films if isinstance(entry, Person) else [],
        "appearances": appearances,
        "articles": articles,
    }


def interviews(directory: Directory, roles: dict[int, list[str]]) -> list[dict[str, Any]]:
    """The interviews a person has a role in, newest first, with the roles."""
    found = []
    for number, held in roles.items():
        meta = directory.first_meta(number)
        found.append(
            {
                "id": meta["id"],
                "title": meta.get("title", ""),
                "publication": meta.get("publication", ""),
                "date": meta.get("date", ""),
                "films": list(meta.get("films") or []),
                "roles": held,
                "article_url": url_for("views.article", article_id=meta["id"]),
            }
        )
    found.sort(key=lambda a: (a["date"] or "", a["id"]), reverse=True)
    return found


@bp.route("/<any(films, people):kind>", endpoint="listing")
def listing_page(kind: str) -> str:
    """/films and /people, A-Z, with a filter box (`?filter=`)."""
    data = listing(kind, request.args.get("filter", ""))
    return render_template("browse.html", data=data, title=TITLES[kind])


@bp.route("/<any(films, people):kind>/<path:name>", endpoint="detail")
def detail_page(kind: str, name: str) -> str:
    """/films/<film> and /people/<name>."""
    return render_template("browse_detail.html", data=detail(kind, name), title=TITLES[kind])


@bp.route("/opensearch.xml")
def opensearch() -> Response:
    """The OpenSearch description, so browsers can add filmsearch as a search engine."""
    xml = render_template("opensearch.xml")
    return Response(xml, mimetype="application/opensearchdescription+xml")
