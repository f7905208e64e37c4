"""Highlighted fragments as Whoosh's highlighter makes them, from plain tuples.

`whoosh.highlight.highlight` passes every token of a passage through a chain of
generators and objects (matching, fragmenting, copying, scoring, formatting), which was
most of a search's time: ten hits, a question and an answer each. These functions do the
same from (start, end, text) spans: `ContextFragmenter` fragments, `BasicFragmentScorer`
scores, the `top` best in text order, `HtmlFormatter` marks. `tests/test_snippets.py`
compares their output with Whoosh's on many texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from whoosh.highlight import DEFAULT_CHARLIMIT

Span = tuple[int, int, str]  # startchar, endchar, the token's text
Fragment = tuple[int, int, list[Span]]  # startchar, endchar, the matched spans in it


def context_fragments(
    spans: Sequence[Span], words: frozenset[str], maxchars: int, surround: int
) -> list[Fragment]:
    """Whoosh's `ContextFragmenter(maxchars, surround)`: runs of tokens around matches."""
    fragments: list[Fragment] = []
    first: int | None = None
    firsts: list[int] = []  # start characters of the tokens just before, within `surround`
    countdown = -1  # < 0: outside a fragment
    matches: list[Span] = []
    endchar = 0
    length = 0
    for span in spans:
        startchar, endchar, text = span
        size = endchar - startchar
        if endchar > DEFAULT_CHARLIMIT:
            break
        matched = text in words
        if countdown < 0 and not matched:
            firsts.append(startchar)
            while firsts and endchar - firsts[0] > surround:
                firsts.pop(0)
        elif length + size > maxchars:
            countdown = 0
        elif matched:
            countdown = surround
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = startchar
                    countdown += surround
            matches.append(span)
        if countdown >= 0:
            length += size
            countdown -= size
            if countdown <= 0:
                fragments.append(_fragment(matches, first, endchar))
                matches, firsts, first, length = [], [], None, 0
    if matches:
        fragments.append(_fragment(matches, first, endchar))
    return fragments


def _fragment(matches: list[Span], first: int | None, endchar: int) -> Fragment:
    if first is None:  # as Whoosh's `mkfrag`: from the first match, or 0 when none
        first = matches[0][0] if matches else 0
    return (first, endchar, matches)


def whole_fragment(spans: Sequence[Span], words: frozenset[str], size: int) -> list[Fragment]:
    """Whoosh's `WholeFragmenter(charlimit=None)`: the whole text, one fragment."""
    return [(0, size, [s for s in spans if s[2] in words])]


def best(fragments: list[Fragment], top: int) -> list[Fragment]:
    """`BasicFragmentScorer`'s `top` best fragments (ties: the later), in text order."""

    def score(fragment: Fragment) -> tuple[int, int]:
        matches = fragment[2]
        return len(matches) * (len({m[2] for m in matches}) * 100 or 1), fragment[0]

    chosen = sorted(fragments, key=score, reverse=True)[:top]
    return sorted((f for f in chosen if score(f)[0] >= 1), key=lambda f: f[0])


def html(text: str, fragments: list[Fragment], tag: str, between: str) -> str:
    """`HtmlFormatter(tagname=tag, between=between)`: matches wrapped, the rest escaped."""
    classes: dict[str, int] = {}
    out: list[str] = []
    for n, (startchar, endchar, matches) in enumerate(fragments):
        if n:
            out.append(between)
        index = startchar
        for m_start, m_end, _ in sorted(matches, key=lambda m: (m[0], m[0] - m[1])):
            if m_start < index:
                continue
            out.append(escape(text[index:m_start], quote=False))
            word = escape(text[m_start:m_end], quote=False)
            number = classes.setdefault(word, len(classes) % 5)
            out.append(f'<{tag} class="match term{number}">{word}</{tag}>')
            index = m_end
        out.append(escape(text[index:endchar], quote=False))
    return "".join(out)


BETWEEN = " … "  # between two fragments


def highlighted(text: str, spans: Sequence[Span], words: frozenset[str], whole: bool) -> str:
    """`whoosh.highlight.highlight(text, words, ...)` as the search page asks for it: the
    whole text, or the best three fragments of about 320 characters, matches in <mark>."""
    return marked_fragments(text, spans, words, whole)[0]


def marked_fragments(
    text: str, spans: Sequence[Span], words: frozenset[str], whole: bool
) -> tuple[str, str]:
    """`highlighted`, and the text it shows without marks or escapes (what reading the
    tags out of it and unescaping it gives): its fragments of `text`, joined as shown."""
    if whole:
        fragments = whole_fragment(spans, words, len(text))
    else:
        fragments = context_fragments(spans, words, maxchars=320, surround=90)
    chosen = best(fragments, 3)
    plain = BETWEEN.join(text[start:end] for start, end, _ in chosen)
    return html(text, chosen, "mark", BETWEEN), plain
