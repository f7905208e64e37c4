"""The turn reader: one fitted sequence model labels every unit of the page.

Each unit (a block: a line of plain text, a paragraph of HTML, a question split off its
answer) is labelled `other` (intro, caption, chrome), `continues` (more of the turn before),
`asks` (an interviewer's turn begins) or `answers` (an interviewee's turn begins). The
emission scores are a multinomial logistic regression over the named features of
`features.unit_features`, the rules' own readings among them; a matrix of transition
scores between labels makes it a sequence model, decoded by Viterbi. The weights live in
`turns.weights.json` (fitted by `python -m benchmarks.fit_parser`); is_qa follows from the
exchanges the model reads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from indexer.dialogue.features import unit_features
from indexer.dialogue.questions import DASH_OPENER
from indexer.model import INTERVIEWEE, INTERVIEWER, Turn

if TYPE_CHECKING:
    from indexer.dialogue.interview import Reading

CLASSES = ("other", "continues", "asks", "answers")
OTHER, CONTINUES, ASKS, ANSWERS = range(len(CLASSES))
ROLE_OF = {ASKS: INTERVIEWER, ANSWERS: INTERVIEWEE}
MIN_EXCHANGES = 1  # a question and an answer to it: fewer is a quotation, not an interview
CUES_NOTED = 3  # the features that weighed most, named in the notes
# What opens a turn without being said: a dash, a question's number, a bullet.
TURN_MARK = re.compile(rf"{DASH_OPENER}|^(?:\d{{1,2}}[.)]|[•·▪◦])\s+")
PLACEHOLDERS = ("Interviewer", "Interviewee")  # what roles.py answers when it finds nobody


@dataclass(frozen=True)
class SequenceModel:
    """Per-label linear scores over named features, plus scores of label transitions."""

    features: tuple[str, ...]
    weights: np.ndarray  # labels x features
    bias: np.ndarray  # per label
    transitions: np.ndarray  # score of label b after label a, [a, b]
    start: np.ndarray  # score of the first unit's label
    boost: float = 0.0  # added to the scores of the labels that begin a turn
    meta: dict[str, Any] = field(default_factory=dict)

    def matrix(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        index = {f: n for n, f in enumerate(self.features)}
        x = np.zeros((len(rows), len(self.features)))
        for r, row in enumerate(rows):
            for name, value in row.items():
                col = index.get(name)
                if col is not None:
                    x[r, col] = value
        return x

    def log_probs(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        """log P(label | unit) from the unit's own features, one row per unit."""
        z: np.ndarray = self.matrix(rows) @ self.weights.T + self.bias
        z -= z.max(axis=1, keepdims=True)
        result: np.ndarray = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return result

    def decode(self, rows: Sequence[Mapping[str, float]]) -> list[int]:
        """The best label sequence (Viterbi) under emissions and transitions."""
        if not rows:
            return []
        emit = self.log_probs(rows)
        emit[:, [ASKS, ANSWERS]] += self.boost
        score = self.start + emit[0]
        back = np.zeros(emit.shape, dtype=int)
        for t in range(1, len(rows)):
            cand = score[:, None] + self.transitions
            back[t] = cand.argmax(axis=0)
            score = cand.max(axis=0) + emit[t]
        path = [int(score.argmax())]
        for t in range(len(rows) - 1, 0, -1):
            path.append(int(back[t, path[-1]]))
        return path[::-1]

    def cues(self, row: Mapping[str, float], label: int) -> str:
        """The features that pushed this unit furthest towards its label."""
        pulls = self.weights[label] * self.matrix([row])[0]
        order = np.argsort(-np.abs(pulls))[:CUES_NOTED]
        return ", ".join(f"{self.features[n]} {pulls[n]:+.1f}" for n in order if pulls[n])

    def to_json(self) -> dict[str, Any]:
        keep = [n for n in range(len(self.features)) if np.any(self.weights[:, n])]
        return {
            "name": "turns",
            "classes": list(CLASSES),
            "bias": [round(float(b), 6) for b in self.bias],
            "start": [round(float(b), 6) for b in self.start],
            "transitions": [[round(float(v), 6) for v in row] for row in self.transitions],
            "boost": self.boost,
            "weights": {
                self.features[n]: [round(float(w), 6) for w in self.weights[:, n]] for n in keep
            },
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SequenceModel:
        weights: dict[str, list[float]] = data["weights"]
        return cls(
            features=tuple(weights),
            weights=np.array(list(weights.values()), dtype=float).T.reshape(len(CLASSES), -1),
            bias=np.array(data["bias"], dtype=float),
            transitions=np.array(data["transitions"], dtype=float),
            start=np.array(data["start"], dtype=float),
            boost=float(data.get("boost", 0.0)),
            meta=dict(data.get("meta") or {}),
        )

    def dump(self, path: Path) -> None:
        text = json.dumps(self.to_json(), indent=1, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")


def read_by_model(reading: Reading, model: SequenceModel) -> None:
    """Replace the rules' turns with the model's: every unit labelled, turns built from
    the labels, is_qa when at least one question is answered."""
    rows = unit_features(reading)
    labels = model.decode(rows)
    turns, starts = build_turns(reading, labels)
    exchanges = sum(
        a.role == INTERVIEWER and b.role == INTERVIEWEE
        for a, b in zip(turns, turns[1:], strict=False)
    )
    was = reading.is_qa
    reading.is_qa = exchanges >= MIN_EXCHANGES
    if reading.is_qa != was:
        reading.notes.append(
            f"turn model: {'an interview' if reading.is_qa else 'not an interview'}, "
            f"{exchanges} question(s) answered"
        )
    if not reading.is_qa:
        reading.turns, reading.starts = [], []
        return
    for i, label in enumerate(labels):
        rule = i in reading.starts
        if (label in ROLE_OF) != rule:
            verb = "starts" if label in ROLE_OF else "joins"
            reading.notes.append(
                f"turn model {verb} a turn at unit {i} ({CLASSES[label]}; "
                f"{model.cues(rows[i], label)}): {reading.blocks[i].text[:50]!r}"
            )
    first = min(starts, default=len(reading.blocks))
    reading.intro = reading.blocks[:first]
    reading.turns, reading.starts = turns, starts


def build_turns(reading: Reading, labels: list[int]) -> tuple[list[Turn], list[int]]:
    """Turns from unit labels: a label starts one, `continues` extends it, `other` is left
    out. A labelled unit names its speaker; an unlabelled one is whoever last spoke in its
    role, else the interviewer or the subject."""
    turns: list[Turn] = []
    starts: list[int] = []
    for i, label in enumerate(labels):
        block = reading.blocks[i]
        named_before = reading.found.get(i - 1)
        if label == CONTINUES and named_before is not None and not named_before.cand.rest:
            label = ASKS if named_before.speaker == "Q" else ANSWERS  # a new label, a new turn
        if label == CONTINUES and turns:
            if i in reading.found and not reading.found[i].cand.rest:
                continue  # a label alone on its line names the next unit's speaker
            if not any(c.isalpha() for c in block.text):
                continue  # a timestamp or a separator adds nothing to the turn
            turns[-1].text = f"{turns[-1].text}\n\n{block.text}".strip()
            continue
        if label not in ROLE_OF:
            continue
        turn = labelled_turn(reading, i, ROLE_OF[label])
        if turn is None:
            turn = Turn(
                last_speaker(reading, turns, ROLE_OF[label]), "", ROLE_OF[label], block.text
            )
        turn.text = TURN_MARK.sub("", turn.text).strip()
        if turn.text:
            turns.append(turn)
            starts.append(i)
    return turns, starts


def labelled_turn(reading: Reading, i: int, role: str) -> Turn | None:
    """The turn a label at unit i (or alone on the unit before) opens, named by the label."""
    named = reading.named.get(i)
    text = reading.found[i].cand.rest if i in reading.found else ""
    if named is None or not text:
        before = reading.found.get(i - 1)
        if before is None or before.cand.rest:
            return None
        named, text = reading.named[i - 1], reading.blocks[i].text
    speaker, written, label_role = named
    return Turn(speaker, written, label_role or role, text)


def last_speaker(reading: Reading, turns: list[Turn], role: str) -> str:
    """Who last spoke in `role`, else the page's interviewer or subject; empty rather than
    a placeholder when the page names nobody."""
    for turn in reversed(turns):
        if turn.role == role:
            return turn.speaker
    name = reading.interviewer if role == INTERVIEWER else reading.subject
    return "" if name in PLACEHOLDERS else name
