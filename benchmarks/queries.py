"""The query mix: the same searches, by class, for every engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from .generate import ANCHORS, make_cast


@dataclass(frozen=True)
class Search:
    """One search as a user makes it: words in our syntax and facet filters."""

    cls: str
    q: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    # the parts, so other engines can build the same query in their own syntax
    terms: tuple[str, ...] = ()
    op: str = "and"  # and | or | phrase | prefix | field | all
    field: str = ""


CLASSES = (
    "rare term",
    "medium term",
    "common term",
    "two-term AND",
    "OR of two terms",
    "phrase",
    "field filter",
    "prefix",
    "one facet filter",
    "two facet filters",
    "empty query",
)


def query_mix(seed: int = 7) -> list[Search]:
    """Four searches per class, built from the generator's cast and its ranked words."""
    cast = make_cast(seed)
    words = cast.words
    director = cast.films[0][1]
    pubs = ["Reel Notes", "Cinema Review", "Frame Weekly", "Screen Quarterly"]
    years = ["1999", "2004", "2012", "1987"]
    mix: list[Search] = []

    def add(cls: str, q: str, terms: tuple[str, ...], op: str = "and", **kw: object) -> None:
        mix.append(Search(cls, q, terms=terms, op=op, **kw))  # type: ignore[arg-type]

    for w in ("lighthouse", "censorship", words[9_000], words[12_000]):
        add("rare term", w, (w,))
    for w in ("festival", "budget", words[700], words[1_500]):
        add("medium term", w, (w,))
    for w in ("film", "camera", words[5], words[8]):
        add("common term", w, (w,))
    for a, b in (("camera", "story"), ("actor", "light"), ("film", "festival"), ("light", "story")):
        add("two-term AND", f"{a} {b}", (a, b))
    for a, b in (
        ("festival", "budget"),
        ("camera", "actor"),
        ("story", "editing"),
        ("light", "budget"),
    ):
        add("OR of two terms", f"{a} OR {b}", (a, b), "or")
    for a, b in (("new", "film"), ("film", "camera"), ("camera", "film"), ("actor", "film")):
        add("phrase", f'"{a} {b}"', (a, b), "phrase")
    surnames = [p.split()[-1].lower() for p in (director, cast.interviewers[0], cast.people[0])]
    for name in surnames:
        add("field filter", f"speaker:{name}", (name,), "field", field="speaker")
    add("field filter", "film:story", ("story",), "field", field="film")
    prefixes = [words[3][:3], "cam", words[50][:3], words[20][:2]]
    for p in prefixes:
        add("prefix", f"{p}*", (p,), "prefix")
    for w, y in zip(("film", "story", "festival", "camera"), years, strict=True):
        add("one facet filter", w, (w,), filters={"year": [y]})
    for w, p, y in zip(("film", "light", "actor", "camera"), pubs, years, strict=True):
        add("two facet filters", w, (w,), filters={"publication": [p], "year": [y]})
    add("empty query", "", (), "all")
    add("empty query", "", (), "all", filters={"year": [years[0]]})
    add("empty query", "", (), "all", filters={"director": [director]})
    add("empty query", "", (), "all", filters={"publication": [pubs[1]]})
    assert set(ANCHORS) >= {"lighthouse", "censorship", "festival", "budget"}
    return mix
