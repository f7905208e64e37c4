"""JSON twins of the HTML pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for

from . import browse, export
from .home import collection
from .links import source_link
from .openapi import document as openapi_document
from .questions import answers_elsewhere, most_asked
from .results import Hit, SearchPage
from .search import get_service, request_generation
from .suggest import suggest as suggestions
from .syntax import syntax_help
from .views import citations, permalink, search_from_request

bp = Blueprint("api", __name__, url_prefix="/api")


def hit_json(hit: Hit, q: str) -> dict[str, Any]:
    """One hit as JSON, with its links (and the other passages of its group, alike).

    A shallow copy of the fields: `asdict` would deep-copy every list of every hit.
    """
    data = dict(vars(hit))
    data["question_html"], data["answer_html"] = str(hit.question_html), str(hit.answer_html)
    data["permalink"] = permalink(hit, q, external=True)
    data["source_link"] = source_link(hit.url, hit.question or hit.answer)
    data["more"] = [hit_json(other, q) for other in hit.more]
    return data


def page_json(results: SearchPage) -> dict[str, Any]:
    """A SearchPage as JSON: the same data the search page renders."""
    hits = [hit_json(hit, results.q) for hit in results.hits]
    return {
        "ok": True,
        "q": results.q,
        "filters": results.filters,
        "sort": results.sort,
        "group": results.group,
        "groups": results.groups,
        "page": results.page,
        "pages": results.pages,
        "page_size": results.page_size,
        "total": results.total,
        "notice": results.notice,
        "did_you_mean": results.did_you_mean or None,
        "closest": [
            {"kind": kind, "name": name, "url": url_for("browse.detail", kind=kind, name=name)}
            for kind, name in results.closest
        ],
        "stop_words": results.stop_words,
        "results": hits,
        "facets": {
            name: [{"value": v.value, "count": v.count, "selected": v.selected} for v in values]
            for name, values in results.facets.items()
        },
        "facets_more": {f.name: f.more for f in results.facet_lists},
    }


@bp.route("/search")
def search() -> Response:
    return jsonify(page_json(search_from_request()))


@bp.route("/search.csv")
def search_csv() -> Response:
    """Every passage of a search (up to EXPORT_LIMIT) as CSV."""
    return export.export("csv")


@bp.route("/search.jsonl")
def search_jsonl() -> Response:
    """Every passage of a search (up to EXPORT_LIMIT) as JSON Lines."""
    return export.export("jsonl")


@bp.route("/home")
def home() -> Response:
    """The home page's data: collection counts, example queries, newest interviews."""
    return jsonify(collection())


@bp.route("/help/search")
def search_help() -> Response:
    """The query syntax: sections of examples, each with its search URL and count here."""
    return jsonify(syntax_help(get_service()))


@bp.route("/articles/<article_id>")
def article(article_id: str) -> Response:
    state = request_generation()
    data = get_service().article(article_id, state)
    if data is None:
        abort(404, f"Article {article_id} doesn't exist.")
    elsewhere = answers_elsewhere(state, article_id)
    for passage in data["passages"]:
        passage["citations"] = citations(data, passage)
        passage["elsewhere"] = linked(elsewhere.get(passage["anchor"], []))
    return jsonify(data)


def linked(passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Passages with their permalinks."""
    return [{**p, "permalink": permalink(p, external=True)} for p in passages]


@bp.route("/questions")
def questions() -> Response:
    """The questions asked in most interviews, with every answer to each."""
    data = most_asked(request_generation())
    for group in data["questions"]:
        group["passages"] = linked(group["passages"])
    return jsonify(data)


@bp.route("/<any(films, people):kind>")
def listing(kind: str) -> Response:
    """Every film or person A-Z, with interviews, roles and years."""
    return jsonify(browse.listing(kind, request.args.get("filter", "")))


@bp.route("/<any(films, people):kind>/<path:name>")
def detail(kind: str, name: str) -> Response:
    """One film's or person's passages, grouped by article."""
    return jsonify(browse.detail(kind, name))


@bp.route("/suggest")
def suggest() -> Response:
    """OpenSearch suggestions: [query, completions, descriptions, URLs]."""
    q = request.args.get("q", "")
    found = suggestions(get_service(), browse.get_catalog(), q)
    return jsonify(
        [
            q,
            [s.text for s in found],
            [f"{s.kind} · {s.count} passage{'' if s.count == 1 else 's'}" for s in found],
            [url_for("views.search", **s.params, _external=True) for s in found],
        ]
    )


@bp.route("/openapi.json")
def openapi() -> Response:
    """The API's OpenAPI 3 description."""
    return jsonify(openapi_document(request.url_root.rstrip("/")))
