"""Spotting speaker labels ("BT:", "Q:", a bold "Alison Klayman") at the start of a block."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from indexer.dialogue.titles import is_title_colon
from indexer.model import Block
from indexer.read.dates import date_spans, remove_spans
from indexer.text.cjk import CJK_WORD, fullest_name, is_cjk_label
from indexer.text.names import fold, initials_variants, match_label

# --- Tables -------------------------------------------------------------------------------

SEPARATORS = ":：-–—|"
# "Q:", "Q1.", "Question:", "A -"; a number after Q counts questions.
# Words that label a question or an answer, in the languages the corpus holds.
# "ME:" / "Moi :" is the writer asking.
QUESTION_WORDS = (
    "Q", "Question", "Interviewer", "Frage", "Pregunta", "Domanda", "Pergunta", "ME", "Me", "Moi",
)  # fmt: skip
ANSWER_WORDS = ("A", "Answer", "Interviewee", "Antwort", "Respuesta", "Réponse", "Risposta")
# The words in capitals too ("PREGUNTA:", "RESPUESTA:"), as many pages set their labels.
QA_WORDS = [*QUESTION_WORDS, *ANSWER_WORDS, *(w.upper() for w in QUESTION_WORDS + ANSWER_WORDS)]
QA_LABEL = re.compile(
    rf"^(?P<label>{'|'.join(sorted(set(QA_WORDS), key=len, reverse=True))})(?P<num>\d{{1,2}})?\s*"
    r"(?:[:：.)]|\s[-–—])(?!\s*[A-Z]\.)\s*(?P<rest>.*)$",
    re.S,
)
ANSWERS_FOLDED = tuple(w.casefold() for w in ANSWER_WORDS)
QA_ALONE = re.compile(r"^(?P<label>Q|A)[:.]?$")
# "JD", "S1": initials alone on their line label the paragraph below (trusted when at least
# two of them alternate through the text, see accept_labels).
INITIALS_ALONE = re.compile(r"^[A-Z][A-Z0-9]{1,3}[:.]?$")
# "Name: text" with the label up to five words; the colon may sit inside brackets.
COLON_LABEL = re.compile(
    r"^\[?(?P<label>[^\s:\[\]()\"“”‘’][^:\[\]\"“”\n]{0,44}?)\s*[:：]\s*\]?\s*(?P<rest>.*)$", re.S
)
# "Haden Guest  0:03", "Ann Lee (00:01):": a transcript label with a timestamp, alone on its
# line.
TIMESTAMP_LABEL = re.compile(
    r"^(?P<label>[^\d:\[\]()]{2,40}?)\s+[(\[]?\d{1,2}:\d{2}(?::\d{2})?[)\]]?\s*:?$"
)
# "SB - text": dash labels are only trusted for short all-capital labels.
DASH_LABEL = re.compile(r"^(?P<label>[A-Z][A-Z.]{0,5})\s+[-–—]\s+(?P<rest>.+)$", re.S)
# One word of a label: Name, NAME, O'Neil, Kore-eda, dGenerate, H2N, particles (de, to).
LABEL_WORD = re.compile(
    r"^(?:[A-Z][\w’'.&\-–]*|[a-z]+[A-Z][\w’'\-–]*|de|da|del|di|van|von|der|la|le|to|of|the|and|"
    r"bin|al|du|dos)$"
)
DOTTED_INITIALS = re.compile(r"^(?:[A-Z]\.\s?){2,4}$")
HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof)\.?$")
# Words that start a "Word: ..." line without naming a speaker.
STOP_LABELS = {
    word.strip()
    for word in (
        "note, editor's note, editor’s note, update, updated, spoiler, spoilers, warning, photo, "
        "photos, source, sources, interview, q&a, related, tags, tag, category, categories, "
        "posted, filed under, read more, watch, listen, trailer, synopsis, director, directors, "
        "directed by, cast, starring, runtime, running time, country, language, year, genre, "
        "rating, release date, title, producer, producers, writer, writers, screenplay, location, "
        "date, time, where, when, verdict, grade, score, bottom line, but, so, and, well, the, "
        "here, this, that, it, yes, no, ok, okay, also, now, then, first, second, third, finally, "
        "plus, result, example, for example, remember, lesson, answer me, caption, credit, "
        "credits, image, video, audio, transcript, featured, advertisement, via, re, "
        "introduction, intro, please note, disclaimer, schedule, links, see also, full "
        "disclosure, tl;dr, ps, p.s, share, email, print, comments, reply, sources say, summary, "
        "in short, premise, plot, logline, why, what, how, who, step, part, chapter, scene, act, "
        "rule, lesson one, pro, con, pros, cons, festival, world premiere, premiere, distributor, "
        "format, budget, music, editor, cinematography, production, dop, sound, https, http, www, "
        "chapters, episode, show notes, timestamps, exclusive, breaking, dateline"
    ).split(",")
}


# Job titles written before a name in a label ("Director Jane Doe:").
# Roles written before a name in a label ("Director Jane Doe:", "Regisseur Lucía Ferrand:"),
# folded, in the languages of film journalism.
ROLE_WORDS = set(
    "director filmmaker actor actress producer writer moderator host critic directora "
    "directrice realisateur realisatrice regisseur regisseurin regista diretor diretora "
    "actrice schauspieler schauspielerin".split()
)
# Labels naming a role instead of a person, in the languages of film journalism (compared
# folded): those who ask (a journalist, a host, the audience), and the guest who answers.
# Those who host: "host Ann Lee" in an intro names who asks (see interview.HOSTED).
HOST_WORDS = (
    "host, presenter, moderator, anchor, presentador, presentadora, moderador, moderadora, "
    "animateur, animatrice, présentateur, présentatrice, conduttore, conduttrice, moderatorin, "
    "prowadzący, prowadząca, moderátor, moderátorka, ведущий, ведущая, ведучий, ведуча, "
    "sunucu, juontaja, műsorvezető"
).split(", ")
ASKING_ROLES = {
    fold(word)
    for word in [
        *HOST_WORDS,
        *(
            "interviewer, audience, audience member, question, reporter, journalist, periodista, "
            "entrevistador, entrevistadora, journaliste, intervieweur, giornalista, "
            "intervistatore, intervistatrice, journalistin, reporterin, dziennikarz, "
            "dziennikarka, novinář, novinářka, reportér, reportérka, журналист, журналистка, "
            "корреспондент, интервьюер, журналіст, журналістка, кореспондент, muhabir, "
            "gazeteci, toimittaja, haastattelija, riporter, újságíró, ziarist, ziaristă, "
            "wartawan, pewawancara, phóng viên, 记者, 記者, 司会, 聞き手, インタビュアー, "
            "主持人, 기자, 사회자, 진행자, כתב, כתבת, מראיין, מראיינת, مذيع, مذيعة, صحفي, صحفية, "
            "محاور, पत्रकार, "
            "संवाददाता, रिपोर्टर"
        ).split(", "),
    ]
}
ANSWERING_ROLES = {
    fold(word)
    for word in (
        "guest, interviewee, invitado, invitada, entrevistado, entrevistada, invité, invitée, "
        "ospite, intervistato, intervistata, gast, gość, гость, гостья, гість, konuk, vieras, "
        "vendég, invitat, invitată, tamu, narasumber, khách mời, 嘉宾, 嘉賓, ゲスト, 게스트, אורח, "
        "אורחת, ضيف, ضيفة, अतिथि, मेहमान"
    ).split(", ")
}
# A soundbite label in a broadcast transcript ("Mr. TIMOTHY TREADWELL:") is not a turn.
SOUNDBITE_LABEL = re.compile(r"^(?:Mr|Mrs|Ms|Dr)\.\s+[A-Z][A-Z’'\-]+(?:\s+[A-Z][A-Z’'\-]+)*$")
# A line of a clip in a broadcast transcript: "JUDITH KELLER: (As Ruth) ...", "UNIDENTIFIED MAN:".
CLIP_LINE = re.compile(r"^\((?:as|singing|voice-?over)\b", re.I)
CLIP_LABEL = re.compile(r"^UNIDENTIFIED\b")
# One-letter question/answer pairs: Spanish "P."/"R.", Italian "D."/"R.", German "F."/"A.",
# French "Q."/"R."; trusted only when both letters of a pair label turns.
QA_LETTER_PAIRS = (("P", "R"), ("D", "R"), ("F", "A"), ("Q", "R"))
# "Q César 2017 ...", "R (rires) ...": a pair's letter and a space, nothing else; trusted
# only when both letters of one pair open at least LETTER_PAIR_MIN paragraphs each.
LETTER_LABEL = re.compile(r"^(?P<label>[QAPRDF])\s+(?P<rest>[(«“\"¿¡A-ZÀ-Ý].*)$", re.S)
LETTER_PAIR_MIN = 2


@dataclass
class Candidate:
    """A label found at the start of a block: how it was written and what follows it."""

    label: str
    rest: str
    how: str  # "qa", "bold", "colon", "dash", "alone", "bare", "timestamp", "bold-alone",
    # "heading", "initials-alone", "letter"
    written: str = ""  # the label exactly as in the text when `label` normalises it ("Q1")


def is_date(text: str) -> bool:
    """The text is a date and little else ("March 3, 2024", "3 mars 2024, 10:00")."""
    spans = date_spans(text)
    return bool(spans) and len(remove_spans(text, spans).split()) <= 1


def qa_letter(label: str) -> str:
    """ "Question", "Q1", "Interviewer" -> "Q"; "Answer", "Interviewee" -> "A"."""
    return "A" if label.casefold().startswith(ANSWERS_FOLDED) else "Q"


def is_label_text(label: str) -> bool:
    """True when `label` is written like a speaker name, initials, an outlet or Q/A."""
    words = label.split()
    if not 1 <= len(words) <= 5 or len(label) > 40:
        return False
    if label.casefold().strip(".") in STOP_LABELS or label.endswith((",", "?", "!")):
        return False
    if asking_role(label):
        return True
    if words[0][0].islower() and not re.match(r"^[a-z]+[A-Z]", words[0]):
        return False
    for word in words:
        if HONORIFIC.match(word):
            continue
        if any(c.isdigit() for c in word) and not re.fullmatch(r"[A-Z][A-Z0-9]{0,4}", word):
            return False
        if not (LABEL_WORD.match(word) or is_cjk_label(word) or name_word(word)):
            return False
    return True


def name_word(word: str) -> bool:
    """A word of a name in any script: capitalised ("Émile", "Ана"), or in a script without
    capitals ("איתי", "फ़रहान"), and letters only."""
    if not all(unicodedata.category(c)[0] in "LM" or c in "’'-" for c in word):
        return False
    first = word[0]
    return first.isupper() or (first.isalpha() and not first.islower())


def asking_role(label: str) -> bool:
    """ "Moderator", "Audience member 2", "Audience Member #3", "Periodista": a role that
    asks."""
    return fold(re.sub(r"\s*#?\d+$", "", label)) in ASKING_ROLES


def answering_role(label: str) -> bool:
    """ "Guest", "Invitada", "Гость": the role of whoever answers."""
    return fold(re.sub(r"\s*#?\d+$", "", label)) in ANSWERING_ROLES


def is_role(label: str) -> bool:
    """The label names a part in the conversation, not a person."""
    return asking_role(label) or answering_role(label)


def find_candidate(block: Block) -> Candidate | None:
    """The label a block starts with, if any (validated later against the whole text)."""
    text = block.text
    alone = QA_ALONE.match(text)
    if alone:
        return Candidate(alone.group("label"), "", "alone", text)
    if INITIALS_ALONE.match(text) and not block.all_bold and block.kind not in ("li", "heading"):
        return Candidate(text.rstrip(":."), "", "initials-alone")
    stamp = TIMESTAMP_LABEL.match(text)
    if stamp and is_label_text(stamp.group("label").strip()):
        return Candidate(stamp.group("label").strip(), "", "timestamp")
    qa = QA_LABEL.match(text)
    if qa and (qa.group("label") in "QA" or text[len(qa.group("label"))] in ":："):
        written = text[: qa.start("rest")].strip().rstrip(":：.)-–—").strip()
        return Candidate(qa_letter(qa.group("label")), qa.group("rest").strip(), "qa", written)
    if block.bold_prefix and not block.all_bold or block.bold_prefix == text:
        found = bold_candidate(block)
        if found:
            return found
    if block.kind == "heading" and is_label_text(text) and is_person_like(text):
        # A speaker's name as a heading (<h4>Nadia Bakri</h4>) labels the text below; it
        # must recur, as subheadings look the same (see accept_labels).
        return Candidate(text, "", "heading")
    colon = COLON_LABEL.match(text)
    if colon:
        # "Kelly Reichardt (director):", "Kelly Reichardt, director:" -> "Kelly Reichardt"
        label = re.sub(r"\s*\([^)]{1,30}\)$", "", colon.group("label").strip())
        label = re.sub(r",\s+(?:the\s+)?[a-z][a-z\-]+(?:\s[a-z\-]+){0,2}$", "", label)
        if is_label_text(label):
            return Candidate(label, colon.group("rest").strip(), "colon")
    dash = DASH_LABEL.match(text)
    if dash and is_label_text(dash.group("label")):
        return Candidate(dash.group("label").rstrip("."), dash.group("rest").strip(), "dash")
    letter = LETTER_LABEL.match(text)
    if letter:
        return Candidate(letter.group("label"), letter.group("rest").strip(), "letter")
    return None


def bold_candidate(block: Block) -> Candidate | None:
    """A bold run at the start: "<b>Name:</b> text", "<b>Name</b> – text", "<b>NAME</b> text"."""
    prefix = block.bold_prefix
    label = prefix.strip().rstrip(SEPARATORS).strip().strip("[]").rstrip(":").strip()
    rest = block.text[len(prefix) :] if block.text.startswith(prefix) else ""
    rest_stripped = rest.lstrip().lstrip(SEPARATORS).strip()
    separated = prefix.rstrip().endswith(tuple(SEPARATORS)) or rest.lstrip()[:1] in SEPARATORS
    qa = QA_LABEL.match(prefix.strip() + " ")
    if prefix.strip().rstrip(":.") in ("Q", "A", "Question", "Answer") or (
        qa and not qa.group("rest").strip()
    ):
        written = prefix.strip().rstrip(":：.)-–—").strip()
        return Candidate(qa_letter(prefix.strip()), rest_stripped, "qa", written)
    if not is_label_text(label):
        return None
    if not rest_stripped and not separated:
        # A bold name alone on its line labels the paragraph below; it must recur or be a
        # known name to be trusted (see accept_labels), as subheadings look the same.
        return Candidate(label, "", "bold-alone") if is_person_like(label) else None
    if not separated and len(label.split()) > 3:
        return None
    return Candidate(label, rest_stripped, "bold")


@dataclass
class Label:
    """An accepted label: where it is, how it was written, whom it names."""

    index: int
    cand: Candidate
    speaker: str  # canonical name; "Q" / "A" for question and answer labels


def resolve(label: str, pool: list[str], labels: list[str], text: str) -> str:
    """Canonical name for a label: the name (or longer label) it abbreviates."""
    if label in ("Q", "A") or is_role(label):
        # A role is short for nobody: not "Audience member 2", not "Haden Guest".
        return label
    if CJK_WORD.match(label):
        return fullest_name(label, text)  # "山田" -> "山田花子"
    if DOTTED_INITIALS.match(label):
        label = re.sub(r"[.\s]", "", label)  # "C. F." -> "CF"
    words = label.split()
    if len(words) >= 3 and fold(words[0]) in ROLE_WORDS:
        # "Director Jane Doe" is Jane Doe (not short for the label with the role).
        others = [[x for x in names if fold(x) != fold(label)] for names in (pool, labels)]
        return resolve(" ".join(words[1:]), others[0], others[1], text)
    if label.isupper() and " " in label:
        # "ALISON KLAYMAN" -> "Alison Klayman" when the text spells it normally somewhere.
        for name in [*pool, *labels]:
            if fold(name) == fold(label) and name != name.upper():
                return name
    # Longer labels, but not the same initials written with dots ("K.K" for "KK").
    bare = re.sub(r"[.\s]", "", label).upper()
    longer = [
        x
        for x in labels
        if len(x) > len(label) and x not in ("Q", "A") and re.sub(r"[.\s]", "", x).upper() != bare
    ]
    if len(label) == 1:
        # One-letter labels abbreviate another label ("B" for "BUST").
        starts = unique_folded(x for x in longer if x[0].upper() == label.upper())
        return starts[0] if len(starts) == 1 else label
    if " " in label:
        # A full name stays as written unless the text repeats a longer form of it.
        pool = [n for n in pool if text.count(n) >= 2]
    best = match_label(label, longer, text) or match_label(label, pool, text)
    if not best and label.isupper() and len(label) <= 5:
        for other in longer:
            if label.upper() in initials_variants(other):
                best = other
    return best or label


def unique_folded(names: object) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:  # type: ignore[attr-defined]
        seen.setdefault(fold(name), name)
    return list(seen.values())


def accept_labels(
    blocks: list[Block], pool: list[str], known: set[str], title: str, notes: list[str]
) -> dict[int, Label]:
    """Keep the candidate labels that behave like speaker labels across the whole text."""
    text = "\n".join(b.text for b in blocks)
    found: dict[int, Candidate] = {}
    raw_found = {i: c for i, b in enumerate(blocks) if (c := find_candidate(b))}
    letter_labels(raw_found)
    written = Counter(fold(c.label) for c in raw_found.values())
    for i, cand in raw_found.items():
        if not_a_label(cand, blocks[i], text, title, written, notes):
            continue
        found[i] = cand
    raw = unique_folded(c.label for c in found.values() if " " in c.label or c.label.isupper())
    speakers = {i: resolve(c.label, pool, raw, text) for i, c in found.items()}
    counts = Counter(fold(s) for s in speakers.values())
    title_names = {fold(n) for n in pool if fold(n) in fold(title)}
    accepted: dict[int, Label] = {}
    alone_initials = {
        fold(c.label)
        for c in found.values()
        if c.how == "initials-alone" and written[fold(c.label)] >= 2
    }
    for i, cand in found.items():
        key = fold(speakers[i])
        named = key in known or key in title_names
        if label_holds(cand, counts[key], named, written, len(alone_initials), known):
            accepted[i] = Label(i, cand, speakers[i])
    accept_neighbours(found, speakers, accepted)
    match_loose_initials(accepted)
    from indexer.dialogue.bare import bare_labels  # it builds on this module's Candidate and Label

    accepted.update(bare_labels(blocks, accepted, found, pool, text))
    # "OLSEN" -> "MARA OLSEN" -> "Mara Olsen": capitals give way to the text's own spelling.
    spelled = {fold(n): n for n in pool if n != n.upper()}
    for lab in accepted.values():
        if lab.speaker.isupper():
            lab.speaker = spelled.get(fold(lab.speaker), lab.speaker)
    seen = Counter((lab.cand.label, lab.cand.how, lab.speaker) for lab in accepted.values())
    for (label, how, speaker), count in seen.items():
        notes.append(f"label {label!r} ({how}, {count}x) -> {speaker}")
    return accepted


def not_a_label(
    cand: Candidate, block: Block, text: str, title: str, written: Counter[str], notes: list[str]
) -> bool:
    """A sound bite, a clip, a dateline or a title with a colon, not a speaker's label."""
    if SOUNDBITE_LABEL.match(cand.label) or CLIP_LABEL.match(cand.label):
        return True
    if CLIP_LINE.match(cand.rest) or is_date(cand.rest):
        return True  # a clip, or "Last Updated: March 3, 2024": a dateline, not a turn
    once = written[fold(cand.label)] < 2
    if cand.how not in ("qa", "alone") and is_title_colon(cand, block, text, fold(title), once):
        notes.append(f"not a label (a title with a colon): {block.text[:60]!r}")
        return True
    return False


def label_holds(
    cand: Candidate,
    turns: int,
    named: bool,
    written: Counter[str],
    alone_initials: int,
    known: set[str],
) -> bool:
    """The candidate is a label on its own evidence: by its kind, how often its label is
    `written`, how many `turns` its speaker labels and whether the speaker is `named`
    otherwise (known, or in the headline)."""
    times = written[fold(cand.label)]
    if cand.how in ("qa", "alone"):
        return True
    if cand.how == "initials-alone":
        return times >= 2 and alone_initials >= 2
    if cand.how == "heading":
        return times >= 2  # a site's name as a heading is written once
    if cand.how == "bold-alone":
        return turns >= 2 or named
    if cand.rest[:1].islower() and turns < 2:
        return False  # turns start with a capital; "Name: she said" is ordinary prose
    return turns >= 2 or named or fold(cand.label) in known


def accept_neighbours(
    found: dict[int, Candidate], speakers: dict[int, str], accepted: dict[int, Label]
) -> None:
    """A label right before or after an accepted one, naming someone else, is one; but where
    the labels are set in bold, a plain "Name:" line is part of an answer."""
    styles = [lab.cand.how in ("bold", "bold-alone") for lab in accepted.values()]
    in_bold = len(styles) >= 2 and sum(styles) >= 0.8 * len(styles)
    changed = True
    while changed:
        changed = False
        order = sorted(found)
        for a, b in zip(order, order[1:], strict=False):
            pair = [
                x
                for x in (a, b)
                if x not in accepted
                and not found[x].rest[:1].islower()
                and found[x].how not in ("bold-alone", "heading", "initials-alone")
                and not (in_bold and found[x].how in ("colon", "dash"))
            ]
            if not pair or fold(speakers[a]) == fold(speakers[b]) or b - a > 12:
                continue
            if a == order[0] and a not in accepted and b - a > 2:
                continue  # the first label must open a dialogue, not an intro paragraph
            if len(pair) == 1 or all(is_person_like(speakers[x]) for x in pair):
                for x in pair:
                    accepted[x] = Label(x, found[x], speakers[x])
                changed = True


def letter_labels(found: dict[int, Candidate]) -> None:
    """ "P." and "R." both labelling turns are a question and an answer label; a bare
    letter ("Q ...", "R ...") counts only as one of such a pair."""
    letters = Counter(c.label.rstrip(".") for c in found.values() if len(c.label.rstrip(".")) == 1)
    bare = Counter(c.label for c in found.values() if c.how == "letter")
    pair = next(
        (
            p
            for p in (("Q", "A"), *QA_LETTER_PAIRS)
            if min(bare[p[0]], bare[p[1]]) >= LETTER_PAIR_MIN
        ),
        None,
    )
    for i, cand in list(found.items()):
        if cand.how == "letter":
            if pair is None or cand.label not in pair:
                del found[i]  # "A great film ...": an article, not an answer label
            else:
                qa = "Q" if cand.label == pair[0] else "A"
                found[i] = Candidate(qa, cand.rest, "qa", cand.label)
    for ask, answer in QA_LETTER_PAIRS:
        if letters[ask] and letters[answer] and (ask, answer) != ("Q", "A"):
            for i, cand in found.items():
                letter = cand.label.rstrip(".")
                if letter in (ask, answer) and cand.how in ("bold", "colon", "dash"):
                    qa = "Q" if letter == ask else "A"
                    found[i] = Candidate(qa, cand.rest, "qa", cand.written or cand.label)
            return


def match_loose_initials(accepted: dict[int, Label]) -> None:
    """Initials that match no name ("EB" for Evan Glodell) go to the one name with that
    first letter among the accepted speakers."""
    full = unique_folded(lab.speaker for lab in accepted.values() if " " in lab.speaker)
    for lab in accepted.values():
        if lab.speaker == lab.cand.label and lab.cand.label.isupper() and len(lab.cand.label) <= 3:
            same = [n for n in full if n[0].upper() == lab.cand.label[0]]
            if len(same) == 1 and lab.cand.label[0] != "Q":
                lab.speaker = same[0]


def is_person_like(label: str) -> bool:
    """Two or more capitalised words, or initials: written like a name, not a phrase."""
    words = label.split()
    return (len(words) >= 2 and all(w[:1].isupper() for w in words)) or label.isupper()


# A label inside a paragraph, after the sentence before it: "… with cancer. SJ: I wish …".
INLINE_LABEL = re.compile(
    r"(?<=[.!?…\"”’)\]])\s+(?P<label>[A-Z][\w.'’&\-]*(?:\s[A-Z][\w.'’&\-]*){0,2})[:：]\s+(?=\S)"
)
INLINE_REPEATS = 2  # a label written inline must label this many turns on the page


def split_inline_labels(blocks: list[Block]) -> list[Block]:
    """Paragraphs whose turns run on inline ("… cancer. Audience: You said …? SJ: I wish …")
    split before each label that labels at least `INLINE_REPEATS` turns of the page, at
    the start of a paragraph or inline."""
    inline = [list(INLINE_LABEL.finditer(b.text)) for b in blocks]
    if not any(inline):
        return blocks
    counts = Counter(m.group("label") for found in inline for m in found)
    counts.update(cand.label for b in blocks if (cand := find_candidate(b)) and cand.rest)
    result: list[Block] = []
    for block, found in zip(blocks, inline, strict=True):
        cuts = [
            m.start("label")
            for m in found
            if counts[m.group("label")] >= INLINE_REPEATS and is_label_text(m.group("label"))
        ]
        if not cuts:
            result.append(block)
            continue
        ends = [*cuts, len(block.text)]
        parts = [block.text[a:b].strip() for a, b in zip([0, *cuts], ends, strict=True)]
        result.append(replace(block, text=parts[0]))
        result.extend(Block(part, block.kind) for part in parts[1:])
    return result
