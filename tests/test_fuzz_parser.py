"""Property tests: whatever bytes or HTML the parser gets, it gives an Article or a SourceError.

They call the parser below its catch-all (which turns any crash into a skipped file), so a
crash fails them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indexer.linear import default_models
from indexer.model import Article, Source
from indexer.parse import parse_unguarded
from indexer.read.sources import SourceError, read_source

# FUZZ_EXAMPLES=5000 for a long hunt; the default keeps the test run short.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TAGS = "div p b strong i em span a br h1 h2 h3 blockquote ul li table tr td script style".split()
TAGS += "title meta article section header footer aside figure figcaption pre hr".split()
LABELS = ["Q:", "A:", "Q.", "BT:", "AK:", "Jonas Pike:", "MARA VELDE:", "Interviewer:", "—", ":"]
WORDS = st.sampled_from(["film", "camera", "night", "é", "<", "&amp;", "&#0;", "\u202e", "\x00"])
TEXT = st.lists(st.one_of(WORDS, st.sampled_from(LABELS), st.text(max_size=12)), max_size=12).map(
    " ".join
)
ATTRS = st.dictionaries(
    st.sampled_from(["class", "id", "href", "charset", "content", "name", "style", "x"]),
    st.text(max_size=10),
    max_size=3,
)


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One tag, sometimes left unclosed, with random attributes around some children."""

    def render(tag: str, attrs: dict[str, str], inner: list[str], close: bool) -> str:
        attributes = "".join(f' {k}="{v}"' for k, v in attrs.items())
        return f"<{tag}{attributes}>{''.join(inner)}{f'</{tag}>' if close else ''}"

    return st.builds(
        render, st.sampled_from(TAGS), ATTRS, st.lists(children, max_size=4), st.booleans()
    )


HTML = st.recursive(TEXT, element, max_leaves=40).map(lambda body: f"<html><body>{body}")
TRANSCRIPT = st.lists(
    st.tuples(st.sampled_from(LABELS + ["", "Q", "A"]), TEXT).map(" ".join), max_size=30
).map("\n".join)


def source(text: str, fmt: str) -> Source:
    suffix = ".html" if fmt == "html" else ".txt"
    return Source(
        path=Path(f"fuzz{suffix}"),
        article_id="fuzz",
        format=fmt,
        text=text,
        encoding="utf-8",
        sidecar={},
    )


def parses_or_refuses(call: object) -> None:
    try:
        result = call()  # type: ignore[operator]
    except SourceError as exc:
        assert exc.reason  # a clear reason, never an empty one
        return
    assert isinstance(result, Article)


@FUZZ
@given(HTML)
def test_random_html_parses_or_is_refused(html: str) -> None:
    parses_or_refuses(lambda: parse_unguarded(source(html, "html"), default_models()))


@FUZZ
@given(TRANSCRIPT)
def test_random_transcripts_parse_or_are_refused(text: str) -> None:
    parses_or_refuses(lambda: parse_unguarded(source(text, "text"), default_models()))


@FUZZ
@given(st.binary(max_size=2_000), st.sampled_from([".html", ".txt", ".md", ".htm"]))
def test_random_bytes_parse_or_are_refused(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"random{suffix}"
        path.write_bytes(data)
        parses_or_refuses(lambda: parse_unguarded(read_source(path, Path(tmp)), default_models()))


@FUZZ
@given(st.text(max_size=300), st.sampled_from(["html", "text"]))
@example(".HTM", "html")  # a page that looks like a file name once made BeautifulSoup warn
@example('<?xml version="1.0"?><html><p>x</p></html>', "html")  # XHTML read as HTML
def test_random_text_parses_or_is_refused(text: str, fmt: str) -> None:
    parses_or_refuses(lambda: parse_unguarded(source(text, fmt), default_models()))
