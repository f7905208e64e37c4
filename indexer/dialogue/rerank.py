"""The fitted block model weighs in on the rules' turns: veto where it is sure, add where
it is sure, and leave the rules standing everywhere else.

P(a turn begins at block i) comes from `features.block_features` and the fitted weights.
A rule's turn whose start the model gives less than 1 - threshold joins the turn before
it; a block the rules leave inside a turn becomes a turn of its own at threshold or above.
A page left with fewer than MIN_TURNS turns is narrative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from indexer.dialogue.features import block_features
from indexer.dialogue.questions import asks
from indexer.linear import LinearModel
from indexer.model import INTERVIEWEE, INTERVIEWER, Block, Turn

if TYPE_CHECKING:
    from indexer.dialogue.interview import Reading

MIN_TURNS = 2  # a question and its answer; fewer is a quotation, not an interview


CUES_NOTED = 3  # the features that weighed most, named in the notes


@dataclass
class Scores:
    """The model's probability that a turn begins at each block, and the cues behind it."""

    probs: list[float]
    cues: list[str]

    def say(self, i: int) -> str:
        return f"p={self.probs[i]:.2f}; {self.cues[i]}"


def score_blocks(reading: Reading, model: LinearModel) -> Scores:
    """The model's word on every block of the reading."""
    feats = block_features(reading)
    return Scores([model.probability(f) for f in feats], [strongest(model, f) for f in feats])


def strongest(model: LinearModel, values: dict[str, float]) -> str:
    """The features that pushed the probability furthest, with their pull."""
    pulls = model.weights * model.vector(values)
    order = sorted(range(len(pulls)), key=lambda n: -abs(pulls[n]))[:CUES_NOTED]
    return ", ".join(f"{model.features[n]} {pulls[n]:+.1f}" for n in order if pulls[n])


def rerank_turns(reading: Reading, model: LinearModel) -> None:
    """Veto and add turns where the model is confident; notes say which and why."""
    if not reading.is_qa:
        return
    scores = score_blocks(reading, model)
    veto_turns(reading, scores, 1.0 - model.threshold)
    if len(reading.turns) < MIN_TURNS:
        reading.is_qa = False
        reading.notes.append(
            f"block model: fewer than {MIN_TURNS} turns it believes in: narrative article"
        )
        return
    add_turns(reading, scores, model.threshold)


def veto_turns(reading: Reading, scores: Scores, below: float) -> None:
    """A turn whose start the model doubts joins the turn before it (or the intro)."""
    turns: list[Turn] = []
    starts: list[int] = []
    for turn, start in zip(reading.turns, reading.starts, strict=True):
        if start < 0 or scores.probs[start] >= below:
            turns.append(turn)
            starts.append(start)
            continue
        reading.notes.append(
            f"block model vetoes the turn at block {start} ({scores.say(start)}): "
            f"{turn.text[:50]!r}"
        )
        if turns:
            turns[-1].text = f"{turns[-1].text}\n\n{turn.text}"
        else:
            reading.intro.append(Block(turn.text))
    reading.turns, reading.starts = turns, starts


def add_turns(reading: Reading, scores: Scores, at_least: float) -> None:
    """Blocks inside a turn that the model is sure begin one are cut off as new turns; the
    role alternates, unless the block asks. A question cut off this way is answered: the
    next block, if it was inside the same turn and does not ask, begins the answer."""
    first = min((s for s in reading.starts if s >= 0), default=len(reading.blocks))
    # Where both sides carry labels, every turn up to the last label has one.
    roles = {t.role for t in reading.turns if t.label}
    labelled_to = max(reading.labels) if len(roles) == 2 else -1
    form = question_form(reading)
    for i in range(max(first, labelled_to) + 1, len(reading.blocks)):
        if i in reading.starts or scores.probs[i] < at_least or i in reading.labels:
            continue
        if form and block_form(reading.blocks[i]) != form:
            reading.notes.append(f"block model: block {i} is not set like this page's questions")
            continue
        role = cut_turn(reading, i)
        if role is None:
            continue
        reading.notes.append(f"block model adds a turn at block {i} ({scores.say(i)}): {role}")
        after = i + 1
        if role == INTERVIEWER and after < len(reading.blocks) and after not in reading.starts:
            if after not in reading.labels and not asks(reading.blocks[after].text):
                if cut_turn(reading, after) is not None:
                    reading.notes.append(f"block model: block {after} answers the question")


def cut_turn(reading: Reading, i: int) -> str | None:
    """Start a turn at block i, inside the turn that holds it; the new turn's role, or
    None when the block cannot begin an unlabelled turn there."""
    k = max(n for n, s in enumerate(reading.starts) if s < i)
    turn = reading.turns[k]
    text = reading.blocks[i].text
    cut = turn.text.find("\n\n" + text)
    if cut < 0:
        return None
    role = INTERVIEWER if asks(text) else other_role(turn.role)
    if role == turn.role:
        return None  # without a label, the same speaker's next paragraph goes on the turn
    speaker = last_speaker(reading, k, role)
    reading.turns[k] = Turn(turn.speaker, turn.label, turn.role, turn.text[:cut])
    reading.turns.insert(k + 1, Turn(speaker, "", role, turn.text[cut + 2 :]))
    reading.starts.insert(k + 1, i)
    return role


def block_form(block: Block) -> tuple[str, bool]:
    return (block.kind, block.all_bold)


def question_form(reading: Reading) -> tuple[str, bool] | None:
    """How this page sets its questions apart (bold, a heading, a term of a list), when
    all of them are; None for questions set as plain paragraphs."""
    asked = [
        block_form(reading.blocks[s])
        for s, t in zip(reading.starts, reading.turns, strict=True)
        if s >= 0 and t.role == INTERVIEWER and not t.label
    ]
    if len(asked) < 2 or len(set(asked)) > 1 or asked[0] == ("p", False):
        return None
    return asked[0]


def other_role(role: str) -> str:
    return INTERVIEWEE if role == INTERVIEWER else INTERVIEWER


def last_speaker(reading: Reading, k: int, role: str) -> str:
    """Who last spoke in that role, up to turn k; else the interviewer or the subject."""
    for turn in reversed(reading.turns[: k + 1]):
        if turn.role == role:
            return turn.speaker
    return reading.interviewer if role == INTERVIEWER else reading.subject
