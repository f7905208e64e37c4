"""Film titles a lone page gives away without a URL: quoted, headline and subject titles."""

from __future__ import annotations

import re

from indexer.model import Block
from indexer.text.names import fold

# --- Tables -------------------------------------------------------------------------------

# Small words a title keeps in lower case ("Salt and Iron", "Heart of Glass").
TITLE_SMALL = set(
    "of the a an and in on to at for from with or by is de la le du des del el y et".split()
)
# A capitalised phrase opening a sentence (or a clause after ", and") with "is"/"was" after it.
SUBJECT = re.compile(
    r"(?:^|[.!?]\s+|,\s+and\s+)(?P<t>[A-Z][\w’'\-]+(?:[ ]+(?:(?:of|the|and|in)[ ]+)?"
    r"[A-Z][\w’'\-]+){0,4})\s+(?:is|was|remains)\s+(?:still\s+|a\s+|an\s+|one\s+)"
)
# Words that show a sentence subject is an event, place or organisation, not a film.
NOT_FILM_WORDS = set(
    "festival film films fest awards award academy cinema cinemas studio studios university "
    "museum council institute company the this that these those it he she they we i you "
    "there here what who".split()
)
# Blocks at the top of the page where the subject film is introduced.
LEAD = 3


# --- Public API -----------------------------------------------------------------------------


def release_patterns(title: str) -> list[re.Pattern[str]]:
    """Patterns around a title (given as a regex) that mark a film: "Blue Hour (2012)",
    "Blue Hour, which opens Friday"."""
    quote_open, quote_close = r"[“\"‘]?", r"[”\"’]?"
    return [
        re.compile(rf"{quote_open}(?P<t>{title}){quote_close}\s+\((?:19|20)\d\d\)"),
        re.compile(
            rf"{quote_open}(?P<t>{title}),?{quote_close}\s+which\s+(?:opens|premieres|premiered|"
            rf"screens|hits|arrives|debuts|is out|comes out|is released|was released)\b"
        ),
    ]


def comma_title(quoted: str) -> str:
    """“Salt and Iron,” keeps its comma inside the quotes; a title-cased phrase is a title."""
    if not quoted.endswith(","):
        return ""
    words = quoted[:-1].split()
    if not 1 <= len(words) <= 6:
        return ""
    if all(w[:1].isupper() or w[:1].isdigit() or w.lower() in TITLE_SMALL for w in words):
        return quoted[:-1]
    return ""


def sentence_quote(quoted: str) -> bool:
    """A quoted headline phrase that reads as a sentence ("I never wanted to go home")."""
    words = quoted.split()
    lower = [w for w in words if w[:1].islower() and w.lower() not in TITLE_SMALL]
    return len(words) >= 4 and len(lower) * 2 > len(words)


def subject_titles(blocks: list[Block], people: list[str]) -> list[str]:
    """A capitalised subject of the lead's sentences ("Blue Hour is a raw...") that is
    no person: the film a piece with no other clue is about."""
    person_words = {w for p in people for w in fold(p).split()}
    found: list[str] = []
    for block in blocks[:LEAD]:
        for match in SUBJECT.finditer(block.text):
            title = match.group("t")
            words = set(fold(title).split())
            if words & NOT_FILM_WORDS or words <= person_words:
                continue
            found.append(title)
    return found
