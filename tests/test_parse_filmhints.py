"""Film titles a lone page gives away without a URL: quotes, subjects, headline quotes."""

from __future__ import annotations

from indexer.entities import find_entities
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
