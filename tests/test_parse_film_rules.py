"""Each hand rule behind the film, director and publication features, on a short invented
snippet that it alone reads: what the rule finds there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from indexer.entities.directors import director_features
from indexer.entities.filmhints import comma_title, sentence_quote
from indexer.entities.films import (
    director_candidates,
    english_title,
    film_candidates,
    film_evidence,
    find_entities,
    possessive_director,
    pronoun_director,
    title_is_name,
)
from indexer.entities.pagefacts import page_publication
from indexer.entities.titles import Page, title_candidates
from indexer.model import Block, Source


def blocks(text: str) -> list[Block]:
    return [Block(line.strip()) for line in text.split("\n") if line.strip()]


def page(text: str, title: str = "", people: tuple[str, ...] = ()) -> Page:
    return Page(title=title, blocks=blocks(text), url="", people=list(people), structured=[])


def cued(cue: str, text: str, title: str = "") -> set[str]:
    """The spans a film feature (a cue such as "pattern") reads on the page."""
    return {span for span, f in title_candidates(page(text, title)).items() if f[cue] > 0}


# --- Film patterns ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We met in May. Copper Tide, her second feature, is quiet.",
        "We met in a cafe. Her latest, Copper Tide, opened in March.",
        "She talked with the director of Copper Tide about the sea.",
        "We saw the documentary Copper Tide twice and liked it.",
        "We met in May. Copper Tide is a quiet drama about two sisters.",
        "We met in May. Copper Tide follows two sisters on a boat.",
        "Spoilers for Copper Tide ahead. We met in May.",
        "We met Orla Brenn in May. Orla Brenn’s acclaimed Copper Tide opened then.",
        "We met in May and talked. Copper Tide (2021) was shot on a boat.",
        "We met in May and talked. Copper Tide, which opens Friday, was shot on a boat.",
    ],
    ids=[
        "title-her-feature",
        "latest",
        "director-of",
        "film-word-before",
        "is-a-drama",
        "follows",
        "spoilers-for",
        "persons-acclaimed",
        "release-year",
        "which-opens",
    ],
)
def test_a_film_pattern_points_at_the_title(text: str) -> None:
    assert cued("pattern", text) == {"Copper Tide"}
    assert find_entities("", blocks(text), ["Orla Brenn"], []).films == ["Copper Tide"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Wir sprachen lange über den Film „Kupferflut“ und das Meer.", "Kupferflut"),
        ("Ela dirigiu o novo longa “Maré de Cobre”, que estreia hoje.", "Maré de Cobre"),
        ("Razgovor o filmu „Bakarna plima“ i o moru.", "Bakarna plima"),
        ("Hennes tredje långfilm Kopparvatten har premiär i dag.", "Kopparvatten"),
        ("Hablamos de la película «Marea de cobre» durante horas.", "Marea de cobre"),
        ("Bu hafta Bakır Dalga filmi vizyona giriyor.", "Bakır Dalga"),
        ("Le documentaire Écume de Cuivre sort en mai.", "Écume de Cuivre"),
    ],
    ids=[
        "german-quoted",
        "portuguese-longa",
        "serbian-filmu",
        "swedish",
        "spanish-guillemets",
        "turkish-after",
        "capital-with-accent",
    ],
)
def test_the_word_for_a_film_in_other_languages_points_at_the_title(text: str, title: str) -> None:
    assert cued("pattern", text) == {title}


def test_the_english_title_in_brackets_outranks_the_original() -> None:
    text = "We met in May. Her new film, Ceniza Lenta (The Slow Ash), opens soon."
    found = title_candidates(page(text))
    assert found["The Slow Ash"]["rule_top"] == 1.0
    assert found["Ceniza Lenta"]["rule_top"] == 0.0


@pytest.mark.parametrize(
    "title",
    ["Orla Brenn talks Copper Tide", "Orla Brenn Talks Copper Tide", "Orla Brenn On Copper Tide"],
)
def test_a_headline_names_the_film_after_a_verb(title: str) -> None:
    text = "We met in May. Orla Brenn was calm."
    assert cued("title_on", text, title) == {"Copper Tide"}


def test_a_span_cut_at_a_small_word_is_marked() -> None:
    text = "We saw Copper Tide and more. Copper Tide is quiet."
    found = title_candidates(
        Page("", [Block(text, italics=["Copper Tide and", "Copper Tide"])], "", [], [])
    )
    assert {span: f["ends_small"] for span, f in found.items()} == {
        "Copper Tide and": 1.0,
        "Copper Tide": 0.0,
    }


@pytest.mark.parametrize(
    ("title", "is_name"),
    [
        ("The Copper Tide", True),
        ("Copper Tide 2", True),
        ("Heart of Glass", True),  # small words in lower case
        ("Orla Brenn", False),  # a person's profile
        ("Orla Brenn: a quiet voice", False),
        ("Why we stayed at sea", False),
    ],
)
def test_a_headline_that_is_only_a_films_name(title: str, is_name: bool) -> None:
    assert title_is_name(title, []) is is_name


def test_a_bare_film_name_headline_is_the_film() -> None:
    text = "We met in May and talked about the sea."
    assert find_entities("The Copper Tide", blocks(text), [], []).films == ["The Copper Tide"]


@pytest.mark.parametrize(
    ("quoted", "title"),
    [
        ("Salt and Iron,", "Salt and Iron"),
        ("Heart of Glass,", "Heart of Glass"),
        ("Salt and Iron", ""),  # no comma: nothing to keep
        ("we never went back,", ""),  # a clause, not a title
    ],
)
def test_a_comma_inside_the_quotes_keeps_a_title(quoted: str, title: str) -> None:
    assert comma_title(quoted) == title


def test_a_quoted_title_with_its_comma_is_a_candidate() -> None:
    text = "We met in May. In “Salt and Iron,” nobody moves. Ida Marsh does not cut away."
    assert film_candidates("", blocks(text), text) == {"Salt and Iron": 2}


@pytest.mark.parametrize(
    ("quoted", "sentence"),
    [
        ("The sea never gives anything back", True),
        ("I never wanted to go home", True),
        ("Heart of Glass", False),
        ("The Night of the Long Tide", False),
        ("Go home now", False),  # too short to tell
    ],
)
def test_a_quoted_sentence_is_told_from_a_title(quoted: str, sentence: bool) -> None:
    assert sentence_quote(quoted) is sentence


def test_a_quoted_sentence_in_the_headline_is_the_guests_not_a_title() -> None:
    title = "“The sea never gives anything back” – Ida Marsh on “Salt Road”"
    text = "Ida Marsh met us in May. She talked about Salt Road and the sea."
    assert set(film_candidates(title, blocks(text), text, "", ["Ida Marsh"])) == {"Salt Road"}


# --- Director patterns --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("The new drama was directed by Orla Brenn and shot in Sligo.", ["Orla Brenn"]),
        ("We spoke to Orla Brenn, the director, in Sligo.", ["Orla Brenn"]),
        ("Orla Brenn’s new film opens in Sligo.", ["Orla Brenn"]),
        ("Last winter Orla Brenn directed a drama in Sligo.", ["Orla Brenn"]),
        ("Orla Brenn and Tomas Keel, the directors, met us.", ["Orla Brenn", "Tomas Keel"]),
        ("Orla Brenn makes her directorial bow with the drama.", ["Orla Brenn"]),
        ("The actor Orla Brenn turns director with a drama.", ["Orla Brenn"]),
    ],
    ids=[
        "directed-by",
        "name-the-director",
        "persons-new-film",
        "name-directed",
        "two-directors",
        "directorial",
        "turns-director",
    ],
)
def test_a_director_pattern_names_the_director(text: str, names: list[str]) -> None:
    assert sorted(director_candidates(text, [], [])) == names


def test_a_credited_name_is_resolved_to_the_name_the_text_uses() -> None:
    text = "In Sligo Orla Brenn, the director, met us. Orla Brenn was calm."
    assert dict(director_candidates(text, [], [])) == {"Orla Brenn": 2}


def test_her_debut_feature_belongs_to_the_person_the_headline_names() -> None:
    title = "Orla Brenn keeps it quiet"
    text = "We met Orla Brenn in May. Her debut feature, Copper Tide, opens soon."
    assert find_entities(title, blocks(text), [], []).directors == ["Orla Brenn"]
    found = director_features(page(text, title), [], [], [], "Copper Tide")
    assert found["Orla Brenn"]["owner"] == 1.0


@pytest.mark.parametrize(
    ("text", "credited"),
    [
        ("Copper Tide was shot in Sligo. Orla Brenn, réalisatrice, was calm.", 1),
        ("Copper Tide was shot in Sligo by Orla Brenn (director) last May.", 1),
        ("Copper Tide was shot in Sligo. Orla Brenn was calm.", 0),
    ],
)
def test_a_credit_after_the_name(text: str, credited: int) -> None:
    found = director_features(page(text), [], ["Orla Brenn"], [], "Copper Tide")
    assert (found["Orla Brenn"]["credit"] > 0) == bool(credited)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Orla Brenn directed Copper Tide on a boat off Sligo.", "directing"),
        ("The actor Orla Brenn plays a ferryman in Copper Tide.", "acting"),
        ("The cinematographer Orla Brenn lit Copper Tide on a boat.", "crew"),
    ],
)
def test_a_role_word_near_the_name(text: str, role: str) -> None:
    found = director_features(page(text), [], ["Orla Brenn"], [], "Copper Tide")["Orla Brenn"]
    assert {r: found[f"near_{r}"] for r in ("directing", "acting", "crew")} == {
        r: float(r == role) for r in ("directing", "acting", "crew")
    }


# --- Publication cues ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Ivo Pell talks.\nSubscribe to The Harbour Reel for more.", "The Harbour Reel"),
        ("Ivo Pell talks.\nThe Harbour Reel is edited by Ann Mora.", "The Harbour Reel"),
        ("Still from Copper Tide.\n© 2021 The Northern Light Films", ""),  # a picture credit
        ("Photo © 2021 The Northern Light Studios", ""),
        ("We spoke with Ivo Pell in Rome.", ""),  # a pronoun, not an outlet
    ],
    ids=["subscribe-to", "is-edited-by", "picture-credit", "studio-credit", "we-spoke-with"],
)
def test_the_page_names_its_publication(text: str, outlet: str) -> None:
    assert page_publication(blocks(text)) == outlet


def test_the_pages_evidence_scores_as_reading_it_again() -> None:
    title = "Ida Marsh on “Salt Road”"
    text = "Ida Marsh met us in May. Salt Road, her second feature, is quiet. “Salt Road” ends."
    url = "https://example.org/reviews/salt-road-ida-marsh"
    found = film_evidence(title, blocks(text), text)
    for people in ([], ["Ida Marsh"]):
        again = film_candidates(title, blocks(text), text, url, people)
        shared = film_candidates(title, blocks(text), text, url, people, found)
        assert shared == again and list(shared.items()) == list(again.items())
    # Evidence read from other text is not used for this one.
    other = film_evidence("", blocks("“Copper Tide” is a film."), "“Copper Tide” is a film.")
    assert film_candidates(title, blocks(text), text, url, [], other) == film_candidates(
        title, blocks(text), text, url
    )


def test_a_page_reads_its_film_evidence_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import indexer.entities.films as films
    import indexer.parse as parse

    calls: list[str] = []
    read = films.film_evidence

    def counted(title: str, found: list[Block], text: str) -> films.FilmEvidence:
        calls.append(title)
        return read(title, found, text)

    monkeypatch.setattr(films, "film_evidence", counted)
    monkeypatch.setattr(parse, "film_evidence", counted)
    body = "\n\n".join(
        [
            "Ida Marsh on “Salt Road”",
            "Ida Marsh directed Salt Road, her second feature.",
            "Q: Why the sea?",
            "Ida Marsh: Because it never gives anything back.",
            "Q: And “Salt Road”?",
            "Ida Marsh: It is about my mother.",
        ]
    )
    source = Source(Path("salt-road.txt"), "salt-road", "text", body, "utf-8")
    hinted: list[set[str]] = []
    hints = parse.page_hints

    def spy(*args: Any) -> Any:
        found, notes = hints(*args)
        films_hint = found.films
        found.films = lambda: hinted.append(films_hint()) or hinted[-1]
        return found, notes

    monkeypatch.setattr(parse, "page_hints", spy)
    parse.parse_source(source)
    assert hinted  # the subject asked for the page's films
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("We saw Orla Brenn’s “Copper Tide” twice.", "Orla Brenn"),
        ("We saw Orla Brenn's new Copper Tide twice.", "Orla Brenn"),
        ("Copper Tide is out. Orla Brenn's latest Copper Tide won.", "Orla Brenn"),
        ("Orla Brenn's dog saw Copper Tide twice.", ""),  # not her film: words between
        ("Copper Tide, says Orla Brenn's agent, opens soon.", ""),
    ],
)
def test_the_owner_named_right_before_a_title_directed_it(text: str, owner: str) -> None:
    assert possessive_director("Copper Tide", text, []) == owner


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Orla Brenn spoke. Her debut feature, Copper Tide, opens.", True),
        ("Orla Brenn spoke. Their film “Copper Tide” opens.", True),
        ("Orla Brenn spoke. Her feature opens; Copper Tide follows.", False),
    ],
)
def test_a_pronoun_before_a_title_gives_it_to_the_person_named(text: str, found: bool) -> None:
    assert (pronoun_director("Copper Tide", "Orla Brenn on Copper Tide", text) != "") is found


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("We saw Ceniza Lenta (The Slow Ash) twice.", "The Slow Ash"),
        ("Ceniza Lenta was long. We saw Ceniza Lenta (The Slow Ash).", "The Slow Ash"),
        ("We saw Ceniza Lenta, then (The Slow Ash) elsewhere.", "Ceniza Lenta"),
    ],
)
def test_a_gloss_in_brackets_right_after_the_title_is_its_english_title(
    text: str, english: str
) -> None:
    assert english_title("Ceniza Lenta", [Block(text)], text) == english
