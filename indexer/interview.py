"""Document blocks -> speaker turns -> names resolved -> Q&A (or narrative) passages."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .labels import SOUNDBITE_LABEL, Candidate, Label, accept_labels, question_like
from .model import INTERVIEWEE, INTERVIEWER, Block, Document, Passage, Turn, unique
from .names import find_names, fold, initials_variants

# --- Tables -------------------------------------------------------------------------------

# Unlabelled prompts that are questions without a question mark.
IMPERATIVE_QUESTION = re.compile(
    r"^(?:tell (?:us|me)|talk (?:to us |to me )?(?:about|through|a bit|a little)|describe|"
    r"explain|let['’]s talk|walk (?:us|me) through|share|give us)\b",
    re.I,
)
# "I'm Dave Davies" / "This is X. I'm Y": a host introducing themself opens the interview.
HOST_INTRO = re.compile(r"\bI['’]m (?P<name>[A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+){1,3})")
# A host's phrases: welcoming the guest, thanking the audience.
HOST_CUE = re.compile(
    r"\b(?:please (?:join me in )?welcom|join me in welcoming|thank you (?:all )?for coming|"
    r"welcome (?:back )?to|our (?:special )?guest|let['’]s open (?:it|this) up)",
    re.I,
)
# "spoke with X", "director X": phrases that introduce the person interviewed.
SUBJECT_CUE = re.compile(
    r"(?:with|to|interviewed|met|director|filmmaker|actor|actress|star|writer|"
    r"producer|artist|guest|welcoming)\s+(?:the\s+)?(?:(?:director|filmmaker|actor|actress)\s+)?"
    r"(?P<name>[A-Z][\w’'\-–]+(?:\s+[A-Z][\w’'\-–]+){1,3})"
)
STAGE_DIRECTION = re.compile(r"^\(.*\)$|^\[.*\]$")
NARRATIVE_CHARS = 1200  # target size of a narrative passage
MAX_QUESTION_CHARS = 600
# Words in a title or intro saying the piece is an interview.
INTERVIEW_CUE = re.compile(
    r"\b(?:interview|interviewed|q&a|q & a|in conversation|conversation with|spoke (?:to|with)|"
    r"talked (?:to|with)|sat down with|caught up with|chat(?:ted)? with|talks? to)\b",
    re.I,
)
# A sentence of a flattened paragraph: up to ". ", "? ", "! " or an ellipsis.
SENTENCE = re.compile(r"[^.?!…]+(?:[.?!…]+[”\"’)]*|$)\s*")
SECOND_PERSON = re.compile(r"\byou(?:r|rs|rself)?\b", re.I)
# "What role did movies play in your early life?When I was a kid": a flattened question.
GLUED_QUESTION = re.compile(r"^(?P<q>[^?]{10,300}\?)(?P<a>[A-Z][a-z].{20,})$", re.S)


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


# --- Public API -----------------------------------------------------------------------------


def parse_interview(doc: Document, hints: Hints) -> Interview:
    """Split a document into speaker turns and passages, naming every speaker and role."""
    result = Interview()
    blocks = split_glued(b for b in doc.blocks if not STAGE_DIRECTION.match(b.text))
    pool = name_pool(blocks, hints)
    host = host_name(blocks[:12])
    known = {fold(n) for n in [*hints.authors, hints.publication, *hints.interviewers] if n}
    known |= {fold(n) for n in [*hints.interviewees, host] if n}
    labels = accept_labels(blocks, pool, known, hints.title, result.notes)
    speakers = {fold(lab.speaker) for lab in labels.values()}
    qa_labels = any(lab.speaker in ("Q", "A") for lab in labels.values())
    questions = unlabelled_questions(blocks, labels, result.notes)
    if not labels and len(questions) < 2:
        flat = split_flattened(blocks, hints.title)
        if flat is not blocks:
            blocks = flat
            result.notes.append("questions run into the answers: split at questions to 'you'")
            questions = unlabelled_questions(blocks, labels, result.notes)
    hosted = bool(host and speakers and speakers <= {fold(host)})
    if len(speakers) < 2 and not qa_labels and not questions:
        if not hosted:
            if labels:
                result.notes.append("one labelled speaker and no questions: labels ignored")
            labels = {}
            questions = unlabelled_questions(blocks, labels, result.notes)
    if not (labels or questions) or (labels and len(labels) + len(questions) < 2 and not hosted):
        result.passages = narrative_passages(blocks)
        result.notes.append("no question-and-answer turns found: narrative article")
        return result
    result.is_qa = True
    first = min([*labels, *questions])
    intro = blocks[:first]
    interviewer = interviewer_name(hints, host)
    subject = subject_name(hints, blocks, interviewer)
    roles = speaker_roles(labels, blocks, hints, subject, interviewer)
    result.turns = build_turns(blocks, labels, questions, roles, interviewer, subject, hints)
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


def host_name(blocks: list[Block]) -> str:
    """A broadcast host who introduces themself ("I'm Dave Davies") near the top."""
    for block in blocks:
        host = HOST_INTRO.search(block.text)
        if host:
            return host.group("name")
    return ""


# --- Questions without labels ---------------------------------------------------------------


def unlabelled_questions(
    blocks: list[Block], labels: dict[int, Label], notes: list[str]
) -> list[int]:
    """Blocks that are questions by their form: bold, a heading, or a short '?' paragraph."""
    bold = [
        i
        for i, b in enumerate(blocks)
        if i not in labels
        and b.all_bold
        and 8 < len(b.text) <= MAX_QUESTION_CHARS
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
        return questions_between_labels(blocks, labels, notes)
    plain = [
        i
        for i, b in enumerate(blocks)
        if (is_plain_question(b.text) or b.kind == "question")
        and i + 1 < len(blocks)
        and not is_plain_question(blocks[i + 1].text)
    ]
    cue = any(INTERVIEW_CUE.search(b.text) for b in blocks[: plain[0]]) if plain else False
    if len(plain) == 1 and cue and re.search(r"\byou(?:r)?\b", blocks[plain[0]].text, re.I):
        # One question in an excerpt introduced as an interview is still a Q&A.
        follow = blocks[plain[0] + 1].text
        if len(follow) > 2 * len(blocks[plain[0]].text):
            plain = plain * 2
    plain = sorted(set(plain))
    if len(plain) >= 2 or (plain and cue):
        plain = with_preamble(blocks, plain)
        notes.append(f"{len(plain)} unlabelled questions (short paragraphs ending with '?')")
        return plain
    return []


def questions_between_labels(
    blocks: list[Block], labels: dict[int, Label], notes: list[str]
) -> list[int]:
    """Unlabelled questions in a labelled interview: right before an answer's label."""
    speakers = {fold(lab.speaker) for lab in labels.values()}
    only_answers = len(speakers) == 1
    first = min(labels)
    found = []
    for i in sorted(labels):
        j = i - 1
        if j < 0 or j in labels or len(blocks[j].text) > MAX_QUESTION_CHARS:
            continue
        if not labels[i].cand.rest or (j - 1 in labels and not labels[j - 1].cand.rest):
            continue  # a label alone on its line: the line before is the last speaker's
        if only_answers and (j >= first or question_like(blocks[j].text)):
            # Answers are labelled and questions are not: the line before each label asks.
            found.append(j)
        elif j > first and is_plain_question(blocks[j].text):
            before = [k for k in labels if k < j]
            prev = labels[max(before)] if before else None
            if prev and prev.speaker != "Q" and fold(prev.speaker) != fold(labels[i].speaker):
                found.append(j)  # an unlabelled question after the other speaker's answer
    if found:
        notes.append(f"{len(found)} unlabelled questions between labelled answers")
    return found


def with_preamble(blocks: list[Block], questions: list[int]) -> list[int]:
    """A short "thank you" addressed to the guest just before the first question asks too."""
    first = questions[0]
    prev = blocks[first - 1].text if first > 0 else ""
    if prev and len(prev) < 200 and re.search(r"\byou\b", prev, re.I) and first - 1 > 0:
        return [first - 1, *questions]
    return questions


def is_plain_question(text: str) -> bool:
    """A short paragraph asking something, not a quotation."""
    if len(text) > MAX_QUESTION_CHARS or text[:1] in "\"“‘'":
        return False
    if question_like(text) or (IMPERATIVE_QUESTION.match(text) and len(text) < 200):
        return True
    # "What was the genesis of X? It's your second time ...": a question, then context;
    # "That seems less the case with Uncle Boonmee…": a prompt trailing off.
    if len(text) < 300 and SECOND_PERSON.search(text):
        return "?" in text[:250] or text.rstrip().endswith(("…", "..."))
    return False


def split_flattened(blocks: list[Block], title: str) -> list[Block]:
    """An interview whose questions lost their formatting runs together in long paragraphs:
    split them where a sentence asks "you" something, when nothing else marks the turns."""
    if not INTERVIEW_CUE.search(title + " " + " ".join(b.text for b in blocks[:3])):
        return blocks
    result: list[Block] = []
    splits = 0
    for block in blocks:
        sentences = [
            m.group(0).strip() for m in SENTENCE.finditer(block.text) if m.group(0).strip()
        ]
        asks = [is_flat_question(x) for x in sentences]
        if len(block.text) < 600 or sum(asks) < 2:
            result.append(block)
            continue
        current: list[str] = []
        for sentence, ask in zip(sentences, asks, strict=True):
            if ask:
                if current:
                    result.append(Block(" ".join(current), block.kind))
                result.append(Block(sentence, "question"))
                splits += 1
                current = []
            else:
                current.append(sentence)
        if current:
            result.append(Block(" ".join(current), block.kind))
    return result if splits >= 2 else blocks


def is_flat_question(sentence: str) -> bool:
    """A sentence that asks the guest: second person, ending in '?' or trailing off."""
    if sentence[:1] in "\"“‘'" or not SECOND_PERSON.search(sentence):
        return False
    return sentence.rstrip('”"’) ').endswith(("?", "…", "..."))


def split_glued(blocks: object) -> list[Block]:
    """Split "...your early life?When I was a kid" into the question and the answer."""
    result: list[Block] = []
    for block in blocks:  # type: ignore[attr-defined]
        glued = GLUED_QUESTION.match(block.text)
        if glued:
            result.append(Block(glued.group("q"), block.kind))
            result.append(Block(glued.group("a"), block.kind))
        else:
            result.append(block)
    return result


# --- People and roles -----------------------------------------------------------------------


def interviewer_name(hints: Hints, host: str) -> str:
    """Who asks when questions carry no personal label: the named author, else the outlet."""
    for name in [*hints.interviewers, *hints.authors, host]:
        if name and len(name.split()) >= 2:
            return name
    return re.sub(r"\s*\([^)]*\)$", "", hints.publication) or "Interviewer"


def subject_name(hints: Hints, blocks: list[Block], interviewer: str) -> str:
    """The person interviewed: sidecar, else the name most prominent in title and text."""
    if hints.interviewees:
        return hints.interviewees[0]
    text = "\n".join(b.text for b in blocks)
    scores: Counter[str] = Counter()
    for name in find_names(hints.title):
        scores[name] += 6
    for name, count in find_names(text).items():
        scores[name] += count
    for match in SUBJECT_CUE.finditer(hints.title + "\n" + text):
        for name in find_names(match.group("name")):
            scores[name] += 4
    skip = {fold(interviewer), fold(hints.publication), *(fold(a) for a in hints.authors)}
    quoted = {fold(q) for q in re.findall(r"[“\"]([^”\"]{2,60})[”\"]", text)}
    italic = {fold(i) for b in blocks for i in b.italics}
    for name in list(scores):
        surname = name.split()[-1]
        scores[name] += len(re.findall(rf"\b{re.escape(surname)}\b", text)) // 2
        key = fold(name)
        if key in skip or key in fold(hints.publication) or key in quoted or key in italic:
            del scores[name]
    return scores.most_common(1)[0][0] if scores else "Interviewee"


def speaker_roles(
    labels: dict[int, Label], blocks: list[Block], hints: Hints, subject: str, interviewer: str
) -> dict[str, str]:
    """Role per labelled speaker: Q/outlet/author ask; whoever answers most is asked."""
    turns_by: dict[str, list[str]] = {}
    order = sorted(labels)
    for n, i in enumerate(order):
        end = order[n + 1] if n + 1 < len(order) else len(blocks)
        text = " ".join([labels[i].cand.rest, *(b.text for b in blocks[i + 1 : end])])
        turns_by.setdefault(labels[i].speaker, []).append(text)
    first = labels[order[0]].speaker if order else ""
    asking = {fold(n) for n in [*hints.authors, *hints.interviewers, interviewer] if n}
    answering = {fold(n) for n in hints.interviewees}
    title = fold(hints.title)
    scores: dict[str, float] = {}
    for speaker, texts in turns_by.items():
        key = fold(speaker)
        asked = sum(1 for t in texts if "?" in t[-200:] or IMPERATIVE_QUESTION.match(t))
        score = 4 * (asked / len(texts) - 0.5)
        if speaker == "Q" or key in asking or is_outlet(speaker, hints.publication):
            score += 10
        if speaker == "A" or key in answering:
            score -= 6
        elif key == fold(subject):
            score -= 2  # a guess from the text, weaker than the sidecar
        if any(HOST_CUE.search(t) for t in texts):
            score += 3
        elif " " in key and f" {key} " in f" {title} " and key not in asking:
            score -= 3  # named in the headline: the guest
        score += 0.5 if speaker == first else 0
        # The guest is the one the others address or mention by name.
        others = " ".join(t for s, ts in turns_by.items() if s != speaker for t in ts)
        names = {w for w in speaker.split() if len(w) > 2 and w[0].isupper()}
        score -= min(3.0, 1.5 * sum(others.count(w) for w in names))
        scores[speaker] = score
    roles = {s: INTERVIEWER if sc > 0 else INTERVIEWEE for s, sc in scores.items()}
    if len(roles) >= 2 and INTERVIEWER not in roles.values():
        roles[max(scores, key=lambda s: scores[s])] = INTERVIEWER
    if len(roles) >= 2 and INTERVIEWEE not in roles.values():
        roles[min(scores, key=lambda s: scores[s])] = INTERVIEWEE
    return roles


def is_outlet(label: str, publication: str) -> bool:
    """The label is the publication's name or its abbreviation ("H2N": 2 reads "to")."""
    if not publication:
        return False
    publication = re.sub(r"\s*\([^)]*\)$", "", publication)
    key, pub = fold(label), fold(publication)
    pub_bare = re.sub(r"^the ", "", pub)
    if key in (pub, pub_bare) or (len(key) > 3 and pub.startswith(key)):
        return True
    short = label.replace(".", "").replace("2", "T").replace("4", "F").upper()
    return label.isupper() and short in initials_variants(publication)


# --- Turns and passages ---------------------------------------------------------------------


def build_turns(
    blocks: list[Block],
    labels: dict[int, Label],
    questions: list[int],
    roles: dict[str, str],
    interviewer: str,
    subject: str,
    hints: Hints,
) -> list[Turn]:
    """Walk the blocks from the first turn on, starting a turn at every label or question."""
    turns: list[Turn] = []
    qset = set(questions)
    # "Q1: ..." with unlabelled answers: the line after a question starts the answer.
    q_only = not any(lab.speaker == "A" for lab in labels.values())
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
            cand = Candidate(pending.cand.label, block.text, pending.cand.how)
            lab, pending = Label(i, cand, pending.speaker), None
        if lab is not None and lab.speaker == "Q":
            turns.append(Turn(interviewer, lab.cand.label, INTERVIEWER, lab.cand.rest))
            answer_next = q_only or question_like(lab.cand.rest)
        elif lab is not None:
            role = roles.get(lab.speaker, INTERVIEWEE)
            speaker = display_speaker(lab.speaker, role, interviewer, subject, hints)
            turns.append(Turn(speaker, lab.cand.label, role, lab.cand.rest))
            answer_next = False
        elif i in qset:
            if turns and answer_next and not turns[-1].label:
                turns[-1].text += "\n\n" + block.text  # a question over two paragraphs
            else:
                turns.append(Turn(interviewer, "", INTERVIEWER, block.text))
            answer_next = True
        elif turns and answer_next:
            turns.append(Turn(subject, "", INTERVIEWEE, block.text))
            answer_next = False
        elif turns:
            turns[-1].text = f"{turns[-1].text}\n\n{block.text}".strip()
    return [t for t in turns if t.text]


def display_speaker(speaker: str, role: str, interviewer: str, subject: str, hints: Hints) -> str:
    """Q/A and outlet labels stand for the interviewer and the interviewee."""
    if speaker == "A":
        return subject
    if speaker == "Q":
        return interviewer
    if role == INTERVIEWER and fold(speaker) != fold(interviewer):
        outlet = is_outlet(speaker, hints.publication)
        if outlet or speaker.isupper() or speaker[0].islower() or len(speaker.split()) < 2:
            # An outlet or abbreviation asks: credit the named author, else the outlet.
            bare_pub = re.sub(r"\s*\([^)]*\)$", "", hints.publication)
            if interviewer != "Interviewer" and (outlet or interviewer != bare_pub):
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
