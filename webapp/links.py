"""Links to the current search with a few parameters changed, without a route match each.

A results page carries a link per facet value, decade, page, format and result. Building
each with `url_for` matches the endpoint's route again and copies the query every time;
here an endpoint's path is found once per request and the query string is encoded
exactly as `url_for` encodes it (werkzeug's `urlencode` with the same safe characters).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

from flask import g, request, url_for

from indexer.schema import facet_term

QUERY_SAFE = "!$'()*,/:;?@"  # left unescaped in query strings, as werkzeug leaves them


def encode(pairs: Iterable[tuple[str, Any]]) -> str:
    """A query string of (name, value) pairs, as `url_for` writes one."""
    return urlencode(list(pairs), safe=QUERY_SAFE)


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
class _Facet:
    """What every link toggling one facet's values shares, worked out once per request."""

    prefix: str  # the query without this facet and the page, encoded
    values: list[str]  # the facet's selected values
    terms: set[str]  # ...as they are indexed
    adding: str  # the prefix with the selected values: a value is added after it


def toggle(facet: str, value: str) -> str:
    """The search with `value` added to a facet's filter, or removed when selected."""
    facets: dict[str, _Facet] = g.setdefault("link_facets", {})
    shared = facets.get(facet)
    if shared is None:
        prefix = encode(changed_pairs({facet: None}))
        values = request.args.getlist(facet)
        selected = join(prefix, encode((facet, v) for v in values))
        shared = facets[facet] = _Facet(prefix, values, {facet_term(v) for v in values}, selected)
    term = facet_term(value)
    if term not in shared.terms:  # not selected: the selected values, then this one
        added = f"{quote_plus(facet, safe=QUERY_SAFE)}={quote_plus(value, safe=QUERY_SAFE)}"
        return f"{path('views.search')}?{join(shared.adding, added)}"
    kept = [v for v in shared.values if facet_term(v) != term]
    query = join(shared.prefix, encode((facet, v) for v in kept))
    return f"{path('views.search')}?{query}" if query else path("views.search")


def join(*queries: str) -> str:
    """Query strings joined with `&`, the empty ones left out."""
    return "&".join(q for q in queries if q)


def cached(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)`, built once per request for the same values."""
    urls: dict[tuple[str, tuple[tuple[str, Any], ...]], str] = g.setdefault("link_urls", {})
    key = (endpoint, tuple(values.items()))
    found = urls.get(key)
    if found is None:
        found = urls[key] = url_for(endpoint, **values)
    return found
