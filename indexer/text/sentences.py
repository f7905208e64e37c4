"""What a sentence does, in any language."""

from __future__ import annotations


def question_like(text: str) -> bool:
    """Reads as a question: ends with "?" or "？" (before closing quotes or brackets)."""
    end = text.rstrip(" \"”’')]*")
    return end.endswith(("?", "？"))
