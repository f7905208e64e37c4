"""Spotting speaker labels ("BT:", "Q:", a bold "Alison Klayman") at the start of a block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Block

# --- Tables -------------------------------------------------------------------------------

SEPARATORS = ":：-–—|"
# "Q:", "Q1.", "Question:", "A -"; a number after Q counts questions.
QA_LABEL = re.compile(
    r"^(?P<label>Q|A|Question|Answer)(?P<num>\d{1,2})?\s*(?:[:：.)]|\s[-–—])\s*(?P<rest>.*)$",
    re.S,
)
QA_ALONE = re.compile(r"^(?P<label>Q|A)[:.]?$")
# "Name: text" with the label up to five words; the colon may sit inside brackets.
COLON_LABEL = re.compile(
    r"^\[?(?P<label>[^\s:\[\]()\"“”‘’][^:\[\]\"“”\n]{0,44}?)\s*[:：]\s*\]?\s*(?P<rest>.*)$", re.S
)
# "SB - text": dash labels are only trusted for short all-capital labels.
DASH_LABEL = re.compile(r"^(?P<label>[A-Z][A-Z.]{0,5})\s+[-–—]\s+(?P<rest>.+)$", re.S)
# One word of a label: Name, NAME, O'Neil, Kore-eda, dGenerate, H2N, particles (de, to).
LABEL_WORD = re.compile(
    r"^(?:[A-Z][\w’'.&\-]*|[a-z]+[A-Z][\w’'\-]*|de|da|del|di|van|von|der|la|le|to|of|the|and|"
    r"bin|al|du|dos)$"
)
HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof)\.?$")
# Words that start a "Word: ..." line without naming a speaker.
STOP_LABELS = {
    "note",
    "editor's note",
    "editor’s note",
    "update",
    "updated",
    "spoiler",
    "spoilers",
    "warning",
    "photo",
    "photos",
    "source",
    "sources",
    "interview",
    "q&a",
    "related",
    "tags",
    "tag",
    "category",
    "categories",
    "posted",
    "filed under",
    "read more",
    "watch",
    "listen",
    "trailer",
    "synopsis",
    "director",
    "directors",
    "directed by",
    "cast",
    "starring",
    "runtime",
    "running time",
    "country",
    "language",
    "year",
    "genre",
    "rating",
    "release date",
    "title",
    "producer",
    "producers",
    "writer",
    "writers",
    "screenplay",
    "location",
    "date",
    "time",
    "where",
    "when",
    "verdict",
    "grade",
    "score",
    "bottom line",
    "but",
    "so",
    "and",
    "well",
    "the",
    "here",
    "this",
    "that",
    "it",
    "yes",
    "no",
    "ok",
    "okay",
    "also",
    "now",
    "then",
    "first",
    "second",
    "third",
    "finally",
    "plus",
    "result",
    "example",
    "for example",
    "remember",
    "lesson",
    "answer me",
    "caption",
    "credit",
    "credits",
    "image",
    "video",
    "audio",
    "transcript",
    "featured",
    "advertisement",
    "via",
    "share",
    "email",
    "print",
    "comments",
    "reply",
    "sources say",
    "summary",
    "in short",
    "premise",
    "plot",
    "logline",
    "why",
    "what",
    "how",
    "who",
    "step",
    "part",
    "chapter",
    "scene",
    "act",
    "rule",
    "lesson one",
    "pro",
    "con",
    "pros",
    "cons",
    "festival",
    "world premiere",
    "premiere",
    "distributor",
    "format",
    "budget",
    "music",
    "editor",
    "cinematography",
    "production",
    "dop",
    "sound",
    "https",
    "http",
    "www",
}


@dataclass
class Candidate:
    """A label found at the start of a block: how it was written and what follows it."""

    label: str
    rest: str
    how: str  # "qa", "bold", "colon", "dash", "alone"


def is_label_text(label: str) -> bool:
    """True when `label` is written like a speaker name, initials, an outlet or Q/A."""
    words = label.split()
    if not 1 <= len(words) <= 5 or len(label) > 40:
        return False
    if label.casefold().strip(".") in STOP_LABELS or label.endswith((",", "?", "!")):
        return False
    if words[0][0].islower() and not re.match(r"^[a-z]+[A-Z]", words[0]):
        return False
    for word in words:
        if HONORIFIC.match(word):
            continue
        if any(c.isdigit() for c in word) and not re.fullmatch(r"[A-Z][A-Z0-9]{0,4}", word):
            return False
        if not LABEL_WORD.match(word):
            return False
    return True


def find_candidate(block: Block) -> Candidate | None:
    """The label a block starts with, if any (validated later against the whole text)."""
    text = block.text
    alone = QA_ALONE.match(text)
    if alone:
        return Candidate(alone.group("label"), "", "alone")
    qa = QA_LABEL.match(text)
    if qa and (qa.group("label") in "QA" or text[len(qa.group("label"))] in ":："):
        return Candidate(qa.group("label")[0].upper(), qa.group("rest").strip(), "qa")
    if block.bold_prefix and not block.all_bold or block.bold_prefix == text:
        found = bold_candidate(block)
        if found:
            return found
    colon = COLON_LABEL.match(text)
    if colon and is_label_text(colon.group("label").strip()):
        return Candidate(colon.group("label").strip(), colon.group("rest").strip(), "colon")
    dash = DASH_LABEL.match(text)
    if dash and is_label_text(dash.group("label")):
        return Candidate(dash.group("label").rstrip("."), dash.group("rest").strip(), "dash")
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
        return Candidate(prefix.strip()[0].upper(), rest_stripped, "qa")
    if not is_label_text(label):
        return None
    if not rest_stripped and not separated:
        return None  # a bold line on its own without a colon is a heading, not a label
    if not separated and len(label.split()) > 3:
        return None
    return Candidate(label, rest_stripped, "bold")


def question_like(text: str) -> bool:
    """Reads as a question: ends with "?" (before closing quotes/brackets) or an ellipsis."""
    end = text.rstrip(" \"”’')]*")
    return end.endswith(("?", "？"))
