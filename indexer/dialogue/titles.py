"""A colon inside a title ("Ai Weiwei: Never Sorry"), not after a speaker's label."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from indexer.model import Block
from indexer.text.names import fold

if TYPE_CHECKING:
    from indexer.dialogue.labels import Candidate

# "Never Sorry is a new documentary": a colon inside a title, not after a speaker.
TITLE_CONTINUES = re.compile(
    r"^(?:[A-Z][\w’'\-]*\s+){1,5}(?:(?:is|was)\s+(?:a|an|the)\s+(?:[\w\-]+\s+){0,3}"
    r"(?:documentary|film|movie|drama|comedy|thriller|portrait|story|feature)|tells|follows|"
    r"premieres|opens)\b"
)
SENTENCE_STARTERS = set(
    "I It It’s It's We The That This My Yes No Well So And But Oh Sure Thanks Thank "
    "There They He She You What When Why How Absolutely Definitely Actually Of In As".split()
)


def is_title_colon(
    cand: Candidate, block: Block, full_text: str, title_key: str, once: bool = True
) -> bool:
    """ "Ai Weiwei: Never Sorry" is a title when the phrase also occurs mid-sentence, or when
    a label written only once runs on like a title ("...: Never Sorry is a documentary")."""
    head = " ".join(cand.rest.split()[:2])
    if not head or cand.how not in ("colon", "bold"):
        return False
    phrase = f"{cand.label}: {head}"
    if title_key and title_key.startswith(fold(phrase)):
        return True
    first_word = cand.rest.split()[0]
    if once and TITLE_CONTINUES.match(cand.rest) and first_word not in SENTENCE_STARTERS:
        return True
    if cand.rest.isupper() and len(cand.rest) > 12:
        return True  # "SCHEDULE: INTERVIEWS AT THE FESTIVAL" is a heading
    starts = sum(1 for line in full_text.split("\n") if line.startswith(phrase))
    return full_text.count(phrase) > starts
