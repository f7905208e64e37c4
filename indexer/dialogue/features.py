"""Named features of each unit, for the fitted turn model: does a turn begin here, and
who speaks?

Each family is one small function; every feature is a number, most of them 0 or 1. The
rules' own readings are features too, so the model learns where to trust them. The
weights live in `turns.weights.json` (fitted by `python -m benchmarks.fit_parser`); a
feature the code no longer makes weighs nothing, so bump FEATURE_VERSION when a meaning
changes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING

from indexer.dialogue.labels import find_candidate
from indexer.dialogue.questions import (
    ADDRESSED,
    IMPERATIVE_QUESTION,
    INTERVIEW_CUE,
    QUOTATION,
    REPORTED,
    RUN_IN,
    SPEAKING,
)
from indexer.model import INTERVIEWER, Block
from indexer.text.names import fold
from indexer.text.sentences import INTERROGATIVE, display_width, question_like

if TYPE_CHECKING:
    from indexer.dialogue.interview import Reading

FEATURE_VERSION = 3  # bump when a feature's meaning changes
Features = dict[str, float]

# --- Tables -------------------------------------------------------------------------------

# "1. There's a kind of...", "3) What ...": questions numbered by the writer.
NUMBERED = re.compile(r"^\d{1,2}[.)]\s+\S")
# "PARIS —", "LOS ANGELES (AP) —": a news dateline, not a speaker.
DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .'’-]{2,30}(?:\s\([A-Za-z]+\))?\s*[—–-]\s")
# A paragraph opened by a dash: the question in Japanese and some European layouts.
OPENING_DASH = re.compile(r"^(?:[―—–]+\s*|-\s+)\S")
# Question marks in the scripts of the corpus, full-width included.
QUESTION_MARKS = ("?", "？", "¿")
SHORT_CHARS = 160  # a block this short can be a question or a caption, rarely an answer
EARLY_CHARS = 250  # a question mark this early opens the block with a question
SENTENCE_WORDS = 5  # fewer words is a name, a caption or a fragment
CAPITALISED_SHARE = 0.5  # more capitalised words than this is a title or a caption


def plain_features(reading: Reading) -> list[Features]:
    """The named features of each unit that do not look at its neighbours' features."""
    blocks = reading.blocks
    page = page_features(reading)
    labels = label_features(blocks)
    rules = rule_features(reading)
    widths = [display_width(b.text) for b in blocks]
    texts = [text_features(b, w) for b, w in zip(blocks, widths, strict=True)]
    result = []
    for i, block in enumerate(blocks):
        feats: Features = {"bias": 1.0}
        for family in (
            texts[i],
            format_features(block),
            labels[i],
            rules[i],
            context_features(texts, rules, i),
            page,
        ):
            feats.update(family)
        feats.update(interactions(feats, widths[i - 1] if i else 0, widths[i]))
        result.append(feats)
    return result


def interactions(feats: Features, prev_chars: int, chars: int) -> Features:
    """Products of features that a linear model cannot form by itself."""
    plain = 1.0 - feats["cand"]
    asks_here = max(feats["ends_question"], feats["imperative"])
    asked_before = feats["prev_question"]
    # Labels that stop after the first exchange: the dialogue runs on unlabelled.
    sparse = (1.0 - feats["page_label_density"]) * feats["rule_after_first"]
    unlabelled_page = feats["page_rule_qa"] * (1.0 - feats["page_labelled_share"])
    short_after_long = plain * feats["short"] * float(prev_chars > 2 * chars)
    return {
        "plain_in_labelled_page": plain * feats["page_labelled_share"],
        "plain_after_question_on_qa_page": plain * asked_before * feats["page_rule_qa"],
        "ask_after_statement_sparse": plain * sparse * asks_here * (1.0 - asked_before),
        "answer_after_question_sparse": plain * sparse * (1.0 - asks_here) * asked_before,
        # A short line after a long answer, on a page whose questions carry no label.
        "short_after_long": short_after_long,
        "short_after_long_unlabelled": short_after_long * unlabelled_page,
        # A short statement after a long answer, in the asker's voice rather than the guest's.
        "short_statement_after_long": (
            short_after_long * feats["sentence"] * (1.0 - feats["first_person"])
        ),
    }


def text_features(block: Block, width: int | None = None) -> Features:
    """How the block's words read: asking, addressing, narrating, its length (`width`, its
    `display_width`, when known)."""
    text = block.text
    head = text[:EARLY_CHARS]
    own = QUOTATION.sub(" ", text)
    width = display_width(text) if width is None else width
    return {
        "ends_question": float(question_like(text)),
        "question_early": float(any(m in head for m in QUESTION_MARKS)),
        "imperative": float(bool(IMPERATIVE_QUESTION.match(text))),
        "ends_colon": float(text.rstrip().endswith((":", "："))),
        "starts_lower": float(text[:1].islower()),
        "starts_quote": float(text[:1] in "\"“‘'«„"),
        "starts_dash": float(bool(OPENING_DASH.match(text))),
        "numbered": float(bool(NUMBERED.match(text))),
        "log_chars": math.log1p(width) / 8,
        "short": float(width < SHORT_CHARS),
        "you": float(bool(ADDRESSED.search(own))),
        "first_person": float(bool(SPEAKING.search(own))),
        "reported": float(bool(REPORTED.search(text))),
        "sentence": float(is_sentence(text, width)),
    }


def is_sentence(text: str, width: int) -> bool:
    """Written as a sentence (five words or more, mostly lower-case), not a name, a caption
    or a notice ("*This article appears in ..."). Chinese and Japanese leave no space
    between words: two wide characters count as one (`width`, the `display_width`)."""
    words = text.split()
    wide = width - len(text)  # wide characters
    if len(words) + wide // 2 < SENTENCE_WORDS or not text[:1].isalpha():
        return False
    capitalised = sum(w[:1].isupper() for w in words)
    return capitalised < CAPITALISED_SHARE * len(words)


def format_features(block: Block) -> Features:
    """How the block is set: bold, a heading, a quotation, a list item."""
    bold_to_plain = bool(block.bold_prefix) and not block.all_bold
    return {
        "all_bold": float(block.all_bold),
        "bold_to_plain": float(bold_to_plain),
        "heading": float(block.kind == "heading"),
        "blockquote": float(block.kind == "quote"),
        "list_item": float(block.kind == "li"),
        "run_in": float(block.kind == RUN_IN),
        "italic": float(bool(block.italics)),
    }


def label_features(blocks: list[Block]) -> list[Features]:
    """A label-shaped start, whether it is one of the page's two most frequent labels, and
    whether it alternates with the label before it (Q/A, two names, outlet and guest)."""
    cands = [find_candidate(b) for b in blocks]
    counts = Counter(fold(c.label) for c in cands if c)
    top = {label for label, n in counts.most_common(2) if n >= 2}
    first_top = next((n for n, c in enumerate(cands) if c and fold(c.label) in top), len(cands))
    result = []
    previous = ""
    for n, cand in enumerate(cands):
        key = fold(cand.label) if cand else ""
        feats = {
            "cand_once": float(bool(key) and counts[key] == 1),
            "cand_before_top2": float(bool(key) and n < first_top and key not in top),
            "dateline": float(bool(DATELINE.match(blocks[n].text))),
            "cand": float(cand is not None),
            "cand_qa": float(cand is not None and cand.how in ("qa", "alone")),
            "cand_alone": float(cand is not None and not cand.rest),
            "cand_top2": float(key in top),
            "cand_alternates": float(key in top and bool(previous) and key != previous),
        }
        if key in top:
            previous = key
        result.append(feats)
    return result


def rule_features(reading: Reading) -> list[Features]:
    """The rules' decisions about each block."""
    n = len(reading.blocks)
    starts = {s: t for s, t in zip(reading.starts, reading.turns, strict=True) if s >= 0}
    first = min(starts, default=n)
    qset = set(reading.questions)
    before_main = labels_before_main(reading)
    result = []
    last_label = -1
    for i in range(n):
        if i in reading.labels or i in qset:
            last_label = i
        lab = reading.labels.get(i)
        turn = starts.get(i)
        result.append(
            {
                "rule_start": float(turn is not None),
                "rule_start_asks": float(turn is not None and turn.role == INTERVIEWER),
                "rule_start_labelled": float(turn is not None and bool(turn.label)),
                "rule_label": float(lab is not None),
                "rule_label_qa": float(lab is not None and lab.speaker in ("Q", "A")),
                "rule_question": float(i in qset),
                "rule_ignored_label": float(i in reading.ignored),
                "rule_after_first": float(i > first),
                "rule_before_first": float(i < first),
                "rule_label_before_main": float(i in before_main),
                "blocks_since_label": min(i - last_label, 5) / 5 if last_label >= 0 else 0.0,
            }
        )
    return result


def labels_before_main(reading: Reading) -> set[int]:
    """Labels naming someone once, before the first label of a speaker who recurs: a
    headline, a dateline or a pull quote above the dialogue ("PARIS — ...", "Name: «...»")."""
    counts = Counter(fold(lab.speaker) for lab in reading.labels.values())
    main = [i for i, lab in reading.labels.items() if counts[fold(lab.speaker)] >= 2]
    if not main:
        return set()
    return {
        i for i, lab in reading.labels.items() if i < min(main) and counts[fold(lab.speaker)] == 1
    }


def context_features(texts: list[Features], rules: list[Features], i: int) -> Features:
    """What the neighbours are: a question before an answer, a start after a start."""
    none: Features = {}
    prev = texts[i - 1] if i > 0 else none
    after = texts[i + 1] if i + 1 < len(texts) else none
    return {
        "prev_question": prev.get("ends_question", 0.0),
        "prev_short": prev.get("short", 0.0),
        "prev_ends_colon": prev.get("ends_colon", 0.0),
        "next_question": after.get("ends_question", 0.0),
        "next_starts_lower": after.get("starts_lower", 0.0),
        "prev_rule_start": float(i > 0 and rules[i - 1]["rule_start"] > 0),
        "next_rule_start": float(i + 1 < len(rules) and rules[i + 1]["rule_start"] > 0),
        "first_block": float(i == 0),
    }


def page_features(reading: Reading) -> Features:
    """The whole page: is it an interview at all? Aimed at narrative pages read as Q&A."""
    turns = reading.turns
    asking = [t for t in turns if t.role == INTERVIEWER]
    answering = [t for t in turns if t.role != INTERVIEWER]
    asks = sum(question_like(t.text.split("\n\n")[0]) or "?" in t.text[:300] for t in asking)
    speaks = sum(bool(SPEAKING.search(QUOTATION.sub(" ", t.text))) for t in answering)
    blocks = reading.blocks
    top = " ".join([reading.hints.title, *(b.text for b in blocks[:4])])
    labelled = sum(bool(t.label) for t in turns)
    first = min((s for s in reading.starts if s >= 0), default=len(blocks))
    region = len(blocks) - first
    return {
        "page_rule_qa": float(reading.is_qa),
        "page_log_turns": math.log1p(len(turns)) / 4,
        "page_asking_share": asks / len(asking) if asking else 0.0,
        "page_speaking_share": speaks / len(answering) if answering else 0.0,
        "page_unanswered": float(bool(turns) and (not asks or not speaks)),
        "page_labelled_share": labelled / len(turns) if turns else 0.0,
        "page_interview_cue": float(bool(INTERVIEW_CUE.search(top))),
        "page_question_share": (
            sum(question_like(b.text) for b in blocks) / len(blocks) if blocks else 0.0
        ),
        "page_ignored_labels": float(bool(reading.ignored)),
        # Turns the rules start per block from the first turn on: low when they stop early.
        "page_label_density": min(1.0, 2 * len(turns) / region) if region > 0 else 0.0,
    }


# --- Units, for the turn model ------------------------------------------------------------

# Question marks in any script: Latin, Arabic, full-width, Armenian, Ethiopic.
ANY_QUESTION_MARK = re.compile(r"[?؟？՞፧]")
# A Greek question ends with ";" (the Greek question mark), in Greek text only.
GREEK = re.compile(r"[\u0370-\u03ff]")
CLOSERS = " \"”’'»)]*"
# "you" in many languages: a question addresses its guest (folded).
SECOND_PERSON_ANY = frozenset(
    """you your yours vous votre vos tu te ti usted ustedes você vocês voi sie ihnen ihr du dich
    dir dein deine jij je jouw u dumneavoastră dvs sen siz senin sizin anda kamu pan pani ty vy
    vi ste sinä ni dere ön maga вы ты вас вам ви ти εσείς εσύ σας אתה את אתם أنت انت आप bạn
    anh chị 당신 당신은 당신의""".split()
)
# "You" and "I" in Chinese and Japanese, written without spaces between words.
SECOND_PERSON_CJK = ("你", "您", "あなた")
FIRST_PERSON_CJK = ("我", "私", "僕")
# "I" and "we" in many languages: an interviewee speaks of themself (case-folded).
FIRST_PERSON_ANY = frozenset(
    """i i'm i've i'd my me we our us je j' moi nous mon ma mes yo mí nosotros nosotras
    ich mich mir mein meine wir uns io mio mia noi eu meu minha nós ik mij mijn wij ja mnie
    mój my nas já mě můj jaz mi mene ben biz benim minä me jag vi jeg én mi eu я мы мне мой
    нас я ми мені ми εγώ εμείς אני אנחנו أنا نحن मैं हम मैंने मेरा मेरी मेरे मुझे हमने हमें
    हमारा हमारी हमारे tôi chúng saya
    aku kami 저는 제가 저도 저희 저희는 저희가 나는 내가 우리 우리는 우리가""".split()
)
# A word: letters with their combining marks (Indic vowel signs, Hebrew and Arabic points).
WORD = re.compile(
    r"(?:[\w'’-]|[\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0900-\u0963\u0966-\u0dff\u0e00-\u0e7f])+"
)
# What may come before a question's first word: a dash, a number, a bullet, an opening mark.
QUESTION_OPENER = re.compile(r"^(?:[-–—―•·]\s*)?(?:\d{1,2}[.)]\s*)?[¿¡«“\"]?")
# A timestamp in a transcript: "00:12", "[01:02:03]".
TIMESTAMP = re.compile(r"[\[(]?\b\d{1,2}:\d{2}(?::\d{2})?\b[\])]?")
BULLET = re.compile(r"^[•·▪◦*]\s*\S")
# The features of a unit its neighbours see, as "prev." and "next.".
NEIGHBOUR_FEATURES = (
    "asks_any",
    "interrogative",
    "you_any",
    "first_person",
    "short",
    "log_chars",
    "cand",
    "found_label",
    "label_asks",
    "label_answers",
    "all_bold",
    "heading",
    "starts_dash",
    "numbered",
    "rule_start",
    "rule_start_asks",
    "sentence",
)


def unit_features(reading: Reading) -> list[Features]:
    """Named features of every unit: its own, the page's, and its neighbours'."""
    own = []
    blocks = reading.blocks
    counts = Counter(fold(lab.speaker) for lab in reading.found.values())
    for i, (feats, block) in enumerate(zip(plain_features(reading), blocks, strict=True)):
        feats.update(script_features(block.text))
        feats.update(found_label_features(reading, i, counts))
        feats["position"] = i / len(blocks)
        feats["first_tenth"] = float(i < len(blocks) / 10)
        feats["last_unit"] = float(i == len(blocks) - 1)  # a closing note, a credit
        feats["last_short"] = feats["last_unit"] * feats["short"]
        own.append(feats)
    result = []
    for i, feats in enumerate(own):
        row = dict(feats)
        for side, j in (("prev", i - 1), ("next", i + 1), ("prev2", i - 2), ("next2", i + 2)):
            other = own[j] if 0 <= j < len(own) else {}
            for name in NEIGHBOUR_FEATURES:
                row[f"{side}.{name}"] = other.get(name, 0.0)
            row[f"{side}.none"] = float(not other)
        nxt = own[i + 1] if i + 1 < len(own) else {}
        ask = feats["asks_any"]
        # Alternation: a short question before a long answer, a long answer after one.
        row["asks_then_longer"] = ask * float(nxt.get("log_chars", 0.0) > feats["log_chars"])
        row["after_ask_statement"] = row["prev.asks_any"] * (1.0 - ask)
        row["ask_after_statement"] = ask * (1.0 - row["prev.asks_any"])
        row["asks_you"] = ask * feats["you_any"]
        row["short_ask"] = ask * feats["short"]
        row["page_x_asks"] = ask * feats["page_question_share"]
        row["page_qa_x_label"] = feats["page_rule_qa"] * feats["found_label"]
        # Conjunctions a linear model cannot form: an unlabelled question between labelled
        # answers, a numbered or emphasised question, a question opened the way questions are.
        unlabelled = 1.0 - feats["found_label"]
        row["ask_after_labelled_answer"] = ask * unlabelled * row["prev.label_answers"]
        row["ask_before_labelled_answer"] = ask * unlabelled * row["next.label_answers"]
        row["numbered_ask"] = ask * feats["numbered"]
        row["bold_ask"] = ask * feats["all_bold"]
        row["interrogative_ask"] = ask * feats["interrogative"]
        row["dash_ask"] = ask * feats["starts_dash"]
        row["ask_on_labelled_page"] = ask * unlabelled * float(bool(reading.found))
        row["statement_after_ask"] = (1.0 - ask) * row["prev.asks_any"] * unlabelled
        result.append(row)
    return result


def script_features(text: str) -> Features:
    """Asking and addressing, in any language and script."""
    end = text.rstrip(CLOSERS)
    greek = bool(GREEK.search(text)) and end.endswith(";")
    head = text[:EARLY_CHARS]
    return {
        "asks_any": float(bool(ANY_QUESTION_MARK.match(end[-1:])) or greek),
        "asks_early": float(bool(ANY_QUESTION_MARK.search(head))),
        "question_marks": min(len(ANY_QUESTION_MARK.findall(text)), 3) / 3,
        "interrogative": float(opens_question(text)),
        "you_any": float(addresses_you(QUOTATION.sub(" ", head))),
        "timestamps": min(len(TIMESTAMP.findall(text)), 3) / 3,
        "bulleted": float(bool(BULLET.match(text))),
        "no_letters": float(not any(c.isalpha() for c in text)),
    }


def speaks_of_self(text: str) -> bool:
    """The text says "I" or "we" in one of many languages (我, 私 or 僕 in CJK); a word in
    capitals ("US", "MI") is an abbreviation."""
    said = {w.casefold() for w in WORD.findall(text) if not (w.isupper() and len(w) > 1)}
    return bool(FIRST_PERSON_ANY & said) or any(c in text for c in FIRST_PERSON_CJK)


def addresses_you(text: str) -> bool:
    """The text says "you" in one of many languages (你, 您 or あなた in CJK)."""
    return bool(SECOND_PERSON_ANY.intersection(words(text))) or any(
        c in text for c in SECOND_PERSON_CJK
    )


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold().replace("’", "'"))


def opens_question(text: str) -> bool:
    """The text opens with an interrogative word ("Why", "¿Cómo", "Pourquoi", "Tại sao")."""
    first = words(QUESTION_OPENER.sub("", text[:60], count=1))[:3]
    return any(" ".join(first[:n]) in INTERROGATIVE for n in (1, 2, 3))


def found_label_features(reading: Reading, i: int, counts: Counter[str]) -> Features:
    """The label the rules found here (before any gate set it aside): how often its speaker
    recurs, and the role the page gives that speaker."""
    lab = reading.found.get(i) or reading.speaker_label(i)
    if lab is None:
        return {"found_label": 0.0}
    role = reading.named[lab.index].role
    repeats = counts[fold(lab.speaker)]
    return {
        "found_label": 1.0,
        "found_label_alone": float(not lab.cand.rest),
        "label_repeats": min(repeats, 10) / 10,
        "label_once": float(repeats == 1),
        "label_asks": float(role == INTERVIEWER),
        "label_answers": float(bool(role) and role != INTERVIEWER),
        "label_qa": float(lab.speaker in ("Q", "A")),
        "label_is_subject": float(fold(lab.speaker) == fold(reading.subject)),
        "label_is_interviewer": float(fold(lab.speaker) == fold(reading.interviewer)),
        "label_in_title": float(
            bool(lab.speaker) and fold(lab.speaker) in fold(reading.hints.title)
        ),
    }
