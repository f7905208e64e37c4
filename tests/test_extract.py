"""Extraction: text lines and wrapped paragraphs, HTML blocks with their bold marks."""

from __future__ import annotations

from pathlib import Path

from indexer.model import Source
from indexer.read.extract import extract_document


def source(text: str, fmt: str) -> Source:
    return Source(path=Path(f"a.{fmt}"), article_id="a", format=fmt, text=text, encoding="utf-8")


def test_each_text_line_is_a_block() -> None:
    doc = extract_document(source("Title\n\nQ: One?\nA: Two.\n", "text"))
    assert [b.text for b in doc.blocks] == ["Title", "Q: One?", "A: Two."]


def test_hard_wrapped_text_is_unwrapped() -> None:
    line = "word " * 14
    para = "\n".join(line.strip() for _ in range(5))
    text = f"{para}\n\nDAVIES: {para}\n\n{para[:-6]}person-\nality ends."
    doc = extract_document(source(text, "text"))
    assert len(doc.blocks) == 3
    assert doc.blocks[1].text.startswith("DAVIES: word word")
    assert doc.blocks[2].text.endswith("personality ends.")


def test_a_wrapped_question_ending_short_of_the_width_keeps_its_break() -> None:
    def wrapped(word: str) -> str:
        return "\n".join([" ".join([word] * 14)] * 4)

    question = "What did the river mean to you?"
    # No blank line between a question and its answer: the answer's first word would have
    # fitted after the question, so the break is the writer's.
    text = (
        f"{wrapped('once')}\n\n{question}\nIt was {wrapped('word')}\nthe end.\n\n{wrapped('last')}"
    )
    blocks = [b.text for b in extract_document(source(text, "text")).blocks]
    assert blocks[1] == question
    assert blocks[2].startswith("It was word") and blocks[2].endswith("the end.")
    # a wrapped line that ends a sentence yet was full stays joined to the next
    full = " ".join(["word"] * 14) + " end."
    text = f"{wrapped('once')}\n\n{full}\nNext words go on.\n\n{wrapped('last')}"
    assert [b.text for b in extract_document(source(text, "text")).blocks][1] == (
        f"{full} Next words go on."
    )


def test_html_br_splits_and_bold_prefix() -> None:
    html = (
        "<html><body><article><p><b>Ann Lee:</b> Hello there.<br><strong>Bo Ma</strong> - Hi."
        "</p><p><strong>A whole bold question?</strong></p><p>An <em>Italic Title</em> here.</p>"
        + "<p>filler paragraph text</p>" * 30
        + "</article></body></html>"
    )
    doc = extract_document(source(html, "html"))
    first, second, third, fourth = doc.blocks[:4]
    assert (first.text, first.bold_prefix) == ("Ann Lee: Hello there.", "Ann Lee:")
    assert (second.text, second.bold_prefix) == ("Bo Ma - Hi.", "Bo Ma")
    assert third.all_bold
    assert fourth.italics == ["Italic Title"]


def test_html_metadata_from_json_ld_and_meta() -> None:
    html = """<html lang="fr"><head><title>Page</title>
    <meta property="og:title" content="Real Title"><meta property="og:site_name" content="Ciné">
    <link rel="canonical" href="https://x.example/a">
    <script type="application/ld+json">{"@graph": [{"@type": "Article",
      "author": [{"name": "Ana Pires"}], "datePublished": "2021-05-02T10:00:00Z"}]}</script>
    </head><body><p>Body text.</p></body></html>"""
    doc = extract_document(source(html, "html"))
    assert (doc.title, doc.publication, doc.url) == ("Real Title", "Ciné", "https://x.example/a")
    assert (doc.authors, doc.date, doc.language) == (["Ana Pires"], "2021-05-02", "fr")


def test_json_ld_movie_gives_film_and_director() -> None:
    html = """<html><head><script type="application/ld+json">{"@type": "Review",
      "itemReviewed": {"@type": "Movie", "name": "Tin Harbour",
      "director": {"@type": "Person", "name": "Ola Brun"}}}</script></head>
      <body><p>A review.</p></body></html>"""
    doc = extract_document(source(html, "html"))
    assert (doc.films, doc.directors) == (["Tin Harbour"], ["Ola Brun"])


def test_link_text_inside_a_paragraph_is_kept_whatever_its_class_says() -> None:
    html = (
        "<html><body><article><h1>Two Players</h1>"
        "<p>It stars a pianist (<a class='auto-tag_person' id='auto-tag_ivo-pell' "
        "href='/t/ivo'>Ivo Pell</a>) and an actor (<span class='tags'>Ana Mora</span>).</p>"
        "<div class='related-stories'><p>More: another story entirely, linked away.</p></div>"
        + "<p>filler paragraph text about the film and its making.</p>" * 10
        + "</article></body></html>"
    )
    text = "\n".join(b.text for b in extract_document(source(html, "html")).blocks)
    assert "a pianist (Ivo Pell) and an actor (Ana Mora)." in text
    assert "another story entirely" not in text  # a container is still judged by its class


def test_a_meta_key_is_read_by_property_first_then_by_name() -> None:
    from bs4 import BeautifulSoup

    from indexer.read.metadata import Head

    html = (
        '<html><head><meta name="author" content="By Name">'
        '<meta property="author" content="By Property">'
        '<meta property="author" content="Second">'
        '<meta name="date" content="  ">'
        '<meta name="pubdate" content="2020-05-01">'
        '<script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "S"},'
        ' {"@type": "NewsArticle", "headline": "H"}]}</script>'
        '</head><body><p>x</p><meta name="description" content="In the body"></body></html>'
    )
    head = Head.read(BeautifulSoup(html, "lxml"))
    assert head.meta("author") == "By Property"
    assert head.meta("date") == ""
    assert head.content("date", "pubdate") == "2020-05-01"  # the first that is not empty
    assert head.meta("description") == "In the body"
    assert head.meta("missing") == ""
    assert [o.get("@type") for o in head.ld] == [None, "WebSite", "NewsArticle"]
