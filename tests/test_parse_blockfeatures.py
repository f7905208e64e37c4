"""Each family of block features says what it names, on small invented blocks."""

from __future__ import annotations

from indexer.dialogue.features import (
    context_features,
    format_features,
    interactions,
    label_features,
    plain_features,
    rule_features,
    text_features,
)
from indexer.dialogue.interview import Reading, read_turns
from indexer.dialogue.roles import Hints
from indexer.model import Block, Document

ANSWER = (
    "I was going through a long winter in the north, and writing a lot at the time. It just "
    "clicked that I should try to capture how it feels to wait for the light to come back."
)


def reading(*texts: str, title: str = "") -> Reading:
    return read_turns(Document(blocks=[Block(t) for t in texts]), Hints(title=title))


def test_text_features_read_asking_addressing_and_narrating() -> None:
    asked = text_features(Block("Where did the idea for your film come from?"))
    assert asked["ends_question"] == asked["you"] == asked["short"] == 1.0
    told = text_features(Block("“It was cold,” she says. “We waited for the light.”"))
    assert told["reported"] == told["starts_quote"] == 1.0
    assert told["ends_question"] == 0.0
    assert text_features(Block("1. What drew you to it?"))["numbered"] == 1.0
    assert text_features(Block("― Why August?"))["starts_dash"] == 1.0
    assert text_features(Block("¿Por qué agosto？"))["question_early"] == 1.0


def test_format_features_read_how_a_block_is_set() -> None:
    bold = format_features(Block("Why glass? Because.", bold_prefix="Why glass?"))
    assert bold["bold_to_plain"] == 1.0 and bold["all_bold"] == 0.0
    heading = format_features(
        Block("Why glass?", "heading", bold_prefix="Why glass?", all_bold=True)
    )
    assert heading["heading"] == heading["all_bold"] == 1.0
    assert format_features(Block("x", italics=["x"]))["italic"] == 1.0


def test_label_features_find_the_two_alternating_labels() -> None:
    blocks = [
        Block("PARIS — The director was in town."),
        Block("Q: Why now?"),
        Block("A: Because."),
        Block("Q: And then?"),
        Block("A: We shot it."),
        Block("A quiet ending."),
    ]
    feats = label_features(blocks)
    assert feats[0]["dateline"] == 1.0 and feats[0]["cand_before_top2"] == 1.0
    assert [f["cand_top2"] for f in feats[1:5]] == [1.0] * 4
    assert [f["cand_alternates"] for f in feats[1:5]] == [0.0, 1.0, 1.0, 1.0]
    assert feats[1]["cand_qa"] == 1.0
    assert feats[5]["cand"] == 0.0


def test_rule_features_carry_the_rules_decisions() -> None:
    read = reading("Intro line.", "Q: Why now?", "A: Because.", "And more.", "Q: Then?", "A: Yes.")
    feats = rule_features(read)
    assert [f["rule_start"] for f in feats] == [0.0, 1.0, 1.0, 0.0, 1.0, 1.0]
    assert feats[1]["rule_start_asks"] == 1.0 and feats[2]["rule_start_asks"] == 0.0
    assert feats[0]["rule_before_first"] == 1.0 and feats[3]["rule_after_first"] == 1.0
    assert feats[1]["rule_label_qa"] == 1.0


def test_context_features_look_at_the_neighbours() -> None:
    texts = [text_features(Block(t)) for t in ("Why now?", ANSWER, "And then?")]
    rules = [{"rule_start": 1.0}, {"rule_start": 0.0}, {"rule_start": 1.0}]
    middle = context_features(texts, rules, 1)
    assert middle["prev_question"] == middle["next_question"] == 1.0
    assert middle["prev_rule_start"] == middle["next_rule_start"] == 1.0
    assert context_features(texts, rules, 0)["first_block"] == 1.0


def test_page_features_tell_an_interview_from_quotations() -> None:
    interview = plain_features(
        reading("Q: Why now?", f"A: {ANSWER}", "Q: And then?", "A: I went home.")
    )[0]
    assert interview["page_rule_qa"] == 1.0
    assert interview["page_asking_share"] == interview["page_speaking_share"] == 1.0
    assert interview["page_unanswered"] == 0.0
    narrative = plain_features(reading("A review of a quiet film.", ANSWER))[0]
    assert narrative["page_rule_qa"] == narrative["page_log_turns"] == 0.0


def test_interactions_combine_what_a_linear_model_cannot() -> None:
    feats = {
        "cand": 0.0,
        "ends_question": 0.0,
        "imperative": 0.0,
        "prev_question": 1.0,
        "page_label_density": 0.2,
        "rule_after_first": 1.0,
        "page_rule_qa": 1.0,
        "page_labelled_share": 0.0,
        "short": 1.0,
        "sentence": 1.0,
        "first_person": 0.0,
    }
    pairs = interactions(feats, prev_chars=400, chars=80)
    assert pairs["answer_after_question_sparse"] > 0.0
    assert pairs["short_statement_after_long"] == pairs["short_after_long_unlabelled"] == 1.0
    assert interactions({**feats, "first_person": 1.0}, 400, 80)["short_statement_after_long"] == 0
