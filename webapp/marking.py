"""A faster stand-in for the text analyzer when highlighting: the same tokens, cached per word.

Highlighting analyses every shown passage in full. The text analyzer's filters
(lowercase, accent folding, stop words, stemming) act on one word at a time, so a word's
token can be computed once and reused: tokenising is one regex scan, and each distinct
word goes through the real analyzer only the first time it is seen.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

from whoosh.analysis import Analyzer, CompositeAnalyzer, RegexTokenizer, Token

MAX_WORDS = 200_000  # distinct words remembered before the cache starts again
# Whoosh's default token pattern, and the same matches without a group to capture or a
# `\.?` to backtrack over (a run of word characters takes all of them, so an empty `\.?`
# can never go on): what `findall` needs, and quicker. `tests/test_fast_search.py` checks
# that both find the same tokens.
WHOOSH_TOKENS = r"[\w\*]+(\.?[\w\*]+)*"
TOKENS = r"[\w*]+(?:\.[\w*]+)*"


class CachedWordAnalyzer(Analyzer):  # type: ignore[misc]
    """Tokens (text, stopped, character offsets) as `analyzer` makes them, word by word."""

    def __init__(self, analyzer: Analyzer) -> None:
        items = getattr(analyzer, "items", [])
        tokenizer = items[0] if isinstance(analyzer, CompositeAnalyzer) and items else None
        if not isinstance(tokenizer, RegexTokenizer) or tokenizer.gaps:
            raise ValueError("needs a composite analyzer starting with a RegexTokenizer")
        self.analyzer = analyzer
        self.expression = tokenizer.expression
        pattern = tokenizer.expression.pattern
        # whole tokens, for `findall`: the quicker same pattern, or the given one's matches
        self.tokens = (
            re.compile(TOKENS, tokenizer.expression.flags) if pattern == WHOOSH_TOKENS else None
        )
        self._words: dict[str, tuple[str, bool] | None] = {}
        self._lock = threading.Lock()

    def _word(self, word: str) -> tuple[str, bool] | None:
        found = self._words.get(word, False)
        if found is not False:
            return found  # type: ignore[return-value]
        tokens = [(t.text, t.stopped) for t in self.analyzer(word, removestops=False)]
        found = tokens[0] if len(tokens) == 1 else None
        with self._lock:
            if len(self._words) >= MAX_WORDS:
                self._words.clear()
            self._words[word] = found
        return found

    def spans(self, value: str) -> list[tuple[int, int, str]] | None:
        """(start, end, text) of every token of `value`, stop words included, as the
        analyzer makes them; None when a word is not one token on its own."""
        known = self._words
        spans = []
        for match in (self.tokens or self.expression).finditer(value):
            text = match.group(0)
            word = known.get(text, False)
            if word is False:
                word = self._word(text)
            if word is None:
                return None
            spans.append((*match.span(), word[0]))  # type: ignore[index]
        return spans

    def matches(self, value: str, words: frozenset[str]) -> bool | None:
        """Whether a token of `value` is one of `words` (what `spans` would mark); None
        when a word is not one token on its own (as `spans`). Looks at each distinct word
        once, without the tokens' places: most shown texts match nothing."""
        if self.tokens is not None:
            found = set(self.tokens.findall(value))
        else:
            found = {m.group(0) for m in self.expression.finditer(value)}
        known = self._words
        matched = False
        for text in found:
            word = known.get(text, False)
            if word is False:
                word = self._word(text)
            if word is None:
                return None
            if word[0] in words:  # type: ignore[index]
                matched = True
        return matched

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        removestops: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        words = (
            []
            if positions
            else [(m, self._word(m.group(0))) for m in self.expression.finditer(value)]
        )
        if positions or any(word is None for _, word in words):
            # positions (renumbered around stop words), or a word that is not one token on
            # its own: let the real analyzer do the whole text
            yield from self.analyzer(
                value, positions=positions, chars=chars, removestops=removestops, mode=mode
            )
            return
        token = Token(False, chars, removestops=removestops, mode=mode)
        for match, word in words:
            text, stopped = word  # type: ignore[misc]
            if stopped and removestops:
                continue
            token.text, token.stopped, token.boost = text, stopped, 1.0
            if chars:
                token.startchar, token.endchar = match.start(), match.end()
            yield token
