"""Plain-text articles: lines, or hard-wrapped paragraphs, become blocks."""

from __future__ import annotations

import re

from indexer.model import Block, Document
from indexer.read.dates import text_date
from indexer.read.headline import text_headline
from indexer.text.names import normalize_space

# --- Tables -------------------------------------------------------------------------------

# A line inside a wrapped paragraph that opens with "NAME:" or "Mr. NAME:" starts a turn.
WRAPPED_LABEL = re.compile(
    r"^(?:(?:Mr|Ms|Mrs|Dr)\.\s+)?[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,3}:\s"
)


# What a line ends with when its sentence ends there.
ENDS = (".", "?", "!", "…", ":", '"', "”", "’", ")", "？", "。")


# --- Public API -----------------------------------------------------------------------------


def extract_text(text: str, url: str = "", publication: str = "") -> Document:
    """Plain text: each non-empty line is a block, except hard-wrapped paragraphs; the
    headline and the dateline come from the lines above the body."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = [line.strip() for line in text.split("\n")]
    headline = text_headline(text, url, publication)
    doc = Document(title=headline.text, date=text_date(text))
    doc.notes.append(headline.cue)
    if is_hard_wrapped(lines):
        paragraphs = unwrap(lines)
        doc.notes.append("text is hard-wrapped: blank lines separate paragraphs")
    else:
        paragraphs = lines
    doc.blocks = [Block(text=normalize_space(p)) for p in paragraphs if p.strip()]
    return doc


def is_hard_wrapped(lines: list[str]) -> bool:
    """True when most lines stop near one width, as text wrapped at ~70-80 columns does."""
    long_lines = [len(line) for line in lines if len(line) > 40]
    if len(long_lines) < 8:
        return False
    near_width = sum(1 for n in long_lines if 55 <= n <= 82)
    too_long = sum(1 for n in long_lines if n > 100)
    return near_width / len(long_lines) > 0.6 and too_long / len(long_lines) < 0.2


def unwrap(lines: list[str]) -> list[str]:
    """Join wrapped lines into paragraphs. A break after a sentence, before a word that
    would have fitted on its line, is the writer's own (a question, then its answer), as
    is a break before a speaker label; other breaks are where the text was wrapped."""
    longest = sorted(len(line) for line in lines)
    width = longest[-max(1, len(longest) // 20)]  # the wrap width, past a stray long line
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if not line or (current and WRAPPED_LABEL.match(line)):
            if current:
                paragraphs.append(join_wrapped(current))
            current = [line] if line else []
            continue
        if (
            current
            and current[-1].endswith(ENDS)
            and len(current[-1]) + len(line.split()[0]) < width
        ):
            paragraphs.append(join_wrapped(current))
            current = []
        current.append(line)
    return paragraphs


def join_wrapped(lines: list[str]) -> str:
    """Join lines with spaces, mending words hyphenated across a line break."""
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and line[:1].islower() and not text.endswith(" -"):
            text = text[:-1] + line
        else:
            text = f"{text} {line}"
    return text
