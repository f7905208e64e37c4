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
from itertools import accumulate
from operator import itemgetter
from typing import cast

from whoosh.analysis import Analyzer, CompositeAnalyzer, RegexTokenizer, Token

MAX_WORDS = 200_000  # distinct words remembered before the cache starts again
# Whoosh's default token pattern, and the same matches without a group to capture or a
# `\.?` to backtrack over (a run of word characters takes all of them, so an empty `\.?`
# can never go on): what `split` needs, and quicker. `tests/test_fast_search.py` checks
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
        # the tokens and the gaps between them in one `split` (Whoosh's own pattern has a
        # group of its own, which `split` would return too): only for that pattern
        self.splitter = (
            re.compile(f"({TOKENS})", tokenizer.expression.flags)
            if tokenizer.expression.pattern == WHOOSH_TOKENS
            else None
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
        if self.splitter is None:
            return self._spans(value)
        # one pass of the pattern: gaps and tokens alternate, and their lengths add up to
        # where each token starts and ends; the rest is C loops (map, zip), not Python's
        pieces = self.splitter.split(value)
        tokens = pieces[1::2]
        if not tokens:
            return []
        bounds = list(accumulate(map(len, pieces)))
        found = list(map(self._words.get, tokens))
        if None in found:  # a word not seen yet, or one that is not one token
            for i, word in enumerate(found):
                if word is None:
                    word = self._word(tokens[i])
                    if word is None:
                        return None
                    found[i] = word
        texts = map(itemgetter(0), cast(list[tuple[str, bool]], found))  # no None left
        return list(zip(bounds[:-1:2], bounds[1::2], texts, strict=True))

    def _spans(self, value: str) -> list[tuple[int, int, str]] | None:
        known = self._words
        spans = []
        for match in self.expression.finditer(value):
            text = match.group(0)
            word = known.get(text, False)
            if word is False:
                word = self._word(text)
            if word is None:
                return None
            spans.append((*match.span(), word[0]))  # type: ignore[index]
        return spans

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
