"""The search page's links are the URLs `url_for` would build, for any query string."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from flask import Flask, current_app, request, url_for
from jinja2 import FileSystemLoader
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from indexer.schema import facet_term
from tests.conftest import sample_articles
from webapp import facetlist, hitlist, links, views
from webapp.paging import GROUPS, SORTS
from webapp.views import (
    changed_args,
    hidden_args,
    permalink,
    result_link,
    toggle_url,
    url_with,
)

QUERIES = [
    "",
    "q=censorship",
    "q=a+b&film=Never+Sorry&film=Lumen&page=3",
    "film=Lumen&q=x&film=rojo&sort=newest&page=2&more=film&within=lu",
    "q=%22freedom+of%22+-china&speaker=Ai+Weiwei&year=2012&group=passage",
    "q=caf%C3%A9+%26+co%3D1%2B2%23x&publication=Cin%C3%A9ma+%2F+Borders",
    "year=2012&year=2011&year=",
]
VALUES = ["Lumen", "lumen", "Never Sorry", "Ai Weiwei", "Cinéma / Borders", "2012", "a&b=c#d+e"]


def old_toggle(facet: str, value: str, args: MultiDict[str, str]) -> str:
    """The route lookup `toggle_url` replaced, kept here as the reference."""
    values = args.getlist(facet)
    kept = [v for v in values if facet_term(v) != facet_term(value)]
    changed = MultiDict(args)
    changed.poplist(facet)
    changed.setlist(facet, kept if len(kept) < len(values) else [*values, value])
    changed.poplist("page")
    return url_for("views.search", **changed.to_dict(flat=False))  # type: ignore[arg-type]


@pytest.mark.parametrize("query", QUERIES)
def test_links_match_url_for(app: Flask, query: str) -> None:
    with app.test_request_context(f"/search?{query}") as ctx:
        args = ctx.request.args
        for facet in ("film", "speaker", "year", "publication"):
            for value in VALUES:
                assert toggle_url(facet, value) == old_toggle(facet, value, args)
        for changes in ({}, {"page": 4}, {"q": "x y"}, {"more": None, "within": None}):
            expected = MultiDict(args)
            for key, value in changes.items():
                expected.poplist(key)
                if value is not None:
                    expected[key] = value
            if "page" not in changes:
                expected.poplist("page")
            old_hidden = [(k, v) for k, v in expected.items(multi=True) if v]
            assert hidden_args(**changes) == old_hidden
            for endpoint in ("views.search", "api.search", "views.feed"):
                want = url_for(endpoint, **expected.to_dict(flat=False))  # type: ignore[arg-type]
                assert url_with(endpoint, **changes) == want
                assert links.link(endpoint, links.changed_pairs(changes)) == want
        hit = sample_articles()[0].passages[0]
        fake = type("Hit", (), {"article_id": "a/b c", "anchor": hit.anchor})()
        page = args.get("page")
        expected = MultiDict(args)
        for key in ("more", "within", "page"):
            expected.poplist(key)
        if page is not None:
            expected["page"] = page
        want = url_for(
            "views.article",
            article_id="a/b c",
            _anchor=hit.anchor,
            **expected.to_dict(flat=False),  # type: ignore[arg-type]
        )
        assert result_link(fake) == want  # type: ignore[arg-type]


# The search page's partials as templates wrote them before `hitlist` and `facetlist`
# (`_facets.html` with its loop over the values before `links.facet_items`).
REFERENCE = Path(__file__).parent / "fixtures" / "templates"

PAGES = [
    "/search",
    "/search?q=censorship",
    "/search?q=film&film=Never+Sorry&speaks=answers&page=2",
    "/search?q=the&speaker=Ai+Weiwei&year=2012&more=speaker&group=passage",
    "/search?q=camera&more=film&within=o&sort=newest",
    "/search?publication=Nobody+%26+Co&year=1999&director=x%2Fy",
]


def old_url_with(endpoint: str = "views.search", /, **changes: Any) -> str:
    """`url_with` as `url_for` built it, for every link."""
    anchor = changes.pop("_anchor", None)
    external = bool(changes.pop("_external", False))
    args = changed_args(**changes).to_dict(flat=False)
    return url_for(endpoint, _anchor=anchor, _external=external, **args)  # type: ignore[arg-type]


def old_result_link(hit: Any) -> str:
    """`result_link` as `url_for` built it."""
    query = links.encode(
        links.changed_pairs({"more": None, "within": None, "page": request.args.get("page")})
    )
    page_url, _, anchor = url_for(
        "views.article", article_id=hit.article_id, _anchor=hit.anchor
    ).partition("#")
    return f"{page_url}?{query}#{anchor}" if query else f"{page_url}#{anchor}"


def reference(name: str, **context: Any) -> Markup:
    """A reference template rendered with `url_for` for every link."""
    env = current_app.jinja_env.overlay(loader=FileSystemLoader(REFERENCE))
    current_app.update_template_context(context)
    context |= {
        "cached_url": url_for,
        "url_with": old_url_with,
        "result_link": old_result_link,
        "toggle_url": lambda name, value: old_toggle(name, value, request.args),
        "hidden_args": old_hidden_args,
    }
    return Markup(env.get_template(name).render(context))


def old_hidden_args(**changes: Any) -> list[tuple[str, str]]:
    """`hidden_args` from the query changed as `url_for`'s arguments."""
    return [(k, v) for k, v in changed_args(**changes).items(multi=True) if v]


def old_hidden_inputs(**changes: Any) -> Markup:
    """A form's hidden inputs as the template's loop wrote them."""
    return reference("_hidden.html", pairs=old_hidden_args(**changes))


def old_options(choice: str, chosen: str | int) -> Markup:
    """A choice's options as the template's loops wrote them."""
    groupings = dict(zip(GROUPS, ("by interview", "every passage"), strict=True))
    lists = {"sorts": list(SORTS), "groupings": groupings, "page_sizes": views.PAGE_SIZES}
    return reference("_options.html", choice=choice, chosen=chosen, **lists)


@pytest.mark.parametrize("page", PAGES)
def test_search_page_is_the_page_url_for_built(
    app: Flask, page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search page, its results and facet lists written in one pass and its links
    from cached parts, is byte for byte the page built with templates and `url_for`."""
    client = app.test_client()
    client.get(page)  # every cache filled
    fast = client.get(page)
    assert fast.status_code == 200
    monkeypatch.setattr(hitlist, "hit_items", lambda hits: reference("_hits.html", hits=hits))
    monkeypatch.setattr(facetlist, "facet_sections", lambda r: reference("_facets.html", results=r))
    monkeypatch.setattr(links, "cached", lambda endpoint, **values: url_for(endpoint, **values))
    monkeypatch.setattr(views, "url_with", old_url_with)
    monkeypatch.setattr(views, "hidden_inputs", old_hidden_inputs)
    monkeypatch.setattr(views, "options", old_options)
    slow = client.get(page)
    assert fast.data == slow.data
    text = fast.get_data(as_text=True)
    if "film=Never" in page:  # a selected value and others, each with its link
        assert 'class="selected" aria-current="true"' in text
        assert len(re.findall(r'<a href="/search\?[^"]*" class="">', text))
    if page == "/search":  # every passage: results, each facet's values and decades
        soup = BeautifulSoup(text, "html.parser")
        assert soup.select("li.hit .links a") and soup.select("details.more-passages li")
        assert len(soup.select("section.facet")) >= 5 and soup.select("ul.decades li")


def test_a_query_string_is_encoded_as_urlencode_encodes_it() -> None:
    pairs = [("q", '"freedom of" -china'), ("film", "Cinéma / Borders"), ("page", 3)]
    pairs += [("x", "a&b=c#d+e%f g'!*()~"), ("é", ""), ("year", "2012")]
    for n in range(len(pairs) + 1):
        assert links.encode(pairs[:n]) == urlencode(pairs[:n], safe=links.QUERY_SAFE)


def test_permalinks_match_url_for(app: Flask) -> None:
    """Kept URLs are told apart by the scheme, host and mount point a request came to."""
    for base in ["http://localhost/", "https://example.org/films/", "http://localhost/"]:
        with app.test_request_context("/search?q=x", base_url=base):
            cases = [("a/b c", "q1", ""), ("x", "p 2#", "camera & co"), ("é", "", "")]
            for article_id, anchor, q in cases:
                hit = {"article_id": article_id, "anchor": anchor}
                for external in (False, True):
                    want = url_for(
                        "views.article",
                        article_id=article_id,
                        q=q or None,
                        _anchor=anchor,
                        _external=external,
                    )
                    assert permalink(hit, q, external) == want
