"""Linking film candidates to the film catalogue, precision first: the catalogue proposes
every homonym of a candidate's title, and a link holds only where the page confirms it.

Confirming cues, each read on the page itself:
- director: one of the film's directors is named on the page (any of the catalogue's
  spellings), or is the interviewee;
- year: the film's release year is printed on the page;
- title: the page sets the title off as one (quotes, italics, «», „“, 『』, "the film X",
  the headline).
One cue confirms a title of several words; a single-word title, or one made of words the
page also uses as ordinary words ("Wolf", "Red"), needs two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.entities.filmdb import CatalogueFilm, FilmDatabase, Person, person_key, title_key
from indexer.entities.titles import Page
from indexer.model import Guess
from indexer.text.names import fold

# Only the model's best few candidates are linked: one further down is a film the page
# mentions in passing.
LINK_CANDIDATES = 3
# The candidate's features that mean the page sets it off as a title.
TITLE_CUES = (
    "italic",
    "quoted",
    "title_quoted",
    "pattern",
    "pattern_title",
    "release",
    "title_on",
    "title_paren",
    "title_part",
    "title_first_part",
    "cjk",
    "title_whole",
    "in_title",
)
# Words so common that a title of only these is an ordinary phrase unless the page says more.
COMMON_WORDS = frozenset(
    "red blue black white green love life home up us her him she he it man men woman women "
    "day night time wolf dog cat war sun moon rain fire water the world heat her house room "
    "run go stop cold hot dark light girl boy girls boys family mother father son daughter".split()
)


@dataclass
class Link:
    """A candidate confirmed as a catalogue film, with the cues that confirmed it."""

    spelling: str  # as the page writes it
    film: CatalogueFilm
    cues: list[str]
    directors: list[Person] = field(default_factory=list)  # those the page names


def named_on_page(person: Person, text: str) -> bool:
    padded = f" {fold(text)} "
    return any(len(fold(n)) > 3 and f" {fold(n)} " in padded for n in person.names)


def is_common(spelling: str, page: Page) -> bool:
    """A single word, or words the page (or everyday English) uses as ordinary words."""
    words = title_key(spelling).split()
    if len(words) <= 1:
        return True
    lower = {w for w in re.findall(r"\b[a-z]\w*\b", page.text)}
    return all(w in COMMON_WORDS or w in lower for w in words)


def confirm(guess: Guess, film: CatalogueFilm, page: Page, interviewees: list[str]) -> Link | None:
    """The link of `guess` to `film` if the page confirms it, else None."""
    cues = []
    guests = {person_key(p) for p in interviewees}
    named = [d for d in film.directors if named_on_page(d, page.full)]
    if named:
        cues.append("director named")
    elif any(person_key(n) in guests for d in film.directors for n in d.names):
        cues.append("interviewee directed it")
    if film.year and re.search(rf"(?<!\d){film.year}(?!\d)", page.full):
        cues.append("year")
    if any(guess.features.get(f, 0.0) > 0 for f in TITLE_CUES):
        cues.append("title cue")
    needed = 2 if is_common(guess.value, page) else 1
    if len(cues) < needed:
        return None
    guest_directors = [d for d in film.directors if any(person_key(n) in guests for n in d.names)]
    return Link(guess.value, film, cues, named or guest_directors)


def link_films(
    guesses: list[Guess], page: Page, interviewees: list[str], db: FilmDatabase
) -> tuple[Link | None, list[str]]:
    """The best-ranked candidate the page confirms as a catalogue film (the homonym with
    the most cues), and notes on the candidates the catalogue knows but the page does not
    confirm."""
    notes = []
    for guess in guesses[:LINK_CANDIDATES]:
        films = db.homonyms(guess.value)
        if not films:
            continue
        links = [link for f in films if (link := confirm(guess, f, page, interviewees))]
        if not links:
            notes.append(
                f"film {guess.value!r}: {len(films)} catalogue film(s) of that title, "
                "none confirmed by the page"
            )
            continue
        best = max(links, key=lambda k: len(k.cues))
        rivals = [k for k in links if len(k.cues) == len(best.cues)]
        if len(rivals) > 1:  # two homonyms the page supports as well: no telling them apart
            notes.append(f"film {guess.value!r}: {len(rivals)} homonyms equally confirmed")
            continue
        return best, notes
    return None, notes


def link_aliases(link: Link) -> dict[str, str]:
    """Spellings that stand for the catalogue's values: the page's title and the original
    title for the film, every spelling of its directors for their catalogue name."""
    aliases = {}
    for spelling in (link.spelling, link.film.original):
        if spelling and fold(spelling) != fold(link.film.title):
            aliases[spelling] = link.film.title
    for person in link.film.directors:
        for name in person.names:
            if fold(name) != fold(person.name):
                aliases[name] = person.name
    return aliases


def person_aliases(names: list[str], db: FilmDatabase) -> dict[str, str]:
    """The catalogue's name for each of `names` that is the spelling of one person only."""
    aliases = {}
    for name in names:
        people = db.people_named(name) if len(fold(name).split()) > 1 else []
        if len(people) == 1 and people[0].name != name:
            aliases[name] = people[0].name
    return aliases
