"""The turn model: its committed weights, its decoding, its features in any script, the
turns it reads from invented pages, and the fitting that makes it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from indexer.dialogue.features import (
    FEATURE_VERSION,
    script_features,
    text_features,
    unit_features,
)
from indexer.dialogue.interview import parse_interview, read_turns
from indexer.dialogue.roles import Hints
from indexer.dialogue.sequence import (
    ANSWERS,
    ASKS,
    CLASSES,
    CONTINUES,
    OTHER,
    build_turns,
    unasked_close,
)
from indexer.linear import SequenceModel, default_models
from indexer.model import INTERVIEWEE, INTERVIEWER, Block, Document, Turn
from indexer.text.sentences import display_width, question_like

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"
ANSWER = (
    "I was going through a long winter in the north, and writing a lot at the time. It just "
    "clicked that I should try to capture how it feels to wait for the light to come back, "
    "and the people I met there were generous with their time and their stories."
)
LATER = (
    "We are opening in a few cities first, which I am very excited about. I have no idea how "
    "it will go though, and I don't even want to guess, because it is a first for all of us "
    "and the distributor tells me that small films find their audience slowly."
)
# An interview whose questions carry no label, after a short intro.
UNLABELLED = [
    "The Long Dark tells the story of two friends who wait out the polar night in a cabin. "
    "We met its director, Karl Brand, in Oslo.",
    "Where did the idea for The Long Dark come from?",
    ANSWER,
    "Why did you open the film in the winter?",
    LATER,
    "What do you want audiences to take away from it?",
    ANSWER.replace("winter", "spring"),
]


def read(texts: list[str], **hints: object) -> object:
    doc = Document(blocks=[Block(t) for t in texts])
    return parse_interview(doc, Hints(**hints), default_models())  # type: ignore[arg-type]


def committed() -> SequenceModel:
    model = default_models().turns
    assert model is not None, "turns.weights.json is missing"
    return model


def hand_model(**weights: list[float]) -> SequenceModel:
    """A hand-made model: these per-label weights, flat transitions."""
    n = len(CLASSES)
    return SequenceModel(
        labels=CLASSES,
        features=tuple(weights),
        weights=np.array(list(weights.values()), dtype=float).T.reshape(n, -1),
        bias=np.zeros(n),
        transitions=np.zeros((n, n)),
        start=np.zeros(n),
        boost=np.zeros(n),
    )


def test_unlabelled_questions_and_answers_are_read_as_turns() -> None:
    interview = read(UNLABELLED, title="Karl Brand on The Long Dark")
    assert interview.is_qa
    assert [t.role for t in interview.turns] == [INTERVIEWER, INTERVIEWEE] * 3
    assert interview.turns[0].text == UNLABELLED[1]
    assert {t.speaker for t in interview.turns if t.role == INTERVIEWEE} == {"Karl Brand"}


def test_numbered_and_dashed_questions_lose_their_marks() -> None:
    numbered = [UNLABELLED[0], "1. " + UNLABELLED[1], ANSWER, "2. " + UNLABELLED[3], LATER]
    interview = read(numbered, title="Karl Brand on The Long Dark")
    assert [t.text for t in interview.turns if t.role == INTERVIEWER] == [
        UNLABELLED[1],
        UNLABELLED[3],
    ]
    dashed = [UNLABELLED[0], "― " + UNLABELLED[1], "— " + ANSWER, "― " + UNLABELLED[3], LATER]
    interview = read(dashed, title="Karl Brand on The Long Dark")
    assert interview.turns[0].text == UNLABELLED[1]
    assert interview.turns[1].text.startswith("I was going through")


def test_a_narrative_page_has_no_turns() -> None:
    prose = [
        "Karl Brand has spent a decade in the north, and it shows in every frame.",
        ANSWER.replace("I was", "He was").replace(" I ", " he "),
        "The film opens on Friday in a few cities, and more will follow in the spring.",
    ]
    interview = read(prose, title="The Long Dark review")
    assert not interview.is_qa and interview.turns == []


def test_nobody_named_is_no_speaker_rather_than_a_placeholder() -> None:
    interview = read(UNLABELLED[1:], publication="")
    assert interview.is_qa
    assert all(t.speaker not in ("Interviewer", "Interviewee") for t in interview.turns)


def test_question_marks_of_every_script_ask() -> None:
    for text in ("Why August?", "لماذا أغسطس؟", "なぜ八月ですか？", "Γιατί τον Αύγουστο;", "Why?»"):
        assert script_features(text)["asks_any"] == 1.0, text
    assert script_features("He said; then left.")["asks_any"] == 0.0  # ";" asks only in Greek
    assert script_features("Pourquoi ce titre ?")["interrogative"] == 1.0
    assert script_features("Warum dieser Titel?")["interrogative"] == 1.0
    assert script_features("Was hat Sie überrascht?")["you_any"] == 1.0
    for text in ("你为什么拍这部电影?", "あなたはなぜ撮ったのですか？", "당신은 왜 찍었나요?"):
        assert script_features(text)["you_any"] == 1.0, text
    assert script_features("他为什么拍这部电影?")["you_any"] == 0.0


def test_a_japanese_question_may_end_with_its_particle_and_a_full_stop() -> None:
    assert question_like("撮影しようと思ったきっかけについて教えていただけますか。")
    assert question_like("それは本当なのでしょうか")
    assert not question_like("撮影は三年前に始まりました。")
    assert not question_like("Pick a card, any card. Or not. Kafka")  # ends in "ka", not か


def test_length_and_sentences_count_wide_characters_twice() -> None:
    japanese = "撮影は三年前に始まりましたが、最初は短篇の予定でした。"  # 27 characters
    assert display_width(japanese) == 54
    feats = text_features(Block(japanese))
    assert feats["sentence"] == 1.0  # no spaces, yet a sentence of many words
    assert feats["log_chars"] == text_features(Block("x" * 54))["log_chars"]


def test_viterbi_follows_the_transitions() -> None:
    model = hand_model(a=[0.0, 0.0, 2.0, 0.0], b=[0.0, 0.0, 0.0, 2.0])
    rows = [{"a": 1.0}, {"b": 1.0}, {"b": 1.0}]
    assert model.decode(rows) == [ASKS, ANSWERS, ANSWERS]
    # Forbid an answer right after an answer: the two units cannot both begin answers.
    transitions = np.zeros((4, 4))
    transitions[ANSWERS, ANSWERS] = -50.0
    forbidding = replace(model, transitions=transitions)
    path = forbidding.decode(rows)
    assert ANSWERS in path and path[1:] != [ANSWERS, ANSWERS]
    assert model.decode([]) == []


def test_weights_round_trip_through_json() -> None:
    model = hand_model(a=[0.0, 1.0, 2.0, 3.0], b=[1.0, 0.0, 0.0, 0.0], zero=[0.0] * 4)
    again = SequenceModel.from_json(model.to_json())
    assert again.features == ("a", "b")  # a feature that weighs nothing is dropped
    rows = [{"a": 1.0, "b": 0.5}, {"b": 1.0}]
    assert np.allclose(again.log_probs(rows), model.log_probs(rows))


def test_committed_weights_name_only_features_the_code_makes() -> None:
    model = committed()
    assert model.meta["feature_version"] == FEATURE_VERSION
    labelled = ["Ann Moss: Why did you film in the north?", f"Karl Brand: {ANSWER}"]
    produced: set[str] = set()
    for texts in (UNLABELLED, labelled * 2):
        reading = read_turns(Document(blocks=[Block(t) for t in texts]), Hints())
        produced |= {name for row in unit_features(reading) for name in row}
    assert set(model.features) <= produced, set(model.features) - produced


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/realworld is not beside the project")
def test_committed_weights_were_fitted_on_todays_pages() -> None:
    pytest.importorskip("sklearn")
    from benchmarks.fit_turns import DEVSET, pages_hash
    from benchmarks.realworld import load_items

    items = [*load_items(REALWORLD), *load_items(DEVSET)]
    assert committed().meta["pages_sha256"] == pages_hash(items), (
        "the annotated pages changed: refit with python -m benchmarks.fit_parser"
    )


def test_unit_targets_follow_the_annotated_turns() -> None:
    fit_turns = pytest.importorskip("benchmarks.fit_turns")
    texts = [
        "An intro.",
        "Ann Moss: Why did you film in the north?",
        f"Karl Brand: {ANSWER}",
        LATER,
    ]
    reading = read_turns(Document(blocks=[Block(t) for t in texts]), Hints())
    turns = [
        {"starts_with": "Why did you film", "role": INTERVIEWER},
        {"starts_with": "I was going through", "role": INTERVIEWEE},
    ]
    assert fit_turns.unit_targets(reading, turns) == [OTHER, ASKS, ANSWERS, CONTINUES]


def labelled_item(text: str, label_format: str = "full_name") -> object:
    from benchmarks.realworld import Item

    turns = [
        {"starts_with": "Why did you film", "role": INTERVIEWER, "speaker": "Ann Moss"},
        {"starts_with": "I was going through", "role": INTERVIEWEE, "speaker": "Karl Brand"},
        {"starts_with": "We are opening", "role": INTERVIEWEE, "speaker": "Karl Brand"},
    ]
    expected = {"is_qa": True, "label_format": label_format, "turns": turns}
    return Item({"id": "page", "text": text, "expected": expected}, Path("."))


def test_a_labelled_page_is_also_taught_without_its_labels() -> None:
    fit_turns = pytest.importorskip("benchmarks.fit_turns")
    text = "\n".join(
        ["An intro: the film opens Friday.", "  Ann Moss: Why did you film in the north?"]
        + ["Karl Brand:", ANSWER, "Karl Brand:", LATER]
    )
    copy = fit_turns.unlabelled(labelled_item(text))
    assert copy.id == "page+unlabelled"
    assert copy.data["text"].split("\n") == [
        "An intro: the film opens Friday.",  # a colon that opens no turn stays
        "  Why did you film in the north?",
        ANSWER,
        LATER,
    ]
    assert copy.expected["label_format"] == "unlabeled_questions"
    assert copy.expected["turns"] == labelled_item(text).expected["turns"]


def test_a_page_without_labels_at_its_turns_is_not_copied() -> None:
    fit_turns = pytest.importorskip("benchmarks.fit_turns")
    bare = "\n".join(["Why did you film in the north?", ANSWER, LATER])
    assert fit_turns.unlabelled(labelled_item(bare)) is None
    assert fit_turns.unlabelled(labelled_item(bare, "unlabeled_questions")) is None
    # labels at only one turn of three leave a mixed page: no copy
    partly = "\n".join(["Ann Moss: Why did you film in the north?", ANSWER, LATER])
    assert fit_turns.unlabelled(labelled_item(partly)) is None


SPANISH = "Fue un rodaje muy largo, con semanas en el río y un equipo pequeño que lo aguantó todo."


def test_capitalised_question_and_answer_words_are_labels_not_speakers() -> None:
    texts = [
        "Entrevista con Lucía Ferrand, directora de El río.",
        "PREGUNTA: ¿Cómo empezó todo?",
        f"RESPUESTA: {SPANISH}",
        "PREGUNTA: ¿Y el reparto?",
        f"RESPUESTA: {SPANISH}",
    ]
    interview = read(texts, title="Lucía Ferrand: «El río»", publication="El Diario")
    assert [t.speaker for t in interview.turns] == ["El Diario", "Lucía Ferrand"] * 2


def test_a_label_followed_by_a_date_is_no_speaker() -> None:
    texts = [
        "Q: How did it start?",
        f"Lucía Ferrand: {ANSWER}",
        "Q: And the cast?",
        f"Lucía Ferrand: {LATER}",
        "Last Updated: March 3, 2024",
    ]
    interview = read(texts, title="Lucía Ferrand on El río", publication="Film Notes")
    assert "Last Updated" not in {t.speaker for t in interview.turns}
    assert len(interview.turns) == 4


def test_a_role_written_before_the_name_is_not_part_of_it() -> None:
    texts = [
        "Q: How did it start?",
        f"Regisseur Lucía Ferrand: {ANSWER}",
        "Q: And the cast?",
        f"Regisseur Lucía Ferrand: {LATER}",
    ]
    interview = read(texts, title="Lucía Ferrand on El río", publication="Film Notes")
    assert {t.speaker for t in interview.turns if t.role == INTERVIEWEE} == {"Lucía Ferrand"}


def test_a_label_alone_begins_a_turn_only_when_its_speaker_recurs() -> None:
    texts = [
        "Q: How did it start?",
        f"Lucía Ferrand: {ANSWER}",
        "Watch The Trailer:",  # a heading with a colon, written once
        "It opens on Friday in a few cities.",
        "Q: And the cast?",
        "Lucía Ferrand:",  # the guest's label alone on its line
        LATER,
    ]
    reading = read_turns(Document(blocks=[Block(t) for t in texts]), Hints(publication="Notes"))
    labels = [ASKS, ANSWERS, CONTINUES, CONTINUES, ASKS, CONTINUES, CONTINUES]
    turns, starts = build_turns(reading, labels)
    assert [t.speaker for t in turns] == ["Notes", "Lucía Ferrand", "Notes", "Lucía Ferrand"]
    assert starts == [0, 1, 4, 6]
    assert "opens on Friday" in turns[1].text and "Watch The Trailer" not in turns[1].text


def test_a_page_with_faint_exchanges_is_read_again_leaning_towards_turns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from indexer.dialogue import sequence

    page = [
        "Karl Brand's The Long Dark opens this week. We met him in Oslo.",
        "Tell us about the cabin.",
        ANSWER,
        "Describe the first day of shooting.",
        LATER,
        "And the polar night itself.",
        ANSWER.replace("winter", "spring"),
    ]
    interview = read(page, title="Karl Brand on The Long Dark")
    assert interview.is_qa  # type: ignore[attr-defined]
    assert [t.role for t in interview.turns[-2:]] == [INTERVIEWER, INTERVIEWEE]  # type: ignore[attr-defined]
    monkeypatch.setattr(sequence, "RETRY_BOOST", 0.0)
    assert not read(page, title="Karl Brand on The Long Dark").is_qa  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "title",
    ["Karl Brand: rozhovor", "カール・ブランド インタビュー", "칼 브랜드 인터뷰"],
)
def test_a_page_that_says_it_is_an_interview_is_read_leaning_further(
    monkeypatch: pytest.MonkeyPatch, title: str
) -> None:
    from indexer.dialogue import sequence

    page = [
        "Karl Brand's The Long Dark opens this week. We met him in Oslo.",
        "The cabin.",
        ANSWER,
        "The first day of shooting.",
        LATER,
    ]
    monkeypatch.setattr(sequence, "RETRY_BOOST", 0.0)  # no lean but for the announcement
    assert not read(page, title="Karl Brand on The Long Dark").is_qa  # type: ignore[attr-defined]
    interview = read(page, title=title)
    assert interview.is_qa  # type: ignore[attr-defined]
    roles = [t.role for t in interview.turns]  # type: ignore[attr-defined]
    assert roles[:2] == [INTERVIEWER, INTERVIEWEE]
    monkeypatch.setattr(sequence, "ANNOUNCED_BOOST", 0.0)
    assert not read(page, title=title).is_qa  # type: ignore[attr-defined]


def test_leaning_towards_turns_never_makes_prose_an_interview() -> None:
    review = [
        "The Long Dark tells the story of two friends who wait out the polar night.",
        "Karl Brand directs with patience; the cabin becomes a world of its own.",
        "The film opens on Friday in three cities, and it deserves an audience.",
    ]
    assert not read(review, title="Review: The Long Dark").is_qa  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "self_"),
    [
        ("I was there for two winters.", True),
        ("Nous avons tourné en hiver.", True),
        ("मैंने यह फ़िल्म बनाई।", True),
        ("저는 겨울에 촬영했어요.", True),
        ("私は冬に撮影しました。", True),
        ("The film opens in US theaters.", False),
        ("It opens on Friday.", False),
    ],
)
def test_speaking_of_oneself_in_many_languages(text: str, self_: bool) -> None:
    from indexer.dialogue.features import speaks_of_self

    assert speaks_of_self(text) is self_


def test_a_closing_line_that_asks_nothing_is_not_a_question() -> None:
    asks = [Turn("Ann Moss", "", INTERVIEWER, q) for q in ("Why the north?", "And the cold?")]
    says = [Turn("Karl Brand", "Karl", INTERVIEWEE, ANSWER) for _ in asks]
    page = [asks[0], says[0], asks[1], says[1]]
    closing = Turn("Ann Moss", "", INTERVIEWER, "The film opens on Friday.")
    assert unasked_close([*page, closing])
    assert not unasked_close([*page, replace(closing, text="The film opens on Fri")])  # cut off
    unlabelled = [replace(t, label="") for t in page]  # a statement may be a question there
    assert not unasked_close([*unlabelled, closing])
