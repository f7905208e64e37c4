"""A lone page names its own publication and writer: mastheads, credits, bylines."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.entities.pagefacts import page_authors, page_publication
from indexer.model import INTERVIEWER, Block, Source
from indexer.parse import parse_source
from indexer.read.metadata import interviewer_credit


def blocks(text: str) -> list[Block]:
    return [Block(line.strip()) for line in text.split("\n") if line.strip()]


def source(text: str) -> Source:
    return Source(path=Path("x.txt"), article_id="x", format="text", text=text, encoding="utf-8")


def test_critics_for_an_outlet() -> None:
    text = "Last spring Ann Mora and Bo Kell, film critics for The Evening Ledger, met Ivo Pell."
    assert page_publication(blocks(text)) == "The Evening Ledger"


def test_copyright_line_needs_a_year() -> None:
    text = "Intro.\n© 2012 Reel Notes Magazine. All rights reserved."
    assert page_publication(blocks(text)) == "Reel Notes Magazine"
    assert page_publication(blocks("Ivo Pell (C) with actor Tam Ruiz at the premiere.")) == ""


def test_outlet_spoke_with_but_not_a_surname() -> None:
    text = "The Reel Notes spoke with Ivo Pell in Rome."
    assert page_publication(blocks(text)) == "The Reel Notes"
    assert page_publication(blocks("Ivo Pell made it.\nPell spoke with us in Rome.")) == ""


def test_masthead_and_breadcrumb() -> None:
    assert page_publication(blocks("THE FROZEN REEL BLOG\n~ films ~\nHello")) == (
        "The Frozen Reel Blog"
    )
    assert page_publication(blocks("1. REELTALK\n2. Interviews\n3. Ivo Pell")) == "REELTALK"
    assert page_publication(blocks("LATEST NEWS\nHello")) == ""


def test_bylines() -> None:
    assert page_authors(blocks("Headline\nBy Ann Mora July 3, 2024\nText.")) == ["Ann Mora"]
    text = "Text.\nUnsubscribe | The Loop is written by\nAnn Mora in Cork."
    assert page_authors(blocks(text.replace("by\n", "by "))) == ["Ann Mora"]
    assert page_authors(blocks("Posted by admin at 10:02")) == []


@pytest.mark.parametrize(
    "line",
    [
        "Por: Ana Mora",  # Spanish, Portuguese
        "Par Ana Mora",  # French
        "Propos recueillis par Ana Mora",
        "Von Ana Mora",  # German
        "Di Ana Mora",  # Italian
        "Door Ana Mora",  # Dutch
        "Av Ana Mora",  # Swedish, Norwegian
        "Tekst: Ana Mora",  # Polish, Scandinavian
        "Texto: Ana Mora",
        "Autor: Ana Mora",
    ],
)
def test_bylines_in_the_languages_of_film_journalism(line: str) -> None:
    assert page_authors(blocks(f"Headline\n{line}\nText.")) == ["Ana Mora"]
    assert page_authors(blocks(f"Headline\n{line.split()[0]} Example\nText.")) == []


def test_unlabelled_questions_credit_the_masthead() -> None:
    text = (
        "THE FROZEN REEL BLOG\n~ films, old and new ~\n\nFive questions for Ivo Pell\n\n"
        "Ivo Pell's feature Blue Hour, about a night-shift radio host in 1980s Cork, shows at "
        "a festival next week. Ivo kindly answered three questions by email.\n\n"
        "1. Where did the idea for Blue Hour come from?\n\n"
        "My aunt ran a pirate station out of a flat in 1984. She told me about it at her "
        "birthday party, and I went home and wrote the first scene that night.\n\n"
        "2. How long did it take to make?\n\n"
        "Six years from the short to the feature. Two of those were spent waiting for the "
        "music rights, which I would not wish on anyone.\n\n"
        "3. What's next?\n\nA musical. Don't laugh.\n\nPosted by Siobhan at 10:02\n"
    )
    article = parse_source(source(text))
    asking = {t.speaker for t in article.turns if t.role == "interviewer"}
    assert asking == {"The Frozen Reel Blog"}


def test_intro_names_the_writer_by_newsroom_role() -> None:
    text = "Ivo Pell is a director. Senior Correspondent, Ann Mora, was at his office and asked."
    assert page_authors(blocks(text)) == ["Ann Mora"]
    assert page_authors(blocks("The film editor Ann Mora was at the festival.")) == []


def test_staff_byline_and_own_domain() -> None:
    assert page_publication(blocks("By Reel Notes Staff\nText.")) == "Reel Notes"
    text = "Ivo Pell talks.\nFollow us on twitter.com/x\n© ReelTalk.net"
    assert page_publication(blocks(text)) == "ReelTalk"
    assert page_publication(blocks("See reeltalk.net and filmbuzz.com for more.")) == ""


def test_guards_against_credits_headlines_and_screenwriters() -> None:
    assert page_publication(blocks("Ivo Pell on set. © 2019 Reel Pictures Classics")) == ""
    assert page_publication(blocks("IVO PELL\nIvo Pell answered our questions.")) == ""
    assert page_publication(blocks("Ida Mora, a writer for Netflix’s new series, came.")) == ""
    assert page_authors(blocks("The screenplay is written by Ann Mora and Ivo Pell.")) == []


def test_written_for_and_author_box() -> None:
    assert page_publication(blocks("Text.\nWritten for Reel Notes Magazine.")) == (
        "Reel Notes Magazine"
    )
    foot = "Q: Why?\nBecause.\nAnn Mora is a freelance film critic based in Cork."
    assert page_authors(blocks(foot)) == ["Ann Mora"]
    assert page_authors(blocks("Q: Why?\nBecause.\nIvo Pell is a writer-director.")) == []
    assert page_authors(blocks("Q: Why?\nIvo Pell is a writer and director from Oslo.")) == []


def test_lower_case_address_as_words() -> None:
    from indexer.entities.pagefacts import site_name

    assert site_name("reelnotesmagazine") == "Reelnotes Magazine"
    assert site_name("thefrozenreview") == "The Frozen Review"
    assert site_name("theatre") == "Theatre"
    assert site_name("ReelTalk") == "ReelTalk"


def test_notes_say_where_the_publication_came_from() -> None:
    article = parse_source(source("THE FROZEN REEL BLOG\n~ films ~\nBy Ann Mora\nText here."))
    assert article.publication == "The Frozen Reel Blog"
    assert article.authors == ["Ann Mora"]
    assert any("named by the page's own text" in n for n in article.notes)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Автор: Илья Северов", "Илья Северов"),
        ("Escrito por Ángela Ruiz", "Ángela Ruiz"),
        ("Oleh Łukasz Żal", "Łukasz Żal"),
    ],
)
def test_a_byline_in_another_language_or_script_names_the_author(line: str, name: str) -> None:
    assert page_authors([Block(line), Block("Текст статьи.")]) == [name]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Interview by Émile Roux", "Émile Roux"),
        ("Беседовала Анна Ли", "Анна Ли"),
        ("Das Gespräch führte Jörg Lind", "Jörg Lind"),
        ("Entrevista realizada por Ángela Ruiz", "Ángela Ruiz"),
    ],
)
def test_a_credit_names_who_asked_in_any_script(line: str, name: str) -> None:
    assert interviewer_credit(line) == name
    answer = "I spent two winters on the island before we shot anything, mostly listening."
    turns = ["Q: Why the island?", f"A: {answer}", "Q: And the winter?", f"A: {answer}"]
    text = "\n".join(["Winter Harbour", line, *turns])
    article = parse_source(Source(Path("a.txt"), "a", "text", text, "utf-8"))
    assert [t.speaker for t in article.turns if t.role == INTERVIEWER] == [name, name]
