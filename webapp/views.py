"""HTML pages: the search page and the article page."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from indexer.schema import FACET_TABLE, FACETS, SPEAKS

from . import cite, facetlist, hitlist, links
from .browse import get_catalog
from .directory import Directory
from .home import collection
from .links import result_link, source_link
from .paging import GROUPS, SORTS
from .provenance import provenance
from .questions import answers_elsewhere, most_asked
from .results import Hit, SearchPage
from .search import get_service, request_generation
from .searchpage import PageQuery, search_page
from .syntax import syntax_help

bp = Blueprint("views", __name__)

PAGE_SIZES = (10, 20, 50)
FACET_LABELS = {f.name: f.label for f in FACET_TABLE}
GROUPINGS = dict(zip(GROUPS, ("by interview", "every passage"), strict=True))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def search_from_request() -> SearchPage:
    """Run the search the query string describes (shared by the page and the API)."""
    args, config = request.args, current_app.config
    size = _int(args.get("size"), config["PAGE_SIZE"])
    asked = PageQuery(
        q=args.get("q", ""),
        filters={name: args.getlist(name) for name in FACETS},
        page=_int(args.get("page"), 1),
        page_size=size if size in PAGE_SIZES else config["PAGE_SIZE"],
        sort=args.get("sort", "relevance"),
        group=args.get("group", "article"),
        facet_limit=config["FACET_LIMIT"],
        expanded=args.get("more", ""),
        within=args.get("within", ""),
    )
    return search_page(get_service(), request_generation(), asked, get_directory)


def get_directory() -> Directory:
    """The app's directory of films and people."""
    return get_catalog().directory()


def changed_args(**changes: Any) -> MultiDict[str, str]:
    """The current query parameters with some replaced (None removes one)."""
    args = MultiDict(request.args)
    for key, value in changes.items():
        args.poplist(key)
        if isinstance(value, list | tuple):
            args.setlist(key, list(value))
        elif value is not None:
            args[key] = value
    if "page" not in changes:
        args.poplist("page")  # a changed search starts again at page 1
    return args


def url_with(endpoint: str = "views.search", /, **changes: Any) -> str:
    """The current URL's query with some parameters replaced (None removes one).

    `_anchor` names a fragment for the URL rather than a parameter; `_external` makes it
    absolute.
    """
    anchor = changes.pop("_anchor", None)
    external = bool(changes.pop("_external", False))
    if not external:
        url = links.link(endpoint, links.changed_pairs(changes))
        return url if anchor is None else links.anchored(url, anchor)
    args = changed_args(**changes).to_dict(flat=False)
    return url_for(endpoint, _anchor=anchor, _external=external, **args)  # type: ignore[arg-type]


def hidden_args(**changes: Any) -> list[tuple[str, str]]:
    """The current query as (name, value) pairs, for a form's hidden inputs."""
    return [(k, v) for k, v in links.changed_pairs(changes) if v]


def hidden_inputs(**changes: Any) -> Markup:
    """`hidden_args` as a form's hidden inputs."""
    return Markup(
        "".join(
            f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
            for k, v in hidden_args(**changes)
        )
    )


@lru_cache(maxsize=64)
def options(choice: str, chosen: str | int) -> Markup:
    """The `<option>`s of one of the search page's choices ("sort", "group" or "size"),
    `chosen` selected: the same few on every page, written once each."""
    if choice == "size":
        return Markup("".join(f"<option{selected(n == chosen)}>{n}</option>" for n in PAGE_SIZES))
    labels = GROUPINGS if choice == "group" else {s: s for s in SORTS}
    return Markup(
        "".join(
            f'<option value="{escape(value)}"{selected(value == chosen)}>{escape(label)}</option>'
            for value, label in labels.items()
        )
    )


def selected(chosen: bool) -> str:
    """An option's `selected` attribute, when it is chosen."""
    return " selected" if chosen else ""


def toggle_url(facet: str, value: str) -> str:
    """URL that adds `value` to a facet filter, or removes it when already selected."""
    return links.toggle(facet, value)


def permalink(hit: Hit | dict[str, Any], q: str = "", external: bool = False) -> str:
    article_id = hit["article_id"] if isinstance(hit, dict) else hit.article_id
    anchor = hit["anchor"] if isinstance(hit, dict) else hit.anchor
    # what url_for builds with the anchor, from the URL without it kept once
    url = links.cached("views.article", article_id=article_id, q=q or None, _external=external)
    return links.anchored(url, anchor)


def back_to_results() -> str:
    """The search an article page was reached from, as its query string carries it."""
    return url_for("views.search", **request.args.to_dict(flat=False))  # type: ignore[arg-type]


def passage_source(article: dict[str, Any], passage: dict[str, Any]) -> cite.Source:
    """What a citation of one passage of an article says."""
    link = permalink({"article_id": article["id"], **passage}, external=True)
    return cite.source(article, passage, link)


def citations(article: dict[str, Any], passage: dict[str, Any]) -> dict[str, str]:
    """Chicago, MLA and APA citations of one passage."""
    return cite.citations(passage_source(article, passage))


@bp.app_context_processor
def helpers() -> dict[str, Any]:
    return {
        "url_with": url_with,
        "cached_url": links.cached,
        "facet_sections": facetlist.facet_sections,
        "hit_items": hitlist.hit_items,
        "citations": citations,
        "cite_formats": cite.FORMATS,
        "highwire": cite.highwire,
        "coins": cite.coins,
        "toggle_url": toggle_url,
        "permalink": permalink,
        "result_link": result_link,
        "back_to_results": back_to_results,
        "source_link": source_link,
        "provenance": provenance,
        "facet_labels": FACET_LABELS,
        "hidden_inputs": hidden_inputs,
        "options": options,
        "speaks_labels": SPEAKS,
    }


@bp.route("/")
def home() -> str:
    """What the collection is, example queries and the newest interviews; with any
    parameters, the search page (so `/?q=...` keeps working)."""
    if request.args:
        return search()
    return render_template("home.html", data=collection())


@bp.route("/search")
def search() -> str:
    results = search_from_request()
    return render_template("search.html", results=results)


@bp.route("/help/search")
def search_help() -> str:
    """What the search box accepts, each example with what it finds here."""
    return render_template("help.html", data=syntax_help(get_service()))


@bp.route("/a/<article_id>")
def article(article_id: str) -> str:
    q = request.args.get("q", "")
    service, state = get_service(), request_generation()
    data = service.article(article_id, state)
    if data is None:
        abort(404, f"Article {article_id} doesn't exist.")
    elsewhere = answers_elsewhere(state, article_id)
    return render_template(
        "article.html", article=data, q=q, mark=service.marker(q, state), elsewhere=elsewhere
    )


@bp.route("/questions")
def questions() -> str:
    """The questions asked in most interviews, with every answer to each."""
    return render_template("questions.html", data=most_asked(request_generation()))


@bp.route("/a/<article_id>/<anchor>.<any(bib, ris, json):fmt>")
def cite_download(article_id: str, anchor: str, fmt: str) -> Response:
    """One passage's citation as BibTeX, RIS or CSL-JSON, to download."""
    data = get_service().article(article_id)
    passage = next((p for p in data["passages"] if p["anchor"] == anchor), None) if data else None
    if data is None or passage is None:
        abort(404, f"Passage {article_id}#{anchor} doesn't exist.")
    found = passage_source(data, passage)
    if fmt == "bib":
        body = cite.bibtex(found)
    elif fmt == "ris":
        body = cite.ris(found)
    else:
        body = json.dumps([cite.csl(found)], ensure_ascii=False, indent=2)
    mimetype, _ = cite.FORMATS[fmt]
    response = Response(body, mimetype=mimetype)
    name = f"{article_id}-{anchor}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{quote(name)}"'
    return response


FEED_SIZE = 20  # passages in a search's Atom feed


def feed_time(day: str) -> str:
    """An RFC 3339 time for an article date (a year or month alone: its first day)."""
    parts = (day[:10].split("-") + ["01", "01"])[:3]
    return "-".join(p.zfill(2) for p in parts) + "T00:00:00Z"


def arrival_time(microseconds: int) -> str:
    """An RFC 3339 time for when an article entered the collection."""
    moment = dt.datetime.fromtimestamp(microseconds / 1_000_000, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@bp.route("/search.atom")
def feed() -> Response:
    """The passages of a search that entered the collection last, as an Atom feed for feed
    readers to follow: `updated` is when each article arrived (fetched, captured or first
    indexed), `published` its own date when it has one."""
    args = request.args
    service = get_service()
    results = service.search(
        q=args.get("q", ""), filters={name: args.getlist(name) for name in FACETS}, page_size=1
    )
    arrived = service.arrivals(results.q, results.filters, FEED_SIZE)
    entries = [
        {
            "id": permalink(hit, external=True),
            "title": f"{', '.join(hit.answerers) or hit.publication or 'Passage'}: {hit.title}",
            "source": source_link(hit.url, hit.question or hit.answer),
            "updated": arrival_time(when) if when else feed_time(hit.date or "1970"),
            "published": feed_time(hit.date) if hit.date else "",
            "authors": hit.answerers,
            "films": hit.films,
            "summary": "\n\n".join(t for t in (hit.question, hit.answer) if t),
        }
        for hit, when in arrived
    ]
    wanted = " · ".join(
        [results.q] + [f"{FACET_LABELS[n]}: {v}" for n, vs in results.filters.items() for v in vs]
    ).strip(" ·")
    data = {
        "title": wanted or "every passage",
        "self": url_with("views.feed", _external=True),
        "page": url_with("views.search", _external=True),
        "updated": max((str(e["updated"]) for e in entries), default=feed_time("1970")),
        "entries": entries,
    }
    xml = render_template("search.atom.xml", feed=data)
    return Response(xml, mimetype="application/atom+xml")
