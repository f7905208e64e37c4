"""Highlighted fragments from plain spans equal what Whoosh's highlighter makes."""

from __future__ import annotations

import html
import random

import pytest
from whoosh import highlight

from indexer.schema import text_analyzer
from webapp.highlighting import TAGS
from webapp.marking import CachedWordAnalyzer
from webapp.snippets import highlighted, marked_fragments

WORDS = (
    "the camera film she said of festival Beijing censorship light a an interview "
    "shooting shot shots documentary years I think we were editing edit it's Weiwei"
).split()
PUNCTUATION = (" ", " ", " ", ", ", ". ", " — ", "; ", "\n", "  ", " (", ") ", " & ", " <b> ")


def whoosh(text: str, words: frozenset[str], whole: bool) -> str:
    analyzer = text_analyzer()
    fragmenter = (
        highlight.WholeFragmenter(charlimit=None)
        if whole
        else highlight.ContextFragmenter(maxchars=320, surround=90)
    )
    formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
    marked: str = highlight.highlight(text, words, analyzer, fragmenter, formatter, top=3)
    return marked


def random_text(rng: random.Random) -> str:
    size = rng.choice((0, 1, 5, 30, 80, 200, 600))
    return "".join(rng.choice(WORDS) + rng.choice(PUNCTUATION) for _ in range(size))


@pytest.mark.parametrize("seed", range(60))
def test_the_same_fragments_and_marks_as_whoosh(seed: int) -> None:
    rng = random.Random(seed)
    analyzer = CachedWordAnalyzer(text_analyzer())
    for _ in range(10):
        text = random_text(rng)
        spans = analyzer.spans(text)
        assert spans is not None
        stems = {t.text for t in text_analyzer()(" ".join(WORDS))}
        words = frozenset(rng.sample(sorted(stems), rng.choice((1, 1, 2, 3))))
        for whole in (False, True):
            assert highlighted(text, spans, words, whole) == whoosh(text, words, whole)


def test_a_long_text_is_fragmented_only_up_to_whooshs_character_limit() -> None:
    text = "light " * 6000 + "camera here at the end"
    spans = CachedWordAnalyzer(text_analyzer()).spans(text)
    assert spans is not None
    words = frozenset({"camera", "light"})
    assert highlighted(text, spans, words, False) == whoosh(text, words, False)
    assert "camera" not in highlighted(text, spans, frozenset({"camera"}), False)


@pytest.mark.parametrize("seed", range(20))
def test_the_text_shown_is_the_marked_text_without_tags_and_escapes(seed: int) -> None:
    """What the ellipses are decided on: the fragments' text joined as shown, against
    reading the tags out of the marked text and unescaping it."""
    rng = random.Random(seed)
    analyzer = CachedWordAnalyzer(text_analyzer())
    for _ in range(30):
        text = random_text(rng)
        words = frozenset(rng.sample(["camera", "film", "festiv", "light", "shot"], 2))
        spans = analyzer.spans(text)
        assert spans is not None
        for whole in (False, True):
            marked, plain = marked_fragments(text, spans, words, whole)
            assert plain == html.unescape(TAGS.sub("", marked))
