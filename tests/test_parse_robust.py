"""Messy input never raises anything but SourceError, with a reason a curator can act on."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.model import Source
from indexer.parse import parse_file, parse_source
from indexer.read.sources import SourceError


def source(text: str, fmt: str = "text") -> Source:
    return Source(path=Path(f"x.{fmt}"), article_id="x", format=fmt, text=text, encoding="utf-8")


def test_html_without_text_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="no text found"):
        parse_source(
            source("<html><head><script>var a=1;</script></head><body></body></html>", "html")
        )


def test_empty_file_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"   \n")
    with pytest.raises(SourceError, match="empty"):
        parse_file(path, tmp_path)


def test_broken_html_still_parses() -> None:
    html = "<p><b>Q: Why?</b> <i>Because<p>A: No reason</div></span><table><td>Q: And?"
    article = parse_source(source(html, "html"))
    assert article.passages


def test_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "old.html"
    html = (
        '<html><head><meta charset="windows-1252"><title>Caf\xe9 Noir</title></head><body>'
        "<p>Q: Was it hard?</p><p>A: Tr\xe8s.</p><p>Q: Again?</p><p>A: Oui.</p></body></html>"
    )
    path.write_bytes(html.encode("cp1252"))
    article = parse_file(path, tmp_path)
    assert article.title == "Café Noir"
    assert article.turns[1].text == "Très."


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["text", "html"]))
def test_any_text_parses_or_raises_source_error(text: str, fmt: str) -> None:
    try:
        article = parse_source(source(text, fmt))
    except SourceError:
        return
    assert article.id == "x"
