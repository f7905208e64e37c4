"""The home page's data: what the collection holds, example queries, newest interviews."""

from __future__ import annotations

from typing import Any

from flask import url_for

from .browse import get_catalog
from .search import get_service

# Example searches offered on the home page, shown only when they find something.
EXAMPLES = (
    "casting",
    '"first film"',
    "budget",
    "music",
    "censorship",
    "childhood",
    "editing",
    "actors",
)
MAX_EXAMPLES = 4
NEWEST = 8


def collection() -> dict[str, Any]:
    """Counts of interviews, outlets, films, people and years; examples; newest interviews."""
    service = get_service()
    directory = get_catalog().directory()
    columns = service.columns()
    outlets = columns.facets["publication"].counts(columns.live)
    years = sorted(
        int(v)
        for v, n in zip(
            columns.facets["year"].values, columns.facets["year"].counts(columns.live), strict=True
        )
        if n and v.isdigit()
    )
    examples = [
        {"q": q, "passages": n, "url": url_for("views.search", q=q)}
        for q in EXAMPLES
        if (n := service.count(q))
    ][:MAX_EXAMPLES]
    top_film = max(directory.films, key=lambda f: (f.passages, f.name), default=None)
    speakers = [p for p in directory.people if "interviewee" in p.roles]
    top_person = max(speakers, key=lambda p: (p.passages, p.name), default=None)
    newest = service.search(sort="newest", group="article", page_size=NEWEST)
    return {
        "ok": True,
        "counts": {
            "interviews": directory.articles,
            "passages": int(columns.live.sum()),
            "outlets": int((outlets > 0).sum()),
            "films": len(directory.films),
            "people": len(directory.people),
        },
        "years": f"{years[0]}–{years[-1]}" if years else "",
        "examples": examples,
        "film": link("films", top_film.name) if top_film else None,
        "person": link("people", top_person.name) if top_person else None,
        "newest": [
            {
                "id": hit.article_id,
                "title": hit.title,
                "publication": hit.publication,
                "date": hit.date,
                "films": hit.films,
                "directors": hit.directors,
                "article_url": url_for("views.article", article_id=hit.article_id),
            }
            for hit in newest.hits
        ],
    }


def link(kind: str, name: str) -> dict[str, str]:
    return {"name": name, "url": url_for("browse.detail", kind=kind, name=name)}
