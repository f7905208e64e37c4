"""An article's film and director facet values: candidates, a model's scores, vetoes,
the curator's list, then a value only where the evidence is clear."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from indexer.entities.catalog import Catalog
from indexer.entities.choose import confident, explain, rank
from indexer.entities.directors import director_features, supported
from indexer.entities.filmdb import FilmDatabase
from indexer.entities.films import english_title, find_entities, normalize_title
from indexer.entities.link import Link, link_aliases, link_films, person_aliases
from indexer.entities.titles import Page, corroborated, title_candidates
from indexer.entities.validate import director_veto, film_veto
from indexer.linear import Models
from indexer.model import Guess, Turn
from indexer.text.names import fold

# At most this many values per facet: an interview is about one film, rarely two, and
# co-directors come in twos and threes.
MAX_FILMS = 2
MAX_DIRECTORS = 3
# A name inside the film's title ("Ai Weiwei: Never Sorry") is its subject, not its director;
# a best film guess at least this likely counts as the title. A director is named only for
# a page about a film: one whose film is named, or whose best guess is this likely.
LIKELY_TITLE = 0.5
# The film cues that set a span off as a title (quotation marks, italics, 『』): such a span
# names no person, whatever credit follows it ("‘Dear Neighbours’ director Ann Lee").
SET_OFF = ("quoted", "italic", "title_quoted", "cjk")


@dataclass
class Decision:
    films: list[str] = field(default_factory=list)
    directors: list[str] = field(default_factory=list)
    film_guesses: list[Guess] = field(default_factory=list)
    director_guesses: list[Guess] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    decided_by: dict[str, str] = field(default_factory=dict)  # as Article.decided_by
    aliases: dict[str, str] = field(default_factory=dict)  # the catalogue's: variant -> value


def inside(short: str, long: str) -> bool:
    """`short` is a fragment of the title `long` ("Never Sorry" of "Ai Weiwei: Never Sorry")."""
    key, whole = fold(short), fold(long)
    return key != whole and f" {key} " in f" {whole} "


def confirm(guesses: list[Guess], check: Callable[[dict[str, float]], bool]) -> list[Guess]:
    """Mark the guesses the page's own checks would let be named (`Guess.confirmed`)."""
    for g in guesses:
        g.confirmed = check(g.features)
    return guesses


def link_chosen(
    guesses: list[Guess],
    chosen: list[str],
    page: Page,
    interviewees: list[str],
    filmdb: FilmDatabase,
    decision: Decision,
) -> tuple[list[str], Link | None]:
    """The films chosen once the catalogue has had its say, and the catalogue's film the
    page confirms, if any; what was found is noted in the decision."""
    # Only the model's choice is linked: on the annotated pages, linking the best
    # candidates of a page the model was unsure of named a film the page mentions
    # beside its subject (the director's previous film, with his name and its year).
    linkable = [g for g in guesses if g.value in chosen]
    link, notes = link_films(linkable, page, interviewees, filmdb)
    decision.notes += notes
    # A film the catalogue knows that the page does not confirm stays a guess.
    unconfirmed = [f for f in chosen if filmdb.homonyms(f)] if link is None else []
    if unconfirmed:
        chosen = [f for f in chosen if f not in unconfirmed]
        decision.notes.append(f"film {unconfirmed} left a guess: the page does not confirm it")
    if link is not None:
        chosen = [link.spelling]
        decision.aliases = link_aliases(link)
        year = f" ({link.film.year})" if link.film.year else ""
        decision.notes.append(
            f"film {link.spelling!r} is {link.film.title!r}{year} in the catalogue, "
            f"confirmed by: {', '.join(link.cues)}"
        )
    return chosen, link


def decide(
    page: Page,
    turns: list[Turn],
    interviewees: list[str],
    interviewers: list[str],
    outlets: list[str],
    models: Models,
    catalog: Catalog | None = None,
    filmdb: FilmDatabase | None = None,
) -> Decision:
    """Choose the films and directors; without fitted models, the hand rules decide."""
    decision = Decision()
    rules = None
    if models.film is None or models.director is None:
        rules = find_entities(page.title, page.blocks, page.people, interviewees, page.url)
    persons = [*page.people, *interviewers]
    film_model, director_model = models.film, models.director
    if catalog:
        page = replace(page, known=catalog.mentioned(page.full))
    films = title_candidates(page)

    def not_film(title: str) -> str:
        return film_veto(title, persons, outlets)

    guesses = confirm(rank(films, film_model, not_film), corroborated)
    decision.film_guesses = guesses
    chosen = confident(guesses, film_model, MAX_FILMS)
    lone = [g.value for g in guesses if g.value in chosen and not corroborated(g.features)]
    if lone:
        chosen = [f for f in chosen if f not in lone]
        decision.notes.append(f"film {lone} left a guess: only one kind of evidence points at it")
    fragments = [f for f in chosen if any(inside(f, other) for other in chosen)]
    if fragments:
        chosen = [f for f in chosen if f not in fragments]
        decision.notes.append(f"film {fragments} left out: part of another title named")
    # What the page alone names; a catalogue that cannot tell its homonyms apart leaves the
    # film a guess, not the page any less about a film, nor its director any less sure.
    page_named = bool(chosen)
    if film_model is None and rules is not None:
        chosen = [normalize_title(f) for f in rules.films[:1] if not not_film(f)]
        decision.notes += [n for n in rules.notes if n.startswith("film")]
    # The collection's list is the curator's knowledge: the best-ranked film on it wins.
    listed = [catalog.lookup(g.value) for g in guesses] if catalog else []
    on_list = [f for f in listed if f is not None]
    how = "rules" if film_model is None else "model"
    if on_list:
        chosen, how = [on_list[0].title], "film list"
        decision.notes.append(f"film {chosen} is on the collection's film list")
    elif film_model is not None:
        decision.notes.append(explain("film", guesses, chosen, film_model))
    link: Link | None = None
    if filmdb is not None and not on_list:
        chosen, link = link_chosen(guesses, chosen, page, interviewees, filmdb, decision)
        how = "catalogue" if link is not None else how
    decision.decided_by["films"] = how if chosen else ""
    # "Ceniza (Ash)": the English title a film database lists, when the page gives it.
    decision.films = [english_title(f, page.blocks, page.text) for f in chosen]
    if link is not None:
        decision.films = [link.film.title]
    if filmdb is not None:
        # The catalogue's homonyms stay guesses unless the page confirmed which film it is.
        for g in guesses:
            g.confirmed &= not filmdb.homonyms(g.value) or g.value in chosen

    lead_film = chosen[0] if chosen else (guesses[0].value if guesses else "")
    people = director_features(
        page, turns, interviewees, interviewers, lead_film, film_named=bool(chosen) or page_named
    )
    likely = [g.value for g in guesses[:1] if g.score >= LIKELY_TITLE]
    titles = [fold(t) for t in [*chosen, *likely]]
    set_off = {fold(g.value) for g in guesses if any(g.features.get(c) for c in SET_OFF)}

    def not_director(name: str) -> str:
        key = fold(name)
        if any(f" {key} " in f" {t} " and key != t for t in titles):
            return "part of a film title"
        if key in set_off or key in titles:
            return "a title the page sets off"  # "‘Dear Neighbours’ director ..."
        return director_veto(name, outlets, interviewers)

    ranked = confirm(rank(people, director_model, not_director), supported)
    decision.director_guesses = ranked
    directors = confident(ranked, director_model, MAX_DIRECTORS)
    unsaid = [g.value for g in ranked if g.value in directors and not supported(g.features)]
    if unsaid:
        directors = [d for d in directors if d not in unsaid]
        decision.notes.append(f"director {unsaid} left a guess: the page never says they directed")
    if directors and not (chosen or page_named or likely):
        decision.notes.append(f"director {directors} left a guess: the page's film is not clear")
        directors = []
    if director_model is None and rules is not None:
        directors = rules.directors
        decision.notes += [n for n in rules.notes if n.startswith("director")]
    else:
        decision.notes.append(explain("director", ranked, directors, director_model))
    how = "rules" if director_model is None else "model"
    if on_list and on_list[0].directors:
        directors, how = list(on_list[0].directors), "film list"
        decision.notes.append(f"directors {directors} from the collection's film list")
    if link is not None and link.film.directors:
        # The catalogue knows who directed it: those the page names, and no one else.
        directors, how = [p.name for p in link.directors], "catalogue"
        decision.notes.append(f"directors {directors} from the catalogue, named by the page")
    decision.directors = [d for d in directors if fold(d)]
    decision.decided_by["directors"] = how if decision.directors else ""
    if filmdb is not None:
        named = [*interviewees, *decision.directors]
        decision.aliases = {**person_aliases(named, filmdb), **decision.aliases}
    return decision
