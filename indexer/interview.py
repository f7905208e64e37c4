"""Document blocks -> speaker turns -> names resolved -> Q&A (or narrative) passages."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .labels import Candidate, find_candidate, question_like
from .model import INTERVIEWEE, INTERVIEWER, Block, Document, Passage, Turn, unique
from .names import find_names, fold, initials_variants, match_label

# --- Tables -------------------------------------------------------------------------------

# Unlabelled prompts that are questions without a question mark.
IMPERATIVE_QUESTION = re.compile(
    r"^(?:tell (?:us|me)|talk (?:to us |to me )?(?:about|through|a bit|a little)|describe|"
    r"explain|let['’]s talk|walk (?:us|me) through|share|give us)\b",
    re.I,
)
# "I'm Dave Davies" / "This is X. I'm Y": a host introducing themself opens the interview.
HOST_INTRO = re.compile(r"\bI['’]m (?P<name>[A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+){1,3})")
# A soundbite label in a broadcast transcript ("Mr. TIMOTHY TREADWELL:").
SOUNDBITE_LABEL = re.compile(r"^(?:Mr|Mrs|Ms|Dr)\.\s+[A-Z][A-Z’'\-]+(?:\s+[A-Z][A-Z’'\-]+)*$")
STAGE_DIRECTION = re.compile(r"^\(.*\)$|^\[.*\]$")
NARRATIVE_CHARS = 1200  # target size of a narrative passage
MAX_QUESTION_CHARS = 600


@dataclass
class Interview:
    """What interview parsing found: turns, passages, the people and why."""

    is_qa: bool = False
    turns: list[Turn] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    interviewers: list[str] = field(default_factory=list)
    interviewees: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Hints:
    """Facts known before reading the turns (from the sidecar and metadata)."""

    title: str = ""
    publication: str = ""
    authors: list[str] = field(default_factory=list)
    interviewers: list[str] = field(default_factory=list)
    interviewees: list[str] = field(default_factory=list)


@dataclass
class _Label:
    index: int
    cand: Candidate
    speaker: str = ""


# --- Public API -----------------------------------------------------------------------------


def parse_interview(doc: Document, hints: Hints) -> Interview:
    """Split a document into speaker turns and passages, naming every speaker and role."""
    result = Interview()
    blocks = [b for b in doc.blocks if not STAGE_DIRECTION.match(b.text)]
    full_text = "\n".join(b.text for b in blocks)
    pool = name_pool(blocks, hints)
    labels = accepted_labels(blocks, hints, pool, full_text, result.notes)
    questions = unlabelled_questions(blocks, labels, result.notes)
    if len(labels) + len(questions) < 2 or not (labels or len(questions) >= 2):
        result.passages = narrative_passages(blocks)
        result.notes.append("no question-and-answer turns found: narrative article")
        return result
    result.is_qa = True
    first = min([*labels, *questions])
    intro = blocks[:first]
    interviewer = interviewer_name(hints, intro, pool)
    subject = subject_name(hints, blocks, pool, interviewer)
    roles = speaker_roles(labels, blocks, hints, subject, interviewer)
    result.turns = build_turns(blocks, labels, questions, roles, interviewer, subject)
    result.turns = host_opening(intro, result.turns) + result.turns
    result.passages = qa_passages(intro, result.turns)
    result.interviewers = unique(t.speaker for t in result.turns if t.role == INTERVIEWER)
    result.interviewees = unique(t.speaker for t in result.turns if t.role == INTERVIEWEE)
    result.notes.append(
        f"{len(result.turns)} turns, {len(result.passages)} passages; "
        f"interviewers {result.interviewers}, interviewees {result.interviewees}"
    )
    return result


# --- Names ----------------------------------------------------------------------------------


def name_pool(blocks: list[Block], hints: Hints) -> list[str]:
    """Full names the text mentions, most frequent first, hint names before all."""
    counts = find_names(hints.title + "\n" + "\n".join(b.text for b in blocks))
    hinted = [*hints.interviewees, *hints.interviewers, *hints.authors]
    return unique([*hinted, *(n for n, _ in counts.most_common())])


def resolve(label: str, pool: list[str], labels: list[str]) -> str:
    """Canonical name for a label: the fullest name (or label) it abbreviates."""
    if label in ("Q", "A"):
        return label
    if label.isupper() and " " in label:
        # "ALISON KLAYMAN" -> "Alison Klayman" when the text spells it normally somewhere.
        for name in [*pool, *labels]:
            if fold(name) == fold(label) and name != name.upper():
                return name
    longer_labels = [x for x in labels if len(x) > len(label)]
    if len(label) == 1:
        # One-letter labels abbreviate another label ("B" for "BUST").
        starts = [x for x in longer_labels if x[0].upper() == label.upper()]
        return starts[0] if len(unique(starts)) == 1 else label
    best = match_label(label, longer_labels) or match_label(label, pool)
    if not best and label.isupper() and len(label) <= 5:
        for other in longer_labels:
            if label.upper() in initials_variants(other):
                best = other
    return best or label


def accepted_labels(
    blocks: list[Block], hints: Hints, pool: list[str], full_text: str, notes: list[str]
) -> dict[int, _Label]:
    """Keep candidate labels that behave like speaker labels across the whole text."""
    found = {i: c for i, b in enumerate(blocks) if (c := find_candidate(b))}
    raw = unique(c.label for c in found.values() if len(c.label.split()) > 1 or c.label.isupper())
    speakers = {i: resolve(c.label, pool, raw) for i, c in found.items()}
    group_counts = Counter(fold(s) for s in speakers.values())
    title_key = fold(hints.title)
    known = {fold(n) for n in [*hints.authors, hints.publication, *hints.interviewers]}
    known |= {fold(n) for n in hints.interviewees}
    title_names = {fold(n) for n in find_names(hints.title)}
    accepted: dict[int, _Label] = {}
    for i, cand in found.items():
        speaker = speakers[i]
        key = fold(speaker)
        why = ""
        if SOUNDBITE_LABEL.match(cand.label):
            continue
        if cand.how in ("qa", "alone"):
            why = "Q/A label"
        elif is_title_colon(cand, blocks[i], full_text, title_key):
            notes.append(f"not a label (a title with a colon): {blocks[i].text[:60]!r}")
            continue
        elif cand.rest[:1].islower() and group_counts[key] < 2:
            continue  # turns start with a capital; "Name: she said" is ordinary prose
        elif group_counts[key] >= 2:
            why = f"used {group_counts[key]} times"
        elif key in known or key in title_names or fold(cand.label) in known:
            why = "names a known person or the outlet"
        elif len(speaker.split()) >= 2 and full_text.count(speaker) >= 2:
            why = "a name the article mentions"
        elif cand.how == "bold" and len(cand.label) > 1:
            why = "bold label"
        if why:
            accepted[i] = _Label(i, cand, speaker)
    # A lone label with no following accepted label of another speaker is not a dialogue.
    if len({fold(lab.speaker) for lab in accepted.values()}) < 2 and not any(
        lab.cand.how in ("qa", "alone") for lab in accepted.values()
    ):
        if accepted:
            notes.append("one labelled speaker only: labels ignored")
        return {}
    seen = Counter((lab.cand.label, lab.cand.how, lab.speaker) for lab in accepted.values())
    for (label, how, speaker), count in seen.items():
        notes.append(f"label {label!r} ({how}, {count}x) -> {speaker}")
    styles = Counter(lab.cand.how for lab in accepted.values())
    if styles:
        notes.append(f"label style: {dict(styles)}")
    return accepted


def is_title_colon(cand: Candidate, block: Block, full_text: str, title_key: str) -> bool:
    """ "Ai Weiwei: Never Sorry" is a title when that phrase also occurs mid-sentence."""
    head = " ".join(cand.rest.split()[:2])
    if not head:
        return False
    phrase = f"{cand.label}: {head}"
    if fold(block.text) == title_key or fold(phrase) == title_key[: len(fold(phrase))]:
        return bool(title_key) and title_key.startswith(fold(phrase))
    starts = sum(1 for line in full_text.split("\n") if line.startswith(phrase))
    return full_text.count(phrase) > starts


# --- Questions without labels ---------------------------------------------------------------


def unlabelled_questions(
    blocks: list[Block], labels: dict[int, _Label], notes: list[str]
) -> list[int]:
    """Blocks that are questions by their form: bold, a heading, or a short '?' paragraph."""
    bold = [
        i
        for i, b in enumerate(blocks)
        if i not in labels
        and b.all_bold
        and len(b.text) <= MAX_QUESTION_CHARS
        and len(b.text) > 8
        and (b.kind != "heading" or question_like(b.text))
    ]
    bold_questions = [i for i in bold if question_like(blocks[i].text)]
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading" and question_like(b.text)]
    if len(bold_questions) >= 2 or (labels and bold_questions):
        found = sorted(set(bold) | set(headings))
        notes.append(f"{len(found)} bold or heading questions without a label")
        return [i for i in found if i not in labels]
    if len(headings) >= 2:
        notes.append(f"{len(headings)} questions as headings")
        return headings
    if labels:
        return []
    plain = [
        i
        for i, b in enumerate(blocks)
        if is_plain_question(b.text)
        and i + 1 < len(blocks)
        and not is_plain_question(blocks[i + 1].text)
    ]
    if len(plain) >= 2:
        notes.append(f"{len(plain)} unlabelled questions (short paragraphs ending with '?')")
        return plain
    return []


def is_plain_question(text: str) -> bool:
    """A short paragraph asking something, not a quotation."""
    if len(text) > MAX_QUESTION_CHARS or text[:1] in "\"“‘'":
        return False
    return question_like(text) or bool(IMPERATIVE_QUESTION.match(text) and len(text) < 200)


# --- People and roles -----------------------------------------------------------------------


def interviewer_name(hints: Hints, intro: list[Block], pool: list[str]) -> str:
    """Who asks when questions carry no personal label: named author, else the outlet."""
    for name in [*hints.interviewers, *hints.authors]:
        if len(name.split()) >= 2:
            return name
    for block in intro:
        host = HOST_INTRO.search(block.text)
        if host:
            return host.group("name")
    return hints.publication or "Interviewer"


def subject_name(hints: Hints, blocks: list[Block], pool: list[str], interviewer: str) -> str:
    """The person interviewed: sidecar, else the name most prominent in title and text."""
    if hints.interviewees:
        return hints.interviewees[0]
    text = "\n".join(b.text for b in blocks)
    scores: Counter[str] = Counter()
    for name in find_names(hints.title):
        scores[name] += 5
    for name, count in find_names(text).items():
        scores[name] += count
    skip = {fold(interviewer), fold(hints.publication), *(fold(a) for a in hints.authors)}
    for name in list(scores):
        surname = name.split()[-1]
        scores[name] += len(re.findall(rf"\b{re.escape(surname)}\b", text)) // 2
        if fold(name) in skip or fold(name) in fold(hints.publication):
            del scores[name]
    return scores.most_common(1)[0][0] if scores else "Interviewee"


def speaker_roles(
    labels: dict[int, _Label], blocks: list[Block], hints: Hints, subject: str, interviewer: str
) -> dict[str, str]:
    """Role per labelled speaker: Q/outlet/author ask; the one who answers most is asked."""
    turns_by: dict[str, list[str]] = {}
    order = sorted(labels)
    for n, i in enumerate(order):
        end = order[n + 1] if n + 1 < len(order) else len(blocks)
        text = " ".join([labels[i].cand.rest, *(b.text for b in blocks[i + 1 : end])])
        turns_by.setdefault(labels[i].speaker, []).append(text)
    first = labels[order[0]].speaker if order else ""
    asking = {fold(n) for n in [*hints.authors, *hints.interviewers, hints.publication] if n}
    answering = {fold(n) for n in hints.interviewees} | {fold(subject)}
    scores: dict[str, float] = {}
    for speaker, texts in turns_by.items():
        key = fold(speaker)
        asked = sum(1 for t in texts if "?" in t[-200:] or IMPERATIVE_QUESTION.match(t))
        score = 4 * (asked / len(texts) - 0.5)
        if speaker == "Q" or key in asking or is_outlet(speaker, hints.publication):
            score += 10
        if speaker == "A" or key in answering:
            score -= 6
        score += 0.5 if speaker == first else 0
        scores[speaker] = score
    roles = {s: INTERVIEWER if sc > 0 else INTERVIEWEE for s, sc in scores.items()}
    if len(roles) >= 2 and INTERVIEWER not in roles.values():
        roles[max(scores, key=lambda s: scores[s])] = INTERVIEWER
    if len(roles) >= 2 and INTERVIEWEE not in roles.values():
        roles[min(scores, key=lambda s: scores[s])] = INTERVIEWEE
    return roles


def is_outlet(label: str, publication: str) -> bool:
    """The label is the publication's name or its abbreviation."""
    if not publication:
        return False
    key, pub = fold(label), fold(publication)
    pub_bare = re.sub(r"^the ", "", pub)
    if key in (pub, pub_bare) or (len(key) > 3 and pub.startswith(key)):
        return True
    return label.isupper() and label.replace(".", "") in initials_variants(publication)


# --- Turns and passages ---------------------------------------------------------------------


def build_turns(
    blocks: list[Block],
    labels: dict[int, _Label],
    questions: list[int],
    roles: dict[str, str],
    interviewer: str,
    subject: str,
) -> list[Turn]:
    """Walk the blocks from the first turn on, starting a turn at every label or question."""
    turns: list[Turn] = []
    qset = set(questions)
    start = min([*labels, *questions])
    pending: _Label | None = None  # a label alone on its line applies to the next block
    for i in range(start, len(blocks)):
        block = blocks[i]
        lab = labels.get(i)
        if lab is not None and not lab.cand.rest:
            pending = lab
            continue
        if pending is not None:
            lab, pending = (
                _Label(
                    i, Candidate(pending.cand.label, block.text, pending.cand.how), pending.speaker
                ),
                None,
            )
        if lab is not None:
            role = roles.get(lab.speaker, INTERVIEWEE)
            speaker = display_speaker(lab.speaker, role, interviewer, subject, lab.cand.label)
            turns.append(Turn(speaker, lab.cand.label, role, lab.cand.rest))
        elif i in qset:
            turns.append(Turn(interviewer, "", INTERVIEWER, block.text))
        elif turns and turns[-1].role == INTERVIEWER and not turns[-1].label and not labels:
            turns.append(Turn(subject, "", INTERVIEWEE, block.text))
        elif turns and turns[-1].role == INTERVIEWER and not turns[-1].label and i - 1 in qset:
            turns.append(Turn(subject, "", INTERVIEWEE, block.text))
        elif turns:
            turns[-1].text = f"{turns[-1].text}\n\n{block.text}".strip()
    return [t for t in turns if t.text]


def display_speaker(speaker: str, role: str, interviewer: str, subject: str, label: str) -> str:
    """Q/A and outlet labels stand for the interviewer and the interviewee."""
    if speaker == "Q" or (role == INTERVIEWER and is_outletish(speaker, interviewer)):
        return interviewer if interviewer != "Interviewer" or speaker == "Q" else speaker
    if speaker == "A":
        return subject
    return speaker


def is_outletish(speaker: str, interviewer: str) -> bool:
    """An interviewer label that is not a person's name (an outlet or its abbreviation)."""
    if fold(speaker) == fold(interviewer):
        return False
    return len(speaker.split()) < 2 or speaker.isupper() or speaker[0].islower()


def host_opening(intro: list[Block], turns: list[Turn]) -> list[Turn]:
    """A broadcast host's unlabelled opening ("I'm Dave Davies") is their first turn."""
    hosts = {fold(t.speaker): t.speaker for t in turns if t.role == INTERVIEWER}
    for n, block in enumerate(intro):
        host = HOST_INTRO.search(block.text)
        if host and fold(host.group("name")) in hosts:
            text = "\n\n".join(b.text for b in intro[n:])
            del intro[n:]
            return [Turn(hosts[fold(host.group("name"))], "", INTERVIEWER, text)]
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
