"""The search page's links are the URLs `url_for` would build, for any query string."""

from __future__ import annotations

import pytest
from flask import Flask, url_for
from werkzeug.datastructures import MultiDict

from indexer.schema import facet_term
from tests.conftest import sample_articles
from webapp import links
from webapp.views import result_link, toggle_url, url_with

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
