"""The lines above a plain text's body: where its headline, byline and dateline are."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from indexer.text.names import fold, normalize_space

# --- Tables -------------------------------------------------------------------------------

# Markup left in a text capture ("<![CDATA[...]]>") separates its pieces like a line break.
MARKUP_RESIDUE = re.compile(r"<!\[CDATA\[|\]\]>|<[^>\n]{1,80}>")
# An all-capitals headline run into the first sentence of a flattened page.
CAPS_RUN = re.compile(r"^((?:[^\sa-z]+\s+){4,}?)(?=[A-Z][a-z])")
# Lines of a plain text looked at before the body; a line this long is body text.
TOP_LINES = 15
BODY_WORDS = 25
BODY_CHARS = 180
# A line this long holding two sentences ("by hand. Listen") is body text, and so is a
# question this long.
SENTENCES_WORDS = 10
SENTENCE_BREAK = re.compile(r"[^\W\d_]{3,}[.!?][\"”’»)]?\s+[\"“‘«(]?[A-Z]")
QUESTION_WORDS = 12
# A speaker's label opening a line ("GS: ...", "Q: ..."): a turn when the page uses it twice
# among its first lines.
TURN_LABEL = re.compile(r"^([\w.’' -]{1,30}?)\s?[:：]\s")
LABEL_LINES = 60
# Hard-wrapped text: paragraph lines are at least this long, and within this many
# characters of the usual width.
WRAP_WIDTH = 50
WRAP_SLACK = 15
# A lower-case line that is a byline ("di Bo Ma – 3 settembre 2022") continues no paragraph.
BYLINE_START = re.compile(r"^(?:by|par|por|di|von|przez|door)\s+[A-Z]")


@dataclass
class Top:
    """The lines above the body (whitespace normalised) and the body's first line."""

    head: list[str]
    body: str


# --- Public API -----------------------------------------------------------------------------


def split_top(text: str) -> Top:
    """The lines above the body of a plain text, and the body's first line."""
    raw = first_lines(text, LABEL_LINES)
    # How many different lines each label opens: a repeated headline counts once.
    labelled = {fold(line): TURN_LABEL.match(line) for line in raw[:LABEL_LINES]}
    labels = Counter(m.group(1) for m in labelled.values() if m)
    width = wrap_width(raw[:LABEL_LINES])
    lines: list[str] = []
    for n, line in enumerate(raw[:TOP_LINES]):
        caps = CAPS_RUN.match(line)
        if caps and len(line.split()) >= BODY_WORDS:
            # "JOSHUA OPPENHEIMER INTERVIEW / ... We spend the hour with ..."
            return Top([*lines, caps.group(1).strip()], line[caps.end() :])
        following = raw[n + 1] if n + 1 < len(raw) else ""
        if is_body(line, labels) or continues(line, following, width):
            return Top(lines, line)
        lines.append(line)
    return Top(lines, "")


def first_lines(text: str, count: int) -> list[str]:
    """The first `count` non-empty lines, whitespace normalised, markup residue split off;
    only as much of a long text is read as they need."""
    lines: list[str] = []
    start = 0
    while len(lines) < count and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        for piece in MARKUP_RESIDUE.split(text[start:end].replace("\r", "\n")):
            lines += [line for line in map(normalize_space, piece.split("\n")) if line]
        start = end + 1
    return lines[:count]


def is_body(line: str, labels: Counter[str]) -> bool:
    """A long paragraph, several sentences, a long question, or a speaker's turn (a label
    the page uses again, "Q: ...")."""
    if len(line.split()) >= BODY_WORDS or len(line) >= BODY_CHARS:
        return True
    if len(line.split()) >= SENTENCES_WORDS and SENTENCE_BREAK.search(line):
        return True  # "... corrected by hand. Listen on ..."
    if len(line.split()) >= QUESTION_WORDS and line.endswith(("?", "？")):
        return True
    label = TURN_LABEL.match(line)
    if not label:
        return False
    if line.endswith(("?", "？")):
        return True  # "Robert Robinson: Mr Hitchcock, why ...?"
    # "Note: ... condensed." is a note; "GS: ..." is a turn when GS opens other lines too.
    ends = line.endswith((".", "!", "…", "。"))
    return labels[label.group(1)] >= 2 and (ends or len(line.split()) >= 8)


def continues(line: str, following: str, width: int) -> bool:
    """True when `line` is the first of a paragraph's lines wrapped at a fixed width."""
    line_words = line.split()
    capitalised = sum(w[:1].isupper() for w in line_words) / max(len(line_words), 1)
    prose = following[:1].islower() and not BYLINE_START.match(following)
    if prose and len(following.split()) >= 6 and len(line_words) >= 6:
        # "This discussion between ... taken from" / "interviews that took place ...": prose,
        # not a title-cased headline followed by a stray lower-case line.
        return capitalised < 0.5
    near = width - WRAP_SLACK
    return bool(width) and len(line) >= near and len(following) >= near


def wrap_width(lines: list[str]) -> int:
    """The width a hard-wrapped text is wrapped at (its longest usual line), or 0."""
    long_lines = sorted(len(line) for line in lines if len(line) > 40)
    near = [n for n in long_lines if WRAP_WIDTH <= n <= 82]
    if len(near) >= 5 and len(near) > 0.6 * len(long_lines):
        return near[len(near) // 2]
    return 0
