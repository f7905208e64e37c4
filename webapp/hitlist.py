"""The search page's results as HTML, written in one pass over the hits.

A template included per result and per passage cost the page more than the JSON API's
whole response: a new context per include and an escape per expression. Here each result
is one f-string; what recurs from page to page (a film's or a director's link, a
publication) is escaped once per app. `tests/test_links.py` renders the same hits with
the templates this replaced and `url_for` per link, and compares the pages byte for byte.
"""

from __future__ import annotations

from flask import current_app, request
from markupsafe import Markup, escape

from . import links
from .links import escaped
from .results import Hit

CACHED_NAMES = 20_000  # browse links kept per app before starting again
KINDS = {"films": "film", "people": "person"}  # browse kind -> the link's class


def name_link(kind: str, name: str) -> str:
    """A link to a film's or a person's page, built once per app and mount point."""
    found: dict[tuple[str, str, str], str] = current_app.extensions.setdefault("name_links", {})
    key = (request.script_root, kind, name)
    html = found.get(key)
    if html is None:
        if len(found) >= CACHED_NAMES:
            found.clear()
        url = links.cached("browse.detail", kind=kind, name=name)
        html = found[key] = f'<a class="{KINDS[kind]}" href="{escape(url)}">{escape(name)}</a>'
    return html


def hit_items(hits: list[Hit]) -> Markup:
    """Every result's list item, as `search.html` lists them."""
    return Markup("".join([hit_item(hit) for hit in hits]))


def hit_item(hit: Hit) -> str:
    """One result: its title, films, directors, publication and date, its passage and the
    other matching passages of its interview."""
    link = str(escape(links.result_link(hit)))
    meta = ", ".join([name_link("films", film) for film in hit.films])
    if hit.directors:
        meta += " · dir. " + ", ".join([name_link("people", d) for d in hit.directors])
    if hit.publication:
        meta += f" · {escaped(hit.publication)}"
    if hit.date:
        date = escaped(hit.date)
        meta += f' · <time datetime="{date}">{date}</time>'
    more = f"{more_passages(hit, link)}\n    " if hit.more else ""
    return (
        f'<li class="hit {escape(hit.speaks)}" id="{escape(hit.pid)}">\n  <article>\n'
        f'    <h3><a href="{link}">{escape(hit.title or hit.article_id)}</a></h3>\n'
        f'    <p class="meta">{meta}\n    </p>\n    {passage(hit, link)}\n    {more}\n'
        "  </article>\n</li>"
    )


def more_passages(hit: Hit, link: str) -> str:
    """The other matching passages of a result's interview, folded."""
    others = hit.matches - 1
    items = "".join(
        [
            f'<li id="{escape(p.pid)}">{passage(p, str(escape(links.result_link(p))))}</li>'
            for p in hit.more
        ]
    )
    every = (
        f'<p><a href="{link}">All {hit.matches} matching passages in the interview</a></p>'
        if others > len(hit.more)
        else ""
    )
    return (
        '\n    <details class="more-passages">\n'
        f"      <summary>{others} more passage{'' if hit.matches == 2 else 's'}"
        " from this interview</summary>\n"
        f"      <ol>\n        {items}\n      </ol>\n      {every}\n    </details>"
    )


def passage(p: Hit, link: str) -> str:
    """One passage: what kind it is, its question and answer, and its links (`link` is
    the passage on its article's page, escaped)."""
    kind = ""
    if p.speaks == "intros":
        badge = "Intro" if p.kind == "intro" else "Narrative"
        kind = (
            f'<p class="kind"><span class="badge">{badge}</span>'
            " by the publication, not the interviewee</p>\n"
        )
    elif p.speaks == "questions":
        kind = '<p class="kind"><span class="badge">Question</span> without an answer</p>'
    question = ""
    if p.question:
        askers = escape(", ".join(p.askers) or "Question")
        question = (
            f'\n<p class="question"><span class="who">{askers}:</span> {p.question_html}</p>\n'
        )
    answer = ""
    if p.answer:
        who = f'<span class="who">{escape(", ".join(p.answerers))}:</span> ' if p.answerers else ""
        answer = f'<p class="answer">{who}{p.answer_html}</p>'
    out = links.source_link(p.url, p.question or p.answer)
    source = ""
    if out:
        where = escape(p.publication or "the original site")
        source = f' · <a href="{escape(out)}" rel="noopener noreferrer">On {where}</a>'
    return (
        f'{kind}\n{question}\n{answer}\n<p class="links">\n'
        f'  <a href="{link}">Passage {escape(p.anchor)}</a>{source}\n</p>'
    )
