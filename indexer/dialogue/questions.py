"""Questions that carry no label: bold, headings, short '?' paragraphs, flattened text."""

from __future__ import annotations

import re

from indexer.dialogue.labels import Label
from indexer.model import Block
from indexer.text.names import fold
from indexer.text.sentences import question_like

# --- Tables -------------------------------------------------------------------------------

# Unlabelled prompts that are questions without a question mark.
IMPERATIVE_QUESTION = re.compile(
    r"^(?:tell (?:us|me)|talk (?:to us |to me )?(?:about|through|a bit|a little)|describe|"
    r"explain|let['’]s talk|walk (?:us|me) through|share|give us)\b",
    re.I,
)
# Words in a title or intro saying the piece is an interview.
INTERVIEW_CUE = re.compile(
    r"\b(?:interview|interviewed|q&a|q & a|in conversation|conversation with|spoke (?:to|with)|"
    r"talked (?:to|with)|sat down with|caught up with|chat(?:ted)? with|talks? to|"
    r"met (?:with|up with)|speak (?:to|with)|to discuss|"
    # the same in French, Spanish, Italian, German, Portuguese
    r"entretien|rencontre|entrevista|conversamos|hablamos|intervista|incontrato|gesprochen|"
    r"getroffen|Gespräch|conversa)\b",
    re.I,
)
# "Interview", "Q&A" and "in conversation" in the languages of film journalism: a page
# calling itself an interview. Narrower than INTERVIEW_CUE, which the rules also read in
# an intro's "met with" or "to discuss", and wider in languages.
INTERVIEW_WORD = re.compile(
    r"(?i)interview|\bq\s*&\s*a\b|in conversation|conversation with|talks? to|speaks? to|"
    r"spoke (?:to|with)|sat down with|chats? with|entretien|entrevista|intervista|interviu|"
    r"gespräch|rozhovor|wywiad|rozmowa|haastattelu|intervju|interjú|röportaj|söyleşi|"
    r"wawancara|phỏng vấn|интервью|інтерв|интервју|συνέντευξη|ריאיון|ראיון|مقابلة|حوار|"
    r"साक्षात्कार|इंटरव्यू|インタビュー|访谈|訪談|专访|專訪|采访|採訪|인터뷰"
)
# A sentence of a flattened paragraph: up to ". ", "? ", "! " or an ellipsis.
SENTENCE = re.compile(r"[^.?!…]+(?:[.?!…]+[”\"’)]*|$)\s*")
SECOND_PERSON = re.compile(r"\byou(?:r|rs|rself)?\b", re.I)
# "What role did movies play in your early life?When I was a kid": a flattened question.
GLUED_QUESTION = re.compile(r"^(?P<q>[^?]{10,300}\?)(?P<a>[A-Z][a-z].{20,})$", re.S)
MAX_QUESTION_CHARS = 600
# Unlabelled questions after the last label that say the dialogue goes on without labels.
MIN_QUESTIONS_AFTER_LABELS = 2
# A bold question run into its answer in one paragraph, split off (see split_glued).
RUN_IN = "run-in question"
# "You" and "I"/"we" in the languages of the corpus: questions to a guest, a guest answering.
ADDRESSED = re.compile(
    r"\b(?:you|your|vous|votre|tu|usted|ustedes|vos|Sie|Ihr|Ihnen|du|lei|voi|você)\b", re.I
)
# The same, without the words that also mean something else ("du", "lei", "tu" in names):
# enough on its own to read a short paragraph as addressed to the guest. German "Sie" is
# the polite "you" only capitalised mid-sentence.
ADDRESSED_ONLY = re.compile(
    r"\b(?:(?i:you|your|vous|votre|usted|ustedes|você)|(?<=[a-zäöüß,] )(?:Sie|Ihnen|Ihr))\b"
)
SPEAKING = re.compile(
    r"\b(?:I|I['’]m|(?i:my|me|we|our|je|j['’]|nous|mon|ma|mes|yo|mi|nosotros|ich|mein|wir|io|"
    r"mio|eu|meu))\b"
)
QUOTATION = re.compile(r"[“\"][^”\"]*[”\"]")
FIRST_PERSON = re.compile(r"\b(?:I|I['’]m|I['’]ve|my|me|we|our|us)\b")
# "――Why August?", "- 왜 부산이었나?": a dash opening a paragraph marks the question.
DASH_OPENER = r"^(?:[―—]+\s*|-\s+)"
QUESTION_DASH = re.compile(DASH_OPENER + r"\S")
# What opens a turn without being said: a dash, a question's number, a bullet.
TURN_MARK = re.compile(r"^(?:[―—–]+\s*|-\s+|(?:\d{1,2}[.)]|[•·▪◦])\s+)")
# Reported speech ("..., she says", "Jansen told me"): a writer answering their own subheading.
REPORTED = re.compile(
    r"[”\"’],?\s+(?:[A-Z][\w’'\-]+|he|she|they)\s+(?:says|said|adds|added|explains|recalls|"
    r"told|tells)\b"
)


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
    bold_questions = [i for i in bold if asks(blocks[i].text)]
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading" and question_like(b.text)]
    run_in = all(blocks[i].kind == RUN_IN for i in bold_questions)
    if run_in and not labels and not conversational(blocks, bold_questions):
        bold_questions = []  # "Where can I stream it? On Netflix.": an explainer's FAQ
    if len(bold_questions) >= 2 or (labels and bold_questions):
        # A bold standfirst before the first bold question is not a question, nor is an
        # italic or bold sign-off after the last answer ("The film opens on Friday."), nor
        # an italic caption between bold questions: statements must share their style.
        styles = [is_bold(blocks[i]) for i in bold_questions]
        style = 2 * sum(styles) >= len(styles)
        bold = [i for i in bold if question_like(blocks[i].text) or is_bold(blocks[i]) == style]
        found = sorted({i for i in bold if i >= bold_questions[0]} | set(headings))
        while found and not question_like(blocks[found[-1]].text) and unanswered(blocks, found[-1]):
            found.pop()
        notes.append(f"{len(found)} bold or heading questions without a label")
        return [i for i in found if i not in labels]
    if len(headings) >= 2 and not narrated(blocks, headings):
        notes.append(f"{len(headings)} questions as headings")
        return headings
    quoted = [i for i, b in enumerate(blocks) if b.kind == "quote" and i not in labels]
    asked = [i for i in quoted if asks(blocks[i].text)]
    if not labels and len(asked) >= 2 and conversational(blocks, asked):
        # Questions set off as block quotes, answered by the plain paragraphs after them.
        found = [i for i in quoted if i >= asked[0] and i + 1 < len(blocks)]
        if all(blocks[i + 1].kind != "quote" for i in found):
            notes.append(f"{len(found)} questions set as block quotes")
            return found
    dashed = dash_questions(blocks, labels)
    if dashed:
        notes.append(f"{len(dashed)} questions opened with a dash")
        between = questions_between_labels(blocks, labels, notes) if labels else []
        return sorted({*dashed, *between})
    if labels:
        return questions_between_labels(blocks, labels, notes)
    plain = [
        i
        for i, b in enumerate(blocks)
        if (is_plain_question(b.text) or b.kind == "question")
        and i + 1 < len(blocks)
        and not is_plain_question(blocks[i + 1].text)
    ]
    cue = any(interview_cue(b) for b in blocks[: plain[0]]) if plain else False
    if plain and not cue and not (all_answered(blocks, plain) and conversational(blocks, plain)):
        return []  # rhetorical questions or an FAQ in a narrative piece, not an interview
    if len(plain) == 1 and cue and re.search(r"\byou(?:r)?\b", blocks[plain[0]].text, re.I):
        # One question in an excerpt introduced as an interview is still a Q&A.
        follow = blocks[plain[0] + 1].text
        if len(follow) > 2 * len(blocks[plain[0]].text):
            plain = plain * 2
    plain = sorted(set(plain))
    if len(plain) >= 2 and narrated(blocks, plain):
        notes.append("questions followed by reported speech: subheadings of a feature")
        return []
    if len(plain) >= 2 or (plain and cue):
        plain = with_preamble(blocks, plain)
        plain = sorted({*plain, *statement_questions(blocks, plain)})
        notes.append(f"{len(plain)} unlabelled questions (short paragraphs ending with '?')")
        return plain
    return []


def interview_cue(block: Block) -> bool:
    """The block says the piece is an interview, outside any title it names: a film called
    "The Interview" (in italics or quotation marks) is no such cue."""
    text = QUOTATION.sub(" ", block.text)
    for title in block.italics:
        text = text.replace(title, " ")
    return bool(INTERVIEW_CUE.search(text))


def dash_questions(blocks: list[Block], labels: dict[int, Label]) -> list[int]:
    """Paragraphs opened with a dash, mostly asking, each followed by an undashed answer."""
    dashed = [i for i, b in enumerate(blocks) if QUESTION_DASH.match(b.text) and i not in labels]
    if len(dashed) < 2 or 2 * sum(question_like(blocks[i].text) for i in dashed) < len(dashed):
        return []
    answered = all(
        i + 1 < len(blocks) and not QUESTION_DASH.match(blocks[i + 1].text) for i in dashed
    )
    return dashed if answered else []


def asks(text: str) -> bool:
    """Ends with a question mark, or prompts: "Tell us about the casting."."""
    return question_like(text) or bool(IMPERATIVE_QUESTION.match(text))


def conversational(blocks: list[Block], questions: list[int]) -> bool:
    """Half the questions address "you" or are answered by an "I" or "we"."""
    talk = 0
    for i in questions:
        answer = blocks[i + 1].text if i + 1 < len(blocks) else ""
        talk += bool(
            ADDRESSED.search(blocks[i].text) or SPEAKING.search(QUOTATION.sub(" ", answer))
        )
    return 2 * talk >= len(questions)


def unanswered(blocks: list[Block], i: int) -> bool:
    """Nothing after block i speaks as "I" or "we": a closing line ("More from Sundance"),
    not a prompt the guest answers."""
    rest = " ".join(b.text for b in blocks[i + 1 :])
    return not FIRST_PERSON.search(QUOTATION.sub(" ", rest))


def is_bold(block: Block) -> bool:
    """Set in bold (rather than only in italics) from its first word to its last."""
    return len(block.bold_prefix) >= 0.9 * len(block.text)


def narrated(blocks: list[Block], questions: list[int]) -> bool:
    """Half or more of the questions are followed by reported speech: subheadings of a
    feature ("How did it break out?"), not an interviewer's questions."""
    ends = [*questions[1:], len(blocks)]
    told = 0
    for start, end in zip(questions, ends, strict=True):
        section = " ".join(b.text for b in blocks[start + 1 : end])
        # A guest may quote someone ("“Go,” he said"), but then speaks as "I" around it.
        own_words = QUOTATION.sub(" ", section)
        told += bool(REPORTED.search(section)) and len(FIRST_PERSON.findall(own_words)) <= 1
    return told >= 2 and 2 * told >= len(questions)


def questions_between_labels(
    blocks: list[Block], labels: dict[int, Label], notes: list[str]
) -> list[int]:
    """Unlabelled questions in a labelled interview: right before an answer's label."""
    speakers = {fold(lab.speaker) for lab in labels.values()}
    only_answers = len(speakers) == 1
    if only_answers and asks_mostly(labels):
        return []  # the one labelled speaker asks: the unlabelled lines are the answers
    first = min(labels)
    found = []
    for i in sorted(labels):
        j = i - 1
        if j < 0 or j in labels or len(blocks[j].text) > MAX_QUESTION_CHARS:
            continue
        if not labels[i].cand.rest or (j - 1 in labels and not labels[j - 1].cand.rest):
            continue  # a label alone on its line: the line before is the last speaker's
        if only_answers and (j >= first or is_plain_question(blocks[j].text)):
            # Answers are labelled and questions are not: the line before each label asks.
            found.append(j)
        elif j == first - 1 and is_plain_question(blocks[j].text):
            if not question_like(labels[i].cand.rest):
                found.append(j)  # the question opening the dialogue, before the first answer
        elif j > first and is_plain_question(blocks[j].text):
            before = [k for k in labels if k < j]
            prev = labels[max(before)] if before else None
            if prev and prev.speaker != "Q" and fold(prev.speaker) != fold(labels[i].speaker):
                found.append(j)  # an unlabelled question after the other speaker's answer
    if found:
        notes.append(f"{len(found)} unlabelled questions between labelled answers")
    after = questions_after_labels(blocks, labels)
    if after:
        notes.append(f"{len(after)} unlabelled questions after the last label")
    return sorted({*found, *after})


def questions_after_labels(blocks: list[Block], labels: dict[int, Label]) -> list[int]:
    """Labels on the first exchanges only: after the last label, short paragraphs asking
    something, each answered by a paragraph that does not ask, go on with the dialogue."""
    asking = {fold(lab.speaker) for lab in labels.values() if lab.speaker != "A"}
    if len({fold(lab.speaker) for lab in labels.values()}) < 2 or not asking:
        return []
    last = max(labels)
    found = [
        i
        for i in range(last + 2, len(blocks) - 1)
        if is_plain_question(blocks[i].text) and not is_plain_question(blocks[i + 1].text)
    ]
    addressed = sum(bool(ADDRESSED_ONLY.search(blocks[i].text)) for i in found)
    if len(found) < MIN_QUESTIONS_AFTER_LABELS or 2 * addressed < len(found):
        return []  # headlines after the interview ask nobody in particular
    return found


def asks_mostly(labels: dict[int, Label]) -> bool:
    """Most labelled lines are questions (so the labelled speaker is the interviewer)."""
    texts = [lab.cand.rest for lab in labels.values() if lab.cand.rest]
    return bool(texts) and sum(question_like(t) for t in texts) >= 0.6 * len(texts)


def all_answered(blocks: list[Block], questions: list[int]) -> bool:
    """Without an "interview" cue, trust '?' paragraphs only when there are three or more
    and each is followed by a longer paragraph, as answers are."""
    if len(questions) < 3:
        return False
    return all(
        q + 1 < len(blocks) and len(blocks[q + 1].text) > 1.5 * len(blocks[q].text)
        for q in questions
    )


def statement_questions(blocks: list[Block], questions: list[int]) -> list[int]:
    """Prompts without a question mark: a short line to "you" right after a long answer."""
    found = []
    qset = set(questions)
    for i in range(questions[0] + 2, len(blocks)):
        text = blocks[i].text
        prev = blocks[i - 1].text
        if i in qset or i - 1 in qset or len(text) >= 200 or text[:1] in "\"“‘'":
            continue
        if not SECOND_PERSON.search(text) or len(prev) < 2 * len(text):
            continue
        if i + 1 < len(blocks) and len(blocks[i + 1].text) < len(text):
            continue
        found.append(i)
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
    if len(text) < 300 and ADDRESSED_ONLY.search(text):
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
        lone = sum(asks) == 1 and bool(
            INTERVIEW_CUE.search(" ".join(sentences[: asks.index(True)]))
        )
        if len(block.text) < 600 or (sum(asks) < 2 and not lone):
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
    return result if splits >= 1 else blocks


def is_flat_question(sentence: str) -> bool:
    """A sentence that asks the guest: second person, ending in '?' or trailing off."""
    if sentence[:1] in "\"“‘'" or not SECOND_PERSON.search(sentence):
        return False
    return sentence.rstrip('”"’) ').endswith(("?", "…", "..."))


def split_glued(blocks: object) -> list[Block]:
    """Split "...your early life?When I was a kid" into the question and the answer, and
    a bold question run into its answer ("<b>Why glass?</b> My grandfather ...")."""
    result: list[Block] = []
    for block in blocks:  # type: ignore[attr-defined]
        glued = GLUED_QUESTION.match(block.text)
        prefix = block.bold_prefix
        rest = block.text[len(prefix) :].strip() if block.text.startswith(prefix) else ""
        if prefix and question_like(prefix) and len(rest) > 10 and not block.all_bold:
            result.append(Block(prefix, RUN_IN, bold_prefix=prefix, all_bold=True))
            result.append(Block(rest, block.kind, italics=block.italics))
        elif glued:
            result.append(Block(glued.group("q"), block.kind))
            result.append(Block(glued.group("a"), block.kind))
        else:
            result.append(block)
    return result
