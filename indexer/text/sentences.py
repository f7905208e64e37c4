"""What a sentence does, in any language."""

from __future__ import annotations

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


def question_like(text: str) -> bool:
    """Reads as a question: ends with "?" or "？" (before closing quotes or brackets)."""
    end = text.rstrip(" \"”’')]*")
    return end.endswith(("?", "？"))
