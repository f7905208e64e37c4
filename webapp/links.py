"""Links to the current search with a few parameters changed, without a route match each.

A results page carries a link per facet value, decade, page, format and result. Building
each with `url_for` matches the endpoint's route again and copies the query every time;
here an endpoint's path is found once per request and the query string is encoded
exactly as `url_for` encodes it (werkzeug's `urlencode` with the same safe characters).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus, urlsplit

from flask import current_app, g, request, url_for
from markupsafe import Markup, escape

from indexer.schema import facet_term

if TYPE_CHECKING:
    from .facets import FacetList
    from .results import Hit

QUERY_SAFE = "!$'()*,/:;?@"  # left unescaped in query strings, as werkzeug leaves them
ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"  # left unescaped in a fragment, as `url_for` leaves them
CACHED_URLS = 20_000  # URLs `cached` keeps per app before starting again
# a facet value's link attributes, box and hidden words, chosen or not (`facet_items`)
SELECTED = ('class="selected" aria-current="true"', "☑", ", selected")
UNSELECTED = ('class=""', "☐", "")


def encode(pairs: Iterable[tuple[str, Any]]) -> str:
    """A query string of (name, value) pairs, as `url_for` writes one (werkzeug's
    `urlencode`: each name and value quoted as text, `quote_plus` with QUERY_SAFE), the
    quoted form of each text kept once."""
    return "&".join(f"{quoted(str(k))}={quoted(str(v))}" for k, v in pairs)


def path(endpoint: str) -> str:
    """The path of an endpoint without path variables, looked up once per request."""
    paths: dict[str, str] = g.setdefault("link_paths", {})
    found = paths.get(endpoint)
    if found is None:
        found = paths[endpoint] = url_for(endpoint)
    return found


def link(endpoint: str, pairs: Iterable[tuple[str, Any]]) -> str:
    """`endpoint`'s path with a query of `pairs`: what `url_for(endpoint, **args)` gives."""
    query = encode(pairs)
    return f"{path(endpoint)}?{query}" if query else path(endpoint)


def changed_pairs(changes: dict[str, Any]) -> list[tuple[str, Any]]:
    """The current query's (name, value) pairs with some replaced (None removes one); a
    changed parameter moves to the end, and `page` goes unless it is one of the changes."""
    dropped = set(changes) if "page" in changes else {*changes, "page"}
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k not in dropped]
    for key, value in changes.items():
        if isinstance(value, list | tuple):
            pairs += [(key, v) for v in value]
        elif value is not None:
            pairs.append((key, value))
    return pairs


@dataclass
class FacetQuery:
    """What every link toggling one facet's values shares, worked out once per request."""

    prefix: str  # the query without this facet and the page, encoded
    values: list[str]  # the facet's selected values
    terms: set[str]  # ...as they are indexed
    adding: str  # the prefix with the selected values: a value is added after it


def facet_query(facet: str) -> FacetQuery:
    """What every link toggling `facet`'s values shares, once per request."""
    facets: dict[str, FacetQuery] = g.setdefault("link_facets", {})
    shared = facets.get(facet)
    if shared is None:
        prefix = encode(changed_pairs({facet: None}))
        values = request.args.getlist(facet)
        selected = join(prefix, encode((facet, v) for v in values))
        terms = {facet_term(v) for v in values}
        shared = facets[facet] = FacetQuery(prefix, values, terms, selected)
    return shared


def toggle(facet: str, value: str) -> str:
    """The search with `value` added to a facet's filter, or removed when selected."""
    shared = facet_query(facet)
    term = facet_term(value)
    if term not in shared.terms:  # not selected: the selected values, then this one
        added = f"{quoted(facet)}={quoted(value)}"
        return f"{path('views.search')}?{join(shared.adding, added)}"
    kept = [v for v in shared.values if facet_term(v) != term]
    query = join(shared.prefix, encode((facet, v) for v in kept))
    return f"{path('views.search')}?{query}" if query else path("views.search")


@lru_cache(maxsize=50_000)
def quoted(text: str) -> str:
    """`text` as a query string writes a name or value (facet values recur on every page)."""
    return quote_plus(text, safe=QUERY_SAFE)


@lru_cache(maxsize=50_000)
def quoted_html(text: str) -> str:
    """`quoted(text)` escaped for an HTML attribute."""
    return str(escape(quoted(text)))


@lru_cache(maxsize=50_000)
def escaped(text: str) -> str:
    """`text` escaped for HTML, kept once (facet values and names recur from page to page)."""
    return str(escape(text))


def anchored(url: str, anchor: str) -> str:
    """`url` with a fragment, as `url_for(..., _anchor=anchor)` adds it."""
    return f"{url}#{quote(anchor, safe=ANCHOR_SAFE)}"


def facet_items(facet: FacetList, labels: dict[str, str]) -> Markup:
    """The list items of one facet's values on the search page (`facetlist.section`),
    each linking to the search with the value toggled, in one pass over what the search
    computed. `labels` name values of `speaks`."""
    name = facet.name
    shared = facet_query(name)
    # a value not selected links to the search with the selected values and it: one
    # escaped beginning for them all (escaping goes character by character)
    adding = f"{path('views.search')}?{join(shared.adding, quoted(name) + '=')}"
    beginning = str(escape(adding))
    speaks = name == "speaks"
    items = []
    for fv in facet.values:
        count = fv.count
        state = SELECTED if fv.selected else UNSELECTED
        if facet_term(fv.value) in shared.terms:
            href = str(escape(toggle(name, fv.value)))
        else:
            href = beginning + quoted_html(fv.value)
        label = escaped(labels.get(fv.value, fv.value) if speaks else fv.value)
        items.append(
            f'\n    <li><a href="{href}" {state[0]}>'
            f'\n      <span class="box" aria-hidden="true">{state[1]}</span>'
            f'\n      <span class="value">{label}</span>'
            f' <span class="count">{count}<span class="visually-hidden">'
            f" passage{'' if count == 1 else 's'}{state[2]}</span></span></a></li>\n    "
        )
    return Markup("".join(items))


def join(*queries: str) -> str:
    """Query strings joined with `&`, the empty ones left out."""
    return "&".join(q for q in queries if q)


def cached(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)`, built once for the same values under the same root
    (the app's routes do not change; the root is where the app is mounted, and for an
    absolute URL the scheme and host too)."""
    urls: dict[tuple[Any, ...], str] = current_app.extensions.setdefault("link_urls", {})
    # an absolute URL names the scheme and host the request came to, too
    root = request.host_url if values.get("_external") else ""
    key = (request.script_root, root, endpoint, *values.items())
    found = urls.get(key)
    if found is None:
        if len(urls) >= CACHED_URLS:
            urls.clear()
        found = urls[key] = url_for(endpoint, **values)
    return found


def result_link(hit: Hit) -> str:
    """A result's passage, carrying the search (filters, sort, page) for "Back to results"."""
    query: str | None = g.get("result_query")
    if query is None:  # the same for every result of the page: encoded once
        page = request.args.get("page")
        query = g.result_query = encode(changed_pairs({"more": None, "within": None, "page": page}))
    page_url = cached("views.article", article_id=hit.article_id)
    return anchored(f"{page_url}?{query}" if query else page_url, hit.anchor)


def source_link(url: str, opening: str) -> str:
    """The original page, scrolled by a text fragment to the passage's opening words."""
    if urlsplit(url).scheme not in ("http", "https"):
        return ""  # never link to javascript: or data: URLs from corpus metadata
    words = " ".join(opening.split()[:8])
    if not words:
        return url
    # Text directives must also encode '-', '&' and ','.
    fragment = quote(words, safe="").replace("-", "%2D")
    return f"{url.split('#')[0]}#:~:text={fragment}"
