"""Document blocks -> speaker turns -> names resolved -> Q&A (or narrative) passages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import NamedTuple

from indexer.dialogue.labels import (
    HOST_WORDS,
    SOUNDBITE_LABEL,
    Candidate,
    Label,
    accept_labels,
    answering_role,
    asking_role,
    is_role,
    split_inline_labels,
)
from indexer.dialogue.questions import (
    TURN_MARK,
    asks_mostly,
    is_plain_question,
    split_flattened,
    split_glued,
    unlabelled_questions,
)
from indexer.dialogue.roles import (
    Hints,
    describe_style,
    interviewer_name,
    is_outlet,
    speaker_roles,
)
from indexer.dialogue.sequence import read_by_model
from indexer.dialogue.subject import choose_subject, likeliest, subject_candidates
from indexer.linear import LinearModel, Models
from indexer.model import INTERVIEWEE, INTERVIEWER, Block, Document, Passage, Turn, unique
from indexer.text.names import UPPER, find_names, fold, looks_like_name
from indexer.text.sentences import question_like

# --- Tables -------------------------------------------------------------------------------

# "I'm Dave Davies" / "This is X. I'm Y": a host introducing themself opens the interview.
HOST_INTRO = re.compile(rf"\bI['’]m (?P<name>{UPPER}[\w’'\-]+(?: {UPPER}[\w’'\-]+){{1,3}})")
PERSON = rf"{UPPER}[\w’'\-]+(?: {UPPER}[\w’'\-]+){{1,2}}"
MEETS = (
    r"(?:s[ai]ts? down|spoke|speaks|talk(?:s|ed)|catch(?:es)? up|caught up|meets? up|met up|"
    r"chat(?:s|ted)) (?:with|to)"
)
# "Our film editor Hannah Cole sat down with him": the intro names who asks (the object
# must be the guest, not "us": "Kore-eda spoke with us" names the guest).
INTRO_ASKER = re.compile(
    rf"(?P<name>{PERSON}) {MEETS} (?:him|her|them|the (?:director|filmmaker|stars?|actors?|"
    r"actress|cast)\b|(?:director|filmmaker|actor|actress) [A-Z]|[A-Z][\w’'\-]+ [A-Z])"
)
# "Director Erik Vale, in town this week, talked to Nell Harrow": the guest, given a job,
# talks to the asker.
JOB = r"(?i:director|filmmaker|actor|actress|writer|star|creator)"
GUEST_FIRST = re.compile(rf"\b{JOB}\W+{PERSON}\b[^.?!]*? {MEETS} (?P<name>{PERSON})\b")
GUEST_JOB = re.compile(rf"{JOB}\W*$")
# "with host Ann Lee", "moderated by Ann Lee", "ведущая Анна Ли": the intro names who asks
# by their part.
HOSTED = re.compile(
    rf"\b(?i:{'|'.join([*HOST_WORDS, 'hosted by', 'presented by', 'moderated by'])})\s+"
    rf"(?P<name>{PERSON})\b"
)
STAGE_DIRECTION = re.compile(r"^\(.*\)$|^\[.*\]$")
# "[00:00:08] Rob Keating: ...": a transcript's timestamp before the label.
LEADING_TIMESTAMP = re.compile(r"^[\[(]\d{1,2}:\d{2}(?::\d{2})?[\])]\s*")
INLINE_TIMESTAMP = re.compile(
    r"^(?P<label>[^\d:()\[\]\n]{2,40}?)\s+[\[(]\d{1,2}:\d{2}(?::\d{2})?[\])]\s*:?\s+(?P<rest>\S.*)$",
    re.S,
)
NARRATIVE_CHARS = 1200  # target size of a narrative passage


@dataclass
class Interview:
    """What interview parsing found: turns, passages, the people and why."""

    is_qa: bool = False
    turns: list[Turn] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    interviewers: list[str] = field(default_factory=list)
    interviewees: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- Public API -----------------------------------------------------------------------------


class Credit(NamedTuple):
    """Whom a label credits with a turn: the speaker's name, the label as written, the role
    ("" when the page does not say)."""

    speaker: str
    written: str
    role: str


@dataclass
class Reading:
    """What the rules make of the blocks, before any fitted model weighs in."""

    blocks: list[Block]
    hints: Hints = field(default_factory=Hints)
    labels: dict[int, Label] = field(default_factory=dict)
    found: dict[int, Label] = field(default_factory=dict)  # every label, before any gate
    roles: dict[str, str] = field(default_factory=dict)  # each labelled speaker's role
    named: dict[int, Credit] = field(default_factory=dict)  # whom each found label credits
    questions: list[int] = field(default_factory=list)
    ignored: set[int] = field(default_factory=set)  # labels the rules found, then set aside
    is_qa: bool = False
    turns: list[Turn] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # block where each turn's text begins
    intro: list[Block] = field(default_factory=list)
    interviewer: str = ""
    askers: set[str] = field(default_factory=set)  # labelled speakers who only ask
    notes: list[str] = field(default_factory=list)
    subject_model: LinearModel | None = None  # weighs who the interview is with

    @cached_property
    def subject(self) -> str:
        """The person interviewed ("" when nobody stands out), worked out when a turn or a
        label needs it: most pages that are not interviews never ask."""
        if self.hints.interviewees:
            return self.hints.interviewees[0]
        candidates = self.subject_candidates()
        chosen = choose_subject(candidates, self.subject_model)
        if candidates and not chosen:
            name, p = likeliest(candidates, self.subject_model)
            self.notes.append(
                f"nobody named as the interviewee: the likeliest, {name!r}, is only {p:.2f} sure"
            )
        return chosen

    def subject_candidates(self) -> dict[str, dict[str, float]]:
        """Whom the page could be interviewing, with the features the subject model weighs:
        anyone named but the interviewer, the authors and who only asks."""
        asked: dict[str, list[bool]] = {}
        for lab in self.found.values():
            if lab.speaker not in ("Q", "A") and not is_role(lab.speaker):
                asked.setdefault(lab.speaker, []).append(question_like(lab.cand.rest))
        shares = {s: sum(a) / len(a) for s, a in asked.items()}
        skip = [self.interviewer, *self.hints.authors, *self.askers]
        return subject_candidates(self.hints, self.blocks, skip, shares, self.answers())

    def answers(self) -> str:
        """What the rules read as answers: the text after the first label or question that
        asks nothing (without its label)."""
        first = min([*self.found, *self.questions], default=len(self.blocks))
        said = []
        for i in range(first, len(self.blocks)):
            lab = self.found.get(i)
            text = lab.cand.rest if lab else self.blocks[i].text
            if i not in self.questions and not question_like(text):
                said.append(text)
        return "\n".join(said)

    def speaker_label(self, i: int) -> Label | None:
        """The found label naming unit i's speaker: on the unit itself, or alone on the
        unit before it."""
        lab = self.found.get(i)
        if lab is not None and lab.cand.rest:
            return lab
        before = self.found.get(i - 1)
        return before if before is not None and not before.cand.rest else None


def parse_interview(doc: Document, hints: Hints, models: Models | None = None) -> Interview:
    """Split a document into speaker turns and passages, naming every speaker and role.

    The rules read labels, questions and people; the fitted turn model, when given, reads
    the turns with the rules' readings among its features (see sequence), and the subject
    model weighs who the interview is with (see subject)."""
    models = models or Models()
    reading = read_turns(doc, hints, models.subject)
    if models.turns is not None:
        read_by_model(reading, models.turns)
        opening = host_opening(reading.intro, reading.turns) if reading.is_qa else []
        reading.turns = opening + reading.turns
        reading.starts = [-1] * len(opening) + reading.starts
    return finish(reading)


def read_turns(doc: Document, hints: Hints, subject_model: LinearModel | None = None) -> Reading:
    """The rules' reading: labels, unlabelled questions, and the turns they start."""
    blocks = split_inline_labels(
        split_glued(without_timestamp(b) for b in doc.blocks if not STAGE_DIRECTION.match(b.text))
    )
    result = Reading(blocks, hints, subject_model=subject_model)
    pool = name_pool(blocks, hints)
    host = host_name(blocks[:12])
    known = {fold(n) for n in [*hints.authors, hints.publication, *hints.interviewers] if n}
    known |= {fold(n) for n in [*hints.interviewees, host] if n}
    labels = accept_labels(blocks, pool, known, hints.title, result.notes)
    result.found = dict(labels)
    speakers = {fold(lab.speaker) for lab in labels.values()}
    qa_labels = any(lab.speaker in ("Q", "A") for lab in labels.values())
    questions = unlabelled_questions(blocks, labels, result.notes)
    if not labels and not questions:
        flat = split_flattened(blocks, hints.title)
        if flat is not blocks:
            blocks = result.blocks = flat
            result.notes.append("questions run into the answers: split at questions to 'you'")
            questions = unlabelled_questions(blocks, labels, result.notes)
    hosted = bool(host and speakers and speakers <= {fold(host)})
    asking = len(speakers) == 1 and len(labels) >= 2 and asks_mostly(labels)
    if len(speakers) < 2 and not qa_labels and not questions and not asking:
        if not hosted:
            if labels:
                result.notes.append("one labelled speaker and no questions: labels ignored")
            result.ignored |= set(labels)
            labels = {}
            questions = unlabelled_questions(blocks, labels, result.notes)
    if labels and not (questions or qa_labels or hosted) and unasked(blocks, labels):
        result.notes.append("labelled quotations but nobody asks anything: labels ignored")
        result.ignored |= set(labels)
        labels = {}
    result.labels, result.questions = labels, questions
    narrative = not (labels or questions) or (
        labels and len(labels) + len(questions) < 2 and not hosted
    )
    first = min([*labels, *questions], default=len(blocks))
    name_people(result, hints, host, questions, first)
    if narrative:
        result.ignored |= set(labels)
        result.notes.append("no question-and-answer turns found: narrative article")
        return result
    result.is_qa = True
    interviewer, subject, roles = result.interviewer, result.subject, result.roles
    turns, starts = build_turns(blocks, labels, questions, roles, interviewer, subject, hints)
    intro = blocks[:first]
    opening = host_opening(intro, turns)
    result.turns, result.starts = opening + turns, [-1] * len(opening) + starts
    result.intro = intro
    return result


def name_people(result: Reading, hints: Hints, host: str, questions: list[int], first: int) -> None:
    """Who asks, who answers and each labelled speaker's role, from every label found
    (the gates that set labels aside do not blind the model that reads the turns)."""
    labels = result.found
    result.interviewer = interviewer_name(hints, host or intro_asker(result.blocks[:first]))
    result.notes.append(
        f"unlabelled or outlet-labelled questions are credited to {result.interviewer}"
    )
    if not labels:
        return
    result.askers = {
        lab.speaker
        for lab in labels.values()
        if asks_mostly({0: lab})
        and all(question_like(o.cand.rest) for o in labels.values() if o.speaker == lab.speaker)
    }
    subject = result.subject
    roles = speaker_roles(labels, result.blocks, hints, subject, result.interviewer, questions)
    result.notes.append(f"label style: {describe_style(labels, questions, hints)}")
    asker = labelled_asker(labels, roles)
    if questions and asker and fold(asker) != fold(result.interviewer):
        result.notes.append(f"unlabelled questions are {asker}'s, who asks under a label")
        result.interviewer = asker
    result.roles = roles
    for i, lab in labels.items():
        role = {"Q": INTERVIEWER, "A": INTERVIEWEE}.get(lab.speaker) or roles.get(lab.speaker, "")
        speaker = display_speaker(lab.speaker, role, result.interviewer, subject, hints)
        result.named[i] = Credit(speaker, lab.cand.written or lab.cand.label, role)


def finish(reading: Reading) -> Interview:
    """Passages and people from the turns read."""
    result = Interview(is_qa=reading.is_qa, notes=reading.notes)
    if not reading.is_qa:
        result.passages = narrative_passages(reading.blocks)
        return result
    result.turns = reading.turns
    result.passages = qa_passages(reading.intro, result.turns)
    result.interviewers = unique(t.speaker for t in result.turns if t.role == INTERVIEWER)
    result.interviewees = unique(t.speaker for t in result.turns if t.role == INTERVIEWEE)
    result.notes.append(
        f"{len(result.turns)} turns, {len(result.passages)} passages; "
        f"interviewers {result.interviewers}, interviewees {result.interviewees}"
    )
    return result


def without_timestamp(block: Block) -> Block:
    """The block without a leading "[00:01:02]"; "Dan Morrow (00:00:12) text" becomes
    "Dan Morrow: text"."""
    inline = INLINE_TIMESTAMP.match(block.text)
    if inline:
        label, rest = inline.group("label"), inline.group("rest")
        bold = label if block.bold_prefix.startswith(label) else ""
        return replace(block, text=f"{label}: {rest}", bold_prefix=bold)
    stamp = LEADING_TIMESTAMP.match(block.text)
    if not stamp:
        return block
    bold = block.bold_prefix[stamp.end() :] if block.bold_prefix.startswith(stamp.group(0)) else ""
    return replace(block, text=block.text[stamp.end() :], bold_prefix=bold.strip())


# --- Names ----------------------------------------------------------------------------------


def name_pool(blocks: list[Block], hints: Hints) -> list[str]:
    """Full names the text mentions, most frequent first, hint names before all."""
    counts = find_names(hints.title + "\n" + "\n".join(b.text for b in blocks))
    hinted = [*hints.interviewees, *hints.interviewers, *hints.authors]
    return unique([*hinted, *(n for n, _ in counts.most_common())])


def unasked(blocks: list[Block], labels: dict[int, Label]) -> bool:
    """Names introducing quotations, as in a round-up: most labelled lines open with a
    quotation mark or a bracket ("(The Blue Hour): “…”"), and nothing asks a question."""
    quoted = sum(bool(lab.cand.rest) and lab.cand.rest[0] in "“\"‘'(«" for lab in labels.values())
    # A question mark inside a long statement ("Where were we all taken back?") asks nobody.
    asked = any(is_plain_question(b.text) for b in blocks[min(labels) :])
    return 2 * quoted >= len(labels) and not asked


def labelled_asker(labels: dict[int, Label], roles: dict[str, str]) -> str:
    """The one person whose labelled turns ask, written as a full name ("Ann Moss:")."""
    askers = {lab.speaker for lab in labels.values() if roles.get(lab.speaker) == INTERVIEWER}
    if len(askers) != 1:
        return ""
    (asker,) = askers
    return asker if " " in asker and looks_like_name(asker) else ""


def intro_asker(intro: list[Block]) -> str:
    """The person the intro says sat down with the guest."""
    for block in intro:
        match = INTRO_ASKER.search(block.text)
        if match and GUEST_JOB.search(block.text, 0, match.start("name")):
            match = None  # "Director Oren Vast talks to Mira Castellane": he is the guest
        match = match or GUEST_FIRST.search(block.text) or HOSTED.search(block.text)
        if match and looks_like_name(match.group("name")):
            return match.group("name")
    return ""


def host_name(blocks: list[Block]) -> str:
    """A broadcast host who introduces themself ("I'm Dave Davies") near the top."""
    for block in blocks:
        host = HOST_INTRO.search(block.text)
        if host:
            return host.group("name")
    return ""


# --- Turns and passages ---------------------------------------------------------------------


def build_turns(
    blocks: list[Block],
    labels: dict[int, Label],
    questions: list[int],
    roles: dict[str, str],
    interviewer: str,
    subject: str,
    hints: Hints,
) -> tuple[list[Turn], list[int]]:
    """Walk the blocks from the first turn on, starting a turn at every label or question;
    also say at which block each turn's text begins."""
    turns: list[Turn] = []
    starts: list[int] = []
    qset = set(questions)
    # "Q1: ..." with unlabelled answers: the line after a question starts the answer.
    q_only = not any(lab.speaker == "A" for lab in labels.values())
    # Only the questions carry labels: the line after each starts the guest's answer.
    asks_only = all(roles.get(lab.speaker) == INTERVIEWER for lab in labels.values())
    qset |= {i for i, lab in labels.items() if lab.speaker == "Q" and q_only and lab.cand.rest}
    pending: Label | None = None  # a label alone on its line applies to the next block
    answer_next = False  # an unlabelled answer follows an unlabelled (or Q-only) question
    for i in range(min([*labels, *questions]), len(blocks)):
        block = blocks[i]
        lab = labels.get(i)
        if lab is not None and not lab.cand.rest:
            pending = lab
            continue
        if pending is not None and lab is None and i not in qset:
            cand = Candidate(pending.cand.label, block.text, pending.cand.how, pending.cand.written)
            lab, pending = Label(i, cand, pending.speaker), None
        if lab is not None and lab.speaker == "Q":
            written = lab.cand.written or lab.cand.label
            turns.append(Turn(interviewer, written, INTERVIEWER, lab.cand.rest))
            starts.append(i)
            answer_next = q_only or question_like(lab.cand.rest)
        elif lab is not None:
            role = roles.get(lab.speaker, INTERVIEWEE)
            speaker = display_speaker(lab.speaker, role, interviewer, subject, hints)
            turns.append(Turn(speaker, lab.cand.written or lab.cand.label, role, lab.cand.rest))
            starts.append(i)
            answer_next = asks_only and role == INTERVIEWER
        elif i in qset:
            if turns and answer_next and not turns[-1].label:
                turns[-1].text += "\n\n" + block.text  # a question over two paragraphs
            else:
                turns.append(Turn(interviewer, "", INTERVIEWER, block.text))
                starts.append(i)
            answer_next = True
        elif turns and answer_next:
            turns.append(Turn(subject, "", INTERVIEWEE, block.text))
            starts.append(i)
            answer_next = False
        elif turns:
            turns[-1].text = f"{turns[-1].text}\n\n{block.text}".strip()
    for turn in turns:
        turn.text = TURN_MARK.sub("", turn.text)
    kept = [n for n, t in enumerate(turns) if t.text]
    return [turns[n] for n in kept], [starts[n] for n in kept]


def display_speaker(speaker: str, role: str, interviewer: str, subject: str, hints: Hints) -> str:
    """Q/A, role and outlet labels stand for the interviewer and the interviewee: the
    named person, else the publication or nobody ("Reporter:", "Guest:")."""
    if speaker == "A":
        return subject
    if speaker == "Q":
        return interviewer
    if role == INTERVIEWER and asking_role(speaker) and not fold(speaker).startswith("audience"):
        return interviewer or speaker
    if role == INTERVIEWEE and answering_role(speaker):
        return subject or speaker
    if role == INTERVIEWER and fold(speaker) != fold(interviewer):
        outlet = is_outlet(speaker, hints.publication)
        if (
            outlet
            or speaker.isupper()
            or speaker[0].islower()
            or len(speaker.split()) < 2
            or not (looks_like_name(speaker) or asking_role(speaker))
        ):
            # An outlet or abbreviation asks: credit the named author, else the outlet.
            bare_pub = re.sub(r"\s*\([^)]*\)$", "", hints.publication)
            if interviewer and (outlet or interviewer != bare_pub):
                return interviewer
            return speaker
    return speaker


def host_opening(intro: list[Block], turns: list[Turn]) -> list[Turn]:
    """A broadcast host's unlabelled opening ("I'm Dave Davies") is their first turn."""
    hosts = {fold(t.speaker): t.speaker for t in turns if t.role == INTERVIEWER}
    for n, block in enumerate(intro):
        host = HOST_INTRO.search(block.text)
        if host and fold(host.group("name")) in hosts:
            taken = []
            for other in intro[n:]:
                if SOUNDBITE_LABEL.match(other.text.split(":")[0]):
                    break  # a clip from the film is not the host speaking
                taken.append(other.text)
            del intro[n:]
            return [Turn(hosts[fold(host.group("name"))], "", INTERVIEWER, "\n\n".join(taken))]
    return []


def qa_passages(intro: list[Block], turns: list[Turn]) -> list[Passage]:
    """An intro passage, then one passage per question with the answers that follow."""
    passages: list[Passage] = []
    if intro:
        text = "\n\n".join(b.text for b in intro)
        passages.append(Passage(anchor="intro", kind="intro", text=text))
    current: Passage | None = None
    for turn in turns:
        asks = turn.role == INTERVIEWER
        if current is None or (asks and current.answer_turns):
            current = Passage(anchor=f"q{sum(p.kind == 'qa' for p in passages) + 1}", kind="qa")
            passages.append(current)
        current.turns.append(turn)
    return passages


def narrative_passages(blocks: list[Block]) -> list[Passage]:
    """A few paragraphs per passage, for articles that are not Q&A."""
    passages: list[Passage] = []
    chunk: list[str] = []
    for block in blocks:
        chunk.append(block.text)
        if sum(len(c) for c in chunk) >= NARRATIVE_CHARS or len(chunk) >= 4:
            passages.append(Passage(f"p{len(passages) + 1}", "narrative", text="\n\n".join(chunk)))
            chunk = []
    if chunk:
        passages.append(Passage(f"p{len(passages) + 1}", "narrative", text="\n\n".join(chunk)))
    return passages
