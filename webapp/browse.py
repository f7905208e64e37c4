"""Browse pages: every film and every person, and the passages of one, plus OpenSearch."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, url_for

from .catalog import KINDS, Catalog
from .search import get_service

bp = Blueprint("browse", __name__)

TITLES = {"films": "Films", "people": "People"}
SINGULAR = {"films": "film", "people": "person"}


def get_catalog() -> Catalog:
    """The app's Catalog of films and people, created on first use."""
    catalog: Catalog | None = current_app.extensions.get("filmsearch.catalog")
    if catalog is None:
        catalog = current_app.extensions["filmsearch.catalog"] = Catalog(get_service())
    return catalog


def search_url(facet: str, value: str) -> str:
    """A search filtered to one facet value."""
    params: dict[str, Any] = {facet: value}
    return url_for("views.search", **params)


def listing(kind: str) -> dict[str, Any]:
    """Every film or person with passage counts, as JSON and as the page shows it."""
    facet = KINDS[kind]
    entries = [
        {
            "name": e.name,
            "passages": e.count,
            "url": url_for("browse.detail", kind=kind, name=e.name),
            "search_url": search_url(facet, e.name),
        }
        for e in get_catalog().entries(facet)
    ]
    return {"ok": True, "kind": kind, "total": len(entries), "entries": entries}


def detail(kind: str, name: str) -> dict[str, Any]:
    """One film's or person's passages grouped by article; 404 when unknown."""
    facet = KINDS[kind]
    catalog = get_catalog()
    entry = catalog.find(facet, name)
    if entry is None:
        abort(404, f"No {SINGULAR[kind]} called {name} is in the index.")
    articles = []
    for group in catalog.passages(facet, entry.name):
        data = asdict(group)
        data["article_url"] = url_for("views.article", article_id=group.id)
        for passage in data["passages"]:
            passage["permalink"] = url_for(
                "views.article", article_id=group.id, _anchor=passage["anchor"]
            )
        articles.append(data)
    return {
        "ok": True,
        "kind": kind,
        "name": entry.name,
        "passages": entry.count,
        "search_url": search_url(facet, entry.name),
        "articles": articles,
    }


@bp.route("/<any(films, people):kind>", endpoint="listing")
def listing_page(kind: str) -> str:
    """/films and /people."""
    return render_template("browse.html", data=listing(kind), title=TITLES[kind])


@bp.route("/<any(films, people):kind>/<path:name>", endpoint="detail")
def detail_page(kind: str, name: str) -> str:
    """/films/<film> and /people/<name>."""
    return render_template("browse_detail.html", data=detail(kind, name), title=TITLES[kind])


@bp.route("/opensearch.xml")
def opensearch() -> Response:
    """The OpenSearch description, so browsers can add filmsearch as a search engine."""
    xml = render_template("opensearch.xml")
    return Response(xml, mimetype="application/opensearchdescription+xml")
