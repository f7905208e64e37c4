"""Who an unlabelled interview is with: cues from the headline, the web address and the text,
weighed by the committed subject model and by the rules' own weights."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from indexer.dialogue.roles import Hints
from indexer.dialogue.subject import choose_subject, subject_candidates, unglued
from indexer.linear import LinearModel, default_models
from indexer.model import INTERVIEWEE, Block, Source
from indexer.parse import parse_source

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
MODELS = {"rules": None, "fitted": default_models().subject}


def subject(hints: Hints, blocks: list[Block], model: LinearModel | None) -> str:
    return choose_subject(subject_candidates(hints, blocks, ["Jonas Pike"], {}), model)


@pytest.mark.parametrize("model", MODELS.values(), ids=MODELS.keys())
def test_the_web_address_names_the_subject(model: LinearModel | None) -> None:
    hints = Hints(title="why series matter", slug="interview mara velde")
    assert subject(hints, INTRO, model) == "Mara Velde"


def test_without_the_address_the_rules_take_the_name_said_most() -> None:
    assert subject(Hints(title="why series matter"), INTRO, None) == "Tom Ashby"


def test_a_capitals_only_last_word_is_an_acronym_not_a_surname() -> None:
    hints = Hints(title="The Secret of Serial TV")
    found = subject_candidates(hints, TV, [], {})
    assert "surname" not in found["Serial TV"] and found["Tom Ashby"]["surname"] > 0
    assert subject(hints, TV, None) == "Tom Ashby"


def test_the_asker_is_never_the_subject() -> None:
    hints = Hints(title="Jonas Pike meets Mara Velde")
    assert "Jonas Pike" not in subject_candidates(hints, INTRO, ["Jonas Pike"], {})


def test_the_address_finds_a_name_run_into_another_word() -> None:
    blocks = [Block("Studio-Dara Quist Presents a new film, says Dara Quist.")]
    found = subject_candidates(Hints(slug="dara quist interview"), blocks, [], {})
    assert found["Dara Quist"]["address"] == 1.0


def test_a_label_that_asks_is_marked() -> None:
    found = subject_candidates(Hints(), INTRO, [], {"Ola Brandt": 0.75})
    assert found["Ola Brandt"]["label"] == 1.0 and found["Ola Brandt"]["label_asks"] == 0.75


@pytest.mark.parametrize(
    ("glued", "name"),
    [
        ("Tigmanshu Dhuliaआप", "Tigmanshu Dhulia"),  # another script run in
        ("Siniše DraginaAko", "Siniše Dragina"),  # the next sentence run in
        ("Rian MacKay", "Rian MacKay"),
        ("宮崎あおい", "宮崎あおい"),  # kanji and kana are one script
    ],
)
def test_words_run_into_a_name_are_cut_off(glued: str, name: str) -> None:
    assert unglued(glued) == name


def test_the_fitted_model_leaves_an_unsure_page_without_a_subject() -> None:
    model = default_models().subject
    assert model is not None and model.threshold > 0
    names = "Ada Lind, Bo Rask, Cy Mott, Dee Hale, Eli Voss and Fay Orme"
    blocks = [Block(f"The jury was {names}; none of them spoke.")]
    assert subject(Hints(), blocks, model) == ""


@pytest.mark.parametrize(
    ("text", "name", "cued"),
    [
        ("Writer and Director Nola Brisk answered a few questions.", "Nola Brisk", True),
        ("La réalisatrice Nola Brisk signe ici son premier film.", "Nola Brisk", True),
        ("Last week we spoke with Nola Brisk about the shoot.", "Nola Brisk", True),
        # "with" and "to" introduce the guest only after a word of talking.
        ("She worked with Nola Brisk on the set for a year.", "Nola Brisk", False),
        ("After the festival he moved to Port Brisk Heights.", "Port Brisk Heights", False),
    ],
)
def test_a_job_or_a_meeting_introduces_the_guest(text: str, name: str, cued: bool) -> None:
    found = subject_candidates(Hints(), [Block(text)], [], {})
    assert found[name].get("role_cue", 0.0) == float(cued)


@pytest.mark.parametrize(
    "text",
    [
        "We loved the film Winter Bees and asked Nola Brisk about it.",
        "Winter Bees (2019) made Nola Brisk a name at home.",
    ],
)
def test_a_title_called_a_film_or_dated_is_a_work(text: str) -> None:
    found = subject_candidates(Hints(), [Block(text)], [], {})
    assert found["Winter Bees"]["work"] == 1.0
    assert not found["Nola Brisk"].get("work")


def test_an_institution_or_a_post_is_told_by_its_words() -> None:
    text = "Nola Brisk, Programming Coordinator at Harbour University, answered."
    found = subject_candidates(Hints(), [Block(text)], [], {})
    assert found["Programming Coordinator"]["office"] == 1.0
    assert found["Harbour University"]["office"] == 0.5
    assert not found["Nola Brisk"].get("office")


def test_the_fitted_model_weighs_works_and_institutions_against_a_person() -> None:
    model = default_models().subject
    assert model is not None
    weight = dict(zip(model.features, model.weights, strict=True))
    assert weight["office"] < 0 and weight["work"] < 0


def test_the_person_the_answers_speak_of_is_not_the_one_answering() -> None:
    # A documentary's subject fills the headline and the answers; its director answers.
    said = [
        "When I first met Tom Varga he was painting the harbour walls, and Tom Varga let me "
        "follow him for three winters.",
        "Tom Varga never asked to see the cut. Tom Varga trusted me, and that trust is the film.",
    ]
    text = "\n".join(
        [
            "Tom Varga: The Painter of Port Ellen",
            "Director Nola Brisk spent three winters filming the painter Tom Varga.",
            "Q: How did you meet him?",
            f"A: {said[0]}",
            "Q: Did he see the film?",
            f"A: {said[1]}",
        ]
    )
    source = Source(Path("a.txt"), "a", "text", text, "utf-8")
    models = default_models()
    assert models.subject is not None
    answered = {t.speaker for t in parse_source(source, models).turns if t.role == INTERVIEWEE}
    assert answered == {"Nola Brisk"}
    blind = np.where(np.array(models.subject.features) == "in_answers", 0.0, models.subject.weights)
    unread = replace(models, subject=replace(models.subject, weights=blind))
    answered = {t.speaker for t in parse_source(source, unread).turns if t.role == INTERVIEWEE}
    assert answered == {"Tom Varga"}


def test_inspect_says_why_nobody_is_named_as_the_interviewee() -> None:
    answer = "I grew up on the island, and my grandfather kept the light there for forty years."
    lines = ["Ada Lind, Bo Rask, Cy Mott and Dee Hale were on the jury.", "Q: Why the island?"]
    lines += [f"A: {answer}"]
    lines += ["Q: And the winter?", f"A: {answer}"]
    article = parse_source(Source(Path("a.txt"), "a", "text", "\n".join(lines), "utf-8"))
    assert {t.speaker for t in article.turns if t.role == INTERVIEWEE} == {""}
    assert any(n.startswith("nobody named as the interviewee") for n in article.notes)
