"""The search page's facet lists as HTML, written in one pass over what the search counted.

What a facet's section says around its values (heading, labels, the search within its
values) is the same on every page and is written once per facet; the links are encoded
from the parts of the query every link of the page shares (`links`). `tests/test_links.py`
renders the same lists with the template this replaced and `url_for` per link, and
compares the pages byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import g
from markupsafe import Markup, escape

from indexer.schema import FACET_TABLE, SPEAKS

from . import links
from .facets import Decade, FacetList
from .results import SearchPage

LABELS = {f.name: f.label for f in FACET_TABLE}
SEARCH = "views.search"


@dataclass(frozen=True)
class Frame:
    """What one facet's section writes around its values, whatever the search; a pair is
    what comes before and after the one part that changes."""

    heading: str  # the section's opening and its heading
    form: tuple[str, str]  # the search within its values, around its action
    within: tuple[str, str]  # ...from its hidden inputs on, around the text searched for
    decades: str  # the decades' list, opening
    empty: tuple[str, str]  # "No ... matches", around the text searched for


@lru_cache(maxsize=64)
def frame(name: str, label: str) -> Frame:
    """The fixed parts of facet `name`'s section."""
    n, title, lower = escape(name), escape(label), escape(label.lower())
    return Frame(
        heading=(
            f'\n<section class="facet" id="facet-{n}" aria-labelledby="facet-{n}-title">\n'
            f'  <h2 id="facet-{n}-title">{title}</h2>\n  '
        ),
        form=(
            '\n  <form class="facet-search" method="get" action="',
            f'#facet-{n}" role="search" aria-label="Find a {lower}" data-facet="{n}">\n    ',
        ),
        within=(
            f'\n    <label for="within-{n}" class="visually-hidden">Find a {lower}</label>\n'
            f'    <input id="within-{n}" name="within" type="search" value="',
            f'" placeholder="Find a {lower}…" autocomplete="off">\n'
            '    <button type="submit" class="small">Find</button>\n  </form>\n  ',
        ),
        decades=f'\n  <ul class="decades" aria-label="{title} by decade">\n    ',
        empty=(f'<li class="empty">No {lower} matches “', "”.</li>"),
    )


def facet_sections(results: SearchPage) -> Markup:
    """Every facet with values (or searched within) as its section on the search page."""
    return Markup("".join([section(f) for f in results.facet_lists if f.values or f.within]))


def unpaged() -> str:
    """The current query without `more`, `within` and `page`, encoded once per request."""
    query: str | None = g.get("unpaged_query")
    if query is None:
        query = g.unpaged_query = links.encode(links.changed_pairs({"more": None, "within": None}))
    return query


def unpaged_inputs() -> str:
    """The current query without `more`, `within` and `page` as a form's hidden inputs,
    written once per request."""
    inputs: str | None = g.get("unpaged_inputs")
    if inputs is None:
        pairs = links.changed_pairs({"more": None, "within": None})
        inputs = g.unpaged_inputs = "".join(
            f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in pairs if v
        )
    return inputs


def section(f: FacetList) -> str:
    """One facet's section: the search within its values, its decades, its values and
    the link to show more or fewer of them."""
    parts = frame(f.name, LABELS[f.name])
    search = links.path(SEARCH)
    html = [parts.heading]
    searched = escape(f.within)
    if f.more or f.expanded:
        # the query with this facet's values all shown, `more` last
        hidden = f'{unpaged_inputs()}<input type="hidden" name="more" value="{escape(f.name)}">'
        html += [parts.form[0], escape(search), parts.form[1], hidden]
        html += [parts.within[0], searched, parts.within[1]]
    html.append("\n  ")
    if f.decades:
        prefix = links.facet_query(f.name).prefix
        html += [parts.decades, *(decade(d, search, prefix) for d in f.decades), "\n  </ul>\n  "]
    html += ["\n  <ul>\n    ", links.facet_items(f, SPEAKS), "\n    "]
    if not f.values:
        html += [parts.empty[0], searched, parts.empty[1]]
    html.append("\n  </ul>\n  ")
    if f.more or f.expanded:
        html.append(f'\n  <a class="more" href="{more_link(f, search)}">{more_text(f)}</a>\n  ')
    html.append("\n</section>\n")
    return "".join(html)


def more_text(f: FacetList) -> str:
    """What the link under a facet's values offers."""
    return "Show more" if f.more else "Show fewer"


def more_link(f: FacetList, search: str) -> Markup:
    """The search (at path `search`) with facet `f` showing all its values, or (when it
    does) its top ones, escaped."""
    query = unpaged()
    if f.more:
        query = links.join(query, f"more={links.quoted(f.name)}")
    url = f"{search}?{query}" if query else search
    return escape(links.anchored(url, f"facet-{f.name}"))


def decade(d: Decade, search: str, prefix: str) -> str:
    """One decade of the year facet, linking to the search (at path `search`, with the
    query `prefix` without years or page) with its years toggled."""
    query = links.join(prefix, links.encode(("year", y) for y in d.toggled))
    url = f"{search}?{query}" if query else search
    chosen = 'class="selected" aria-current="true"' if d.selected else 'class=""'
    return (
        f'\n    <li><a href="{escape(url)}" {chosen}>\n'
        f'      <span class="box" aria-hidden="true">{"☑" if d.selected else "☐"}</span>\n'
        f'      <span class="value">{escape(d.label)}</span>'
        f' <span class="count">{d.count}</span></a></li>\n    '
    )
