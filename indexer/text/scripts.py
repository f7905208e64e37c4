"""Which writing system letters are in."""

from __future__ import annotations

import unicodedata
from collections import Counter


def script_of(letter: str) -> str:
    """ "LATIN", "DEVANAGARI", …; Chinese characters, kana and hangul count as one, "CJK"."""
    script = unicodedata.name(letter, "?").split()[0]
    return "CJK" if script in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL") else script


def main_script(text: str) -> str:
    """The writing system most of the letters of `text` are in ("LATIN", "CJK", "THAI")."""
    counts = Counter(script_of(c) for c in text if c.isalpha())
    return max(counts, key=lambda k: counts[k]) if counts else ""
