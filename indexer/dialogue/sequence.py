"""The turn reader: one fitted sequence model labels every unit of the page.

Each unit (a block: a line of plain text, a paragraph of HTML, a question split off its
answer) is labelled `other` (intro, caption, chrome), `continues` (more of the turn before),
`asks` (an interviewer's turn begins) or `answers` (an interviewee's turn begins), by a
`linear.SequenceModel` over the named features of `features.unit_features`, the rules' own
readings among them. The weights live in `turns.weights.json` (fitted by
`python -m benchmarks.fit_parser`); is_qa follows from the exchanges the model reads.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from indexer.dialogue.features import addresses_you, speaks_of_self, unit_features
from indexer.dialogue.questions import IMPERATIVE_QUESTION, INTERVIEW_WORD, TURN_MARK
from indexer.linear import SequenceModel
from indexer.model import INTERVIEWEE, INTERVIEWER, Turn
from indexer.text.sentences import question_like

if TYPE_CHECKING:
    from indexer.dialogue.interview import Reading

CLASSES = ("other", "continues", "asks", "answers")
OTHER, CONTINUES, ASKS, ANSWERS = range(len(CLASSES))
ROLE_OF = {ASKS: INTERVIEWER, ANSWERS: INTERVIEWEE}
MIN_EXCHANGES = 1  # a question and an answer to it: fewer is a quotation, not an interview
BEGINS = {role: label for label, role in ROLE_OF.items()}
# Added to the log-probabilities of the labels that begin a turn when a first reading finds
# no question answered: on ../shared/realworld 1.0 to 2.0 read as many interviews, and only
# above 1.0 does prose begin to read as one.
RETRY_BOOST = 1.0
# The lean for a page whose headline or opening says it is an interview. Out of fold on
# ../shared/realworld, 2.0 reads four more interviews as interviews, and two articles; on
# the held-out pages of ../shared/blind, 1.5 read none more and 2.0 two more interviews.
ANNOUNCED_BOOST = 2.0
TOP_BLOCKS = 10  # the opening of the page, where an interview is announced


def read_by_model(reading: Reading, model: SequenceModel) -> None:
    """Replace the rules' turns with the model's: every unit labelled, turns built from
    the labels, is_qa when at least one question is answered."""
    rows = unit_features(reading)
    log_probs = model.log_probs(rows) if rows else np.zeros((0, len(CLASSES)))
    labels = model.viterbi(log_probs)
    turns, starts = build_turns(reading, labels)
    exchanges = answered(turns)
    if exchanges < MIN_EXCHANGES:
        # Read again leaning further towards turns: faint exchanges still make an interview
        # when a question addresses someone or an answer speaks in the first person (an
        # FAQ's questions are the reader's, its answers speak of the film).
        again = model.viterbi(log_probs, RETRY_BOOST)
        retried, retried_starts = build_turns(reading, again)
        if any(conversing(t) for t in retried):
            labels, turns, starts = again, retried, retried_starts
            exchanges = answered(turns)
            reading.notes.append("turn model: read again leaning towards turns")
    if exchanges < MIN_EXCHANGES and announced(reading):
        # A page that says it is an interview is read leaning further still.
        again = model.viterbi(log_probs, ANNOUNCED_BOOST)
        retried, retried_starts = build_turns(reading, again)
        if answered(retried) >= MIN_EXCHANGES:
            labels, turns, starts = again, retried, retried_starts
            exchanges = answered(turns)
            reading.notes.append("turn model: the page says it is an interview, read again")
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
    ruled = set(reading.starts)
    for i, label in enumerate(labels):
        if (label in ROLE_OF) != (i in ruled):
            verb = "starts" if label in ROLE_OF else "joins"
            reading.notes.append(
                f"turn model {verb} a turn at unit {i} ({CLASSES[label]}; "
                f"{model.cues(rows[i], label)}): {reading.blocks[i].text[:50]!r}"
            )
    if unasked_close(turns):
        reading.notes.append(
            f"the closing line asks nothing: not a question {turns[-1].text[:50]!r}"
        )
        turns, starts = turns[:-1], starts[:-1]
    first = min(starts, default=len(reading.blocks))
    reading.intro = reading.blocks[:first]
    reading.turns, reading.starts = turns, starts


def unasked_close(turns: list[Turn]) -> bool:
    """The last turn is a whole sentence that asks nothing ("X is in cinemas from Friday.")
    on a page whose every other question ends with a question mark and whose every answer
    is labelled: a closing line (a statement put as a question, or an excerpt cut off
    mid-question, keeps its last turn where answers go unlabelled)."""
    asked = [t.text for t in turns[:-1] if t.role == INTERVIEWER]
    answers = [t for t in turns if t.role == INTERVIEWEE]
    last = turns[-1] if turns else None
    return (
        last is not None
        and last.role == INTERVIEWER
        and not last.label
        and len(asked) >= 2
        and all(question_like(t) for t in asked)
        and len(answers) >= 2
        and all(t.label for t in answers)
        and not (question_like(last.text) or addresses_you(last.text))
        and not IMPERATIVE_QUESTION.match(last.text)
        and last.text.rstrip(" \"”’')").endswith((".", "!", "。"))
    )


def announced(reading: Reading) -> bool:
    """The headline or the first blocks call the page an interview, in any language."""
    top = [reading.hints.title, *(b.text for b in reading.blocks[:TOP_BLOCKS])]
    return any(INTERVIEW_WORD.search(text) for text in top)


def conversing(turn: Turn) -> bool:
    """A question put to "you", or an answer that says "I" or "we"."""
    if turn.role == INTERVIEWER:
        return addresses_you(turn.text)
    return speaks_of_self(turn.text)


def answered(turns: list[Turn]) -> int:
    """How many questions are answered: an interviewer's turn, then an interviewee's."""
    return sum(
        a.role == INTERVIEWER and b.role == INTERVIEWEE
        for a, b in zip(turns, turns[1:], strict=False)
    )


def build_turns(reading: Reading, labels: list[int]) -> tuple[list[Turn], list[int]]:
    """Turns from unit labels: a label starts one, `continues` extends it, `other` is left
    out. A labelled unit names its speaker; an unlabelled one is whoever last spoke in its
    role, else the interviewer or the subject."""
    turns: list[Turn] = []
    starts: list[int] = []
    repeats = Counter(lab.speaker for lab in reading.found.values())
    for i, label in enumerate(labels):
        text = reading.blocks[i].text
        lab = reading.speaker_label(i)
        if label == CONTINUES and lab is not None and lab.index < i and repeats[lab.speaker] > 1:
            # A speaker's label alone on the line before: a new label begins a new turn (a
            # heading ending in a colon is written once).
            label = BEGINS.get(reading.named[lab.index].role, ANSWERS)
        if label == CONTINUES and turns:
            alone = i in reading.found and reading.speaker_label(i) is None
            if not alone and any(c.isalpha() for c in text):  # not a label, a timestamp
                turns[-1].text = f"{turns[-1].text}\n\n{text}".strip()
            continue
        if label not in ROLE_OF:
            continue
        role = ROLE_OF[label]
        if lab is None:
            turn = Turn(last_speaker(reading, turns, role), "", role, text)
        else:
            credit = reading.named[lab.index]
            said = lab.cand.rest if lab.index == i else text
            turn = Turn(credit.speaker, credit.written, credit.role or role, said)
        turn.text = TURN_MARK.sub("", turn.text).strip()
        if turn.text:
            turns.append(turn)
            starts.append(i)
    return turns, starts


def last_speaker(reading: Reading, turns: list[Turn], role: str) -> str:
    """Who last spoke in `role`, else the page's interviewer or subject (empty when the
    page names nobody)."""
    for turn in reversed(turns):
        if turn.role == role:
            return turn.speaker
    return reading.interviewer if role == INTERVIEWER else reading.subject
