"""Film titles a lone page gives away without a URL: quotes, subjects, headline quotes."""

from __future__ import annotations

from indexer.entities.films import find_entities
from indexer.model import Block


def blocks(text: str) -> list[Block]:
    return [Block(line.strip()) for line in text.split("\n") if line.strip()]


def test_film_word_does_not_reach_across_a_line() -> None:
    text = (
        "Ida Marsh sat down to discuss her new documentary, “Salt and Iron.”\n"
        "Marsh’s “Salt and Iron” follows two welders.\n"
        "A documentary on a documentary\n"
        "Marsh explained that the short she made first was longer.\n"
        "Marsh wanted more. Marsh said so. Marsh left. Marsh came back. Marsh stayed.\n"
        "A film in a film\nMarsh laughed."
    )
    found = find_entities("", blocks(text), [], [])
    assert found.films == ["Salt and Iron"]


def test_comma_inside_the_quotes() -> None:
    text = "Ida Marsh does not cut away. In “Salt and Iron,” which opens on Friday, nobody moves."
    assert find_entities("Ida Marsh Wants You to Sit Still", blocks(text), [], []).films == [
        "Salt and Iron"
    ]


def test_headline_quote_that_is_a_sentence_is_not_the_title() -> None:
    title = "„Ich wollte nie nach Hause“ – Interview mit Ida Marsh zu „Salzwerk“"
    text = "In Salzwerk erzählt Ida Marsh von einem Sommer. Salzwerk läuft im März."
    assert find_entities(title, blocks(text), ["Ida Marsh"], []).films == ["Salzwerk"]


def test_subject_of_the_lead_when_nothing_else_names_the_film() -> None:
    text = (
        "The Winter Film Festival is closing, and Blue Hour is still on my mind.\n"
        "Ida Marsh, its writer and star, answered a few questions."
    )
    found = find_entities("", blocks(text), ["Ida Marsh"], ["Ida Marsh"])
    assert found.films == ["Blue Hour"]


def test_no_subject_film_from_a_person_or_a_pronoun() -> None:
    text = "Ida Marsh is a writer from Cork. She is still busy.\nShe answered our questions."
    assert find_entities("", blocks(text), ["Ida Marsh"], ["Ida Marsh"]).films == []


def test_release_year_and_which_opens() -> None:
    text = "Ida Marsh talked to us about craft and weather. Salt Road (2012) was her first."
    assert find_entities("Ida Marsh talks craft", blocks(text), ["Ida Marsh"], []).films == [
        "Salt Road"
    ]
    text = "Ida Marsh does not cut away. Salt Road, which opens Friday, has one shot."
    assert find_entities("Ida Marsh talks craft", blocks(text), ["Ida Marsh"], []).films == [
        "Salt Road"
    ]
