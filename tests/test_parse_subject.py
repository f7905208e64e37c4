"""Who an unlabelled interview is with: cues from the headline, the web address and the text."""

from __future__ import annotations

from indexer.dialogue.roles import Hints, subject_name
from indexer.model import Block

INTRO = [
    Block("Mara Velde has produced nine series. Before that she wrote for Tom Ashby."),
    Block("Why series? Because they let a story run, as Tom Ashby found."),
]
# "TV" recurs often: taken for a surname, it would make the headline's "Serial TV" the guest.
TV = [
    Block("Serial TV, she says, changed everything. TV is where writers are now."),
    Block("Why TV? Because TV lets a story run. TV trusts the audience. Ask Tom Ashby."),
    Block("Tom Ashby agrees: TV was his school, and Tom Ashby should know."),
    Block("Tom Ashby ran a TV room for years; Tom Ashby still does."),
    Block("Tom Ashby laughs."),
]


def test_the_web_address_names_the_subject() -> None:
    assert subject_name(Hints(title="why series matter"), INTRO, "Jonas Pike") == "Tom Ashby"
    hints = Hints(title="why series matter", slug="interview mara velde")
    assert subject_name(hints, INTRO, "Jonas Pike") == "Mara Velde"


def test_a_capitals_only_last_word_is_an_acronym_not_a_surname() -> None:
    hints = Hints(title="The Secret of Serial TV")
    assert subject_name(hints, TV, "Jonas Pike") == "Tom Ashby"
