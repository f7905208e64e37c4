"""What a sentence does, in any language."""

from __future__ import annotations

import re

# The words that open a question, in the languages of film journalism (folded).
INTERROGATIVE = frozenset(
    """what how why when where who whom whose which do does did is are was were can could would
    will should have has had pourquoi comment quel quelle quels quelles qu'est-ce est-ce qui
    quand où combien qué cómo porque cuál cuáles cuándo dónde quién quiénes cuánto qual quais
    quando perché come cosa chi quale dove warum wie wann wo welche welcher wer wieso weshalb
    hoe wat waarom wanneer cum cine când unde care neden nasıl hangi kim niye mengapa
    bagaimana apa kenapa siapa dlaczego jak czy proč kdy kde zakaj kako zašto šta što miksi
    mitä miten kuka milloin varför hur vad hvorfor hvordan hvad miért hogyan почему как что
    зачем когда где кто какой чому що коли γιατί πώς τι πότε למה איך מה מתי لماذا كيف ماذا
    متى هل क्या कैसे क्यों""".split()
) | {"por qué", "por que", "o que", "de ce", "tại sao", "như thế nào", "thế nào"}


# A Japanese question ends with the particle か after a word in kana, with or without a
# full stop: "…教えていただけますか。", "…なのでしょうか".
JAPANESE_QUESTION = re.compile(r"[\u3040-\u30ff]か[。．]?$")


def question_like(text: str) -> bool:
    """Reads as a question: ends with "?" or "？" (before closing quotes or brackets), or
    with the Japanese question particle."""
    end = text.rstrip(" \"”’')]*")
    return end.endswith(("?", "？")) or bool(JAPANESE_QUESTION.search(end))


# Wide characters (East Asian width W or F): Hangul, kana, CJK ideographs, full-width forms.
WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\ua4cf\ua960-\ua97f"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


def display_width(text: str) -> int:
    """The text's length in columns: a wide character (Chinese, Japanese, Korean) counts
    twice, as it holds about as much as two letters of an alphabet."""
    return len(text) + len(WIDE.findall(text))
