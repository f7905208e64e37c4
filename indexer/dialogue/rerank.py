"""The fitted block model weighs in on the rules' turns: veto where it is sure, add where
it is sure, and leave the rules standing everywhere else.

P(a turn begins at block i) comes from `features.block_features` and the fitted weights.
A rule's turn whose start the model gives less than 1 - threshold joins the turn before
it; a block the rules leave inside a turn becomes a turn of its own at threshold or above.
A page left with fewer than MIN_TURNS turns is narrative.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from indexer.dialogue.features import block_features
from indexer.dialogue.questions import asks
from indexer.linear import LinearModel
from indexer.model import INTERVIEWEE, INTERVIEWER, Block, Turn

if TYPE_CHECKING:
    from indexer.dialogue.interview import Reading

MIN_TURNS = 2  # a question and its answer; fewer is a quotation, not an interview


def start_probabilities(reading: Reading, model: LinearModel) -> list[float]:
    """The model's probability that a turn begins at each block."""
    return [model.probability(f) for f in block_features(reading)]


def rerank_turns(reading: Reading, model: LinearModel) -> None:
    """Veto and add turns where the model is confident; notes say which and why."""
    if not reading.is_qa:
        return
    probs = start_probabilities(reading, model)
    veto_turns(reading, probs, 1.0 - model.threshold)
    if len(reading.turns) < MIN_TURNS:
        reading.is_qa = False
        reading.notes.append(
            f"block model: fewer than {MIN_TURNS} turns it believes in: narrative article"
        )
        return
    add_turns(reading, probs, model.threshold)


def veto_turns(reading: Reading, probs: list[float], below: float) -> None:
    """A turn whose start the model doubts joins the turn before it (or the intro)."""
    turns: list[Turn] = []
    starts: list[int] = []
    for turn, start in zip(reading.turns, reading.starts, strict=True):
        if start < 0 or probs[start] >= below:
            turns.append(turn)
            starts.append(start)
            continue
        reading.notes.append(
            f"block model vetoes the turn at block {start} (p={probs[start]:.2f}): "
            f"{turn.text[:50]!r}"
        )
        if turns:
            turns[-1].text = f"{turns[-1].text}\n\n{turn.text}"
        else:
            reading.intro.append(Block(turn.text))
    reading.turns, reading.starts = turns, starts


def add_turns(reading: Reading, probs: list[float], at_least: float) -> None:
    """Blocks inside a turn that the model is sure begin one are cut off as new turns; the
    role alternates, unless the block asks."""
    first = min((s for s in reading.starts if s >= 0), default=len(reading.blocks))
    taken = set(reading.starts)
    for i in range(first + 1, len(reading.blocks)):
        if i in taken or probs[i] < at_least or i in reading.labels:
            continue
        k = max(n for n, s in enumerate(reading.starts) if s < i)
        turn = reading.turns[k]
        text = reading.blocks[i].text
        cut = turn.text.find("\n\n" + text)
        if cut < 0:
            continue
        role = INTERVIEWER if asks(text) else other_role(turn.role)
        speaker = last_speaker(reading, k, role)
        reading.turns[k] = Turn(turn.speaker, turn.label, turn.role, turn.text[:cut])
        reading.turns.insert(k + 1, Turn(speaker, "", role, turn.text[cut + 2 :]))
        reading.starts.insert(k + 1, i)
        reading.notes.append(f"block model adds a turn at block {i} (p={probs[i]:.2f}): {role}")


def other_role(role: str) -> str:
    return INTERVIEWEE if role == INTERVIEWER else INTERVIEWER


def last_speaker(reading: Reading, k: int, role: str) -> str:
    """Who last spoke in that role, up to turn k; else the interviewer or the subject."""
    for turn in reversed(reading.turns[: k + 1]):
        if turn.role == role:
            return turn.speaker
    return reading.interviewer if role == INTERVIEWER else reading.subject
