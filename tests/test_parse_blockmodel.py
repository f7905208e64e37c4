"""The fitted block model: its committed weights, where it vetoes and adds turns, the
constraints it keeps, and the fitting that makes it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.dialogue.features import FEATURE_VERSION, block_features, is_sentence
from indexer.dialogue.interview import Interview, parse_interview, read_turns
from indexer.dialogue.rerank import MIN_TURNS
from indexer.dialogue.roles import Hints
from indexer.linear import LinearModel, load_model
from indexer.model import INTERVIEWEE, INTERVIEWER, Block, Document

DEVSET = Path(__file__).resolve().parent / "fixtures" / "devset"
ANSWER = (
    "I was going through a long winter in the north, and writing a lot at the time. It just "
    "clicked that I should try to capture how it feels to wait for the light to come back."
)
LATER = (
    "We are opening in a few cities first, which I am very excited about. I have no idea how "
    "it will go though, and I don't even want to guess, because it is a first for all of us."
)
# Unlabelled questions; the last one is a statement after a long answer.
UNLABELLED = [
    "The Long Dark tells the story of two friends who wait out the polar night in a cabin.",
    "Where did the idea for The Long Dark come from?",
    ANSWER,
    "Why open the film in the winter?",
    LATER,
    "What do you want audiences to take away from it?",
    ANSWER.replace("winter", "spring"),
    "The Long Dark isn't exactly a horror movie, but it deals with frightening things.",
    LATER.replace("cities", "towns"),
]
LABELLED = [
    "Ann Moss: Why did you film in the north?",
    f"Karl Brand: {ANSWER}",
    "It took a while to find the cabin, but it was worth it in the end.",
    "Ann Moss: And the cast?",
    f"Karl Brand: {LATER}",
]


def doc(texts: list[str]) -> Document:
    return Document(blocks=[Block(t) for t in texts])


def hints() -> Hints:
    return Hints(publication="Night Screen")


def model(**weights: float) -> LinearModel:
    """A hand-made block model: these weights, nothing else, trusted at 0.75."""
    return LinearModel("block", tuple(weights), np.array(list(weights.values())), 0.0, 0.75)


def parse(texts: list[str], block_model: LinearModel | None) -> Interview:
    return parse_interview(doc(texts), hints(), block_model)


def all_feature_names() -> set[str]:
    names: set[str] = set()
    for texts in (UNLABELLED, LABELLED):
        for feats in block_features(read_turns(doc(texts), hints())):
            names |= set(feats)
    return names


def test_committed_weights_load_and_name_only_features_the_code_makes() -> None:
    committed = load_model("block")
    assert committed is not None
    assert committed.meta["feature_version"] == FEATURE_VERSION
    assert 0.5 < committed.threshold < 1.0
    assert set(committed.features) <= all_feature_names()


def test_committed_model_adds_a_turn_the_rules_miss() -> None:
    committed = load_model("block")
    rules = parse(UNLABELLED, None)
    hybrid = parse(UNLABELLED, committed)
    assert len(rules.turns) == 6
    assert len(hybrid.turns) == 8
    assert hybrid.turns[-2].role == INTERVIEWER
    assert hybrid.turns[-2].text.startswith("The Long Dark isn't")
    assert hybrid.turns[-1].role == INTERVIEWEE  # the question is answered
    assert any("block model adds" in n and "short_statement_after_long" in n for n in hybrid.notes)


def test_every_feature_comes_split_by_the_rules_decision() -> None:
    reading = read_turns(doc(UNLABELLED), hints())
    feats = block_features(reading)
    assert all(name.startswith("inside.") for name in feats[0])  # before the first turn
    assert all(name.startswith("start.") for name in feats[1])  # the first question
    assert {n.split(".", 1)[1] for n in feats[0]} == {n.split(".", 1)[1] for n in feats[1]}


def test_is_sentence_tells_prose_from_names_and_notices() -> None:
    assert is_sentence("The Long Dark isn't exactly a horror movie, but it is frightening.")
    assert not is_sentence("Nacho Vigalondo y Elijah Wood en Open Windows")
    assert not is_sentence("*This article appears in the September issue.")


def test_a_confident_veto_merges_the_turn_into_the_one_before() -> None:
    vetoing = model(**{"start.rule_start_labelled": -4.0, "start.bias": 2.0})
    interview = parse(LABELLED, vetoing)
    assert not interview.is_qa  # no labelled turn survives: fewer than MIN_TURNS
    assert MIN_TURNS == 2
    assert any("vetoes" in note for note in interview.notes)


def test_a_model_sure_of_every_block_adds_nothing_between_labels_of_both_sides() -> None:
    eager = model(**{"inside.bias": 5.0, "start.bias": 5.0})
    interview = parse(LABELLED, eager)
    assert [t.speaker for t in interview.turns] == ["Ann Moss", "Karl Brand"] * 2
    assert "worth it in the end" in interview.turns[1].text


def test_an_added_unlabelled_turn_always_changes_speaker() -> None:
    eager = model(**{"inside.bias": 5.0, "start.bias": 5.0})
    thanks = "Thank you for taking the time to talk to us today."
    interview = parse([UNLABELLED[0], thanks, *UNLABELLED[1:5]], eager)
    roles = [t.role for t in interview.turns]
    assert all(a != b for a, b in zip(roles, roles[1:], strict=False))
    assert interview.turns[0].text.startswith(thanks)  # the question's two paragraphs


def test_added_questions_must_be_set_like_the_page_questions() -> None:
    eager = model(**{"inside.bias": 5.0, "start.bias": 5.0})
    blocks = [Block("The Long Dark opens this week.")]
    for question, answer in (
        ("Where did the idea come from?", ANSWER),
        ("Why the winter?", LATER),
        ("And the cast?", ANSWER.replace("winter", "summer")),
    ):
        blocks += [Block(question, "question"), Block(answer)]
    blocks.append(Block("The Long Dark opens on Friday in a few cities."))
    interview = parse_interview(Document(blocks=blocks), hints(), eager)
    assert len(interview.turns) == 6
    assert any("not set like this page's questions" in note for note in interview.notes)


def test_block_targets_follow_the_annotated_turn_openings() -> None:
    fit_blocks = pytest.importorskip("benchmarks.fit_blocks")
    reading = read_turns(doc(LABELLED), hints())
    turns = [
        {"starts_with": "Why did you film"},
        {"starts_with": "I was going through"},
        {"starts_with": "And the cast?"},
        {"starts_with": "We are opening"},
    ]
    assert fit_blocks.block_targets(reading, turns) == [1, 1, 0, 1, 1]


def test_fitting_is_deterministic_and_names_only_features_the_code_makes() -> None:
    pytest.importorskip("sklearn")
    from benchmarks.fit_blocks import fit_blocks
    from benchmarks.realworld import load_items
    from indexer.linear import Models

    items = load_items(DEVSET)
    first = fit_blocks(items, Models()).block
    second = fit_blocks(items, Models()).block
    assert first is not None and second is not None
    assert first.to_json() == second.to_json()
    assert set(first.features) <= all_feature_names()
