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
# Verbs that open a question put as a request ("Tell me about ...").
ASKING_VERBS = frozenset("tell describe talk explain please".split())
# A question run into the heading before it ("... director of Barcelona How did you ..."):
# a capitalised word, then an interrogative word in capitals with no stop between.
RUN_IN_QUESTION = re.compile(r"\b[A-ZÀ-Þ0-9][\w’'.)]* (?=(?P<word>[A-Z][a-z]+)\b)")


def question_like(text: str) -> bool:
    """Reads as a question: ends with "?" or "？" (before closing quotes or brackets)."""
    end = text.rstrip(" \"”’')]*")
    return end.endswith(("?", "？"))


def run_in_question(text: str) -> int:
    """Where a question run into a short heading begins ("Interview with Ann Lee, director
    of Quiet Harbour How did you ..."), or 0: the heading ends on a capitalised word or a
    number, the question opens with an interrogative word and ends with "?"."""
    first = text.split(maxsplit=1)[0].casefold() if text.strip() else ""
    if "?" not in text or first in INTERROGATIVE or first in ASKING_VERBS:
        return 0  # "Tell me about What We Do in the Shadows?" is one question
    for match in RUN_IN_QUESTION.finditer(text):
        head, question = text[: match.start()], text[match.end() :]
        if match.group("word").casefold() in INTERROGATIVE and "?" not in head and "?" in question:
            words = question.split()
            if 2 <= len(head.split()) <= 20 and len(words) >= 3 and words[1].islower():
                return match.end()
    return 0
