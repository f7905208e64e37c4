"""The headline: declared titles and visible headings compared, shapes that are never one
dropped, the site's name told apart by what the page shares. One case per rule or cue."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.model import Source
from indexer.parse import parse_source
from indexer.read import headline, toplines
from indexer.read.headline import REJECTED_SHAPES, Context, html_headline, text_headline

BODY = (
    "The film follows a lighthouse keeper through one long winter on an island where the "
    "supply boat comes twice a month, and the director spent three winters there herself."
)


def page(head: str, body: str = "") -> BeautifulSoup:
    return BeautifulSoup(
        f"<html><head>{head}</head><body>{body}<p>{BODY}</p></body></html>", "lxml"
    )


def text(*lines: str) -> str:
    return "\n".join([*lines, BODY, "Q: Why that island?", "A: My grandfather lived there."])


# --- HTML: a visible heading the declared titles agree with ----------------------------------


def test_heading_that_agrees_with_og_title_wins_over_a_site_heading() -> None:
    soup = page(
        '<meta property="og:title" content="Ann Lee on Quiet Harbour">'
        '<meta property="og:site_name" content="Harbour Review">',
        "<h1>Harbour Review</h1><h2>Most Popular</h2><h1>Ann Lee on ‘Quiet Harbour’</h1>",
    )
    found = html_headline(soup)
    assert found.text == "Ann Lee on Quiet Harbour"  # the declared spelling of the same words
    assert "agrees with its og:title" in found.cue


def test_visible_heading_beats_a_reworded_title_tag() -> None:
    # The <title> is written for search engines; the page shows the heading.
    soup = page(
        "<title>How ‘Quiet Harbour’ Remade the Sea Film - Harbour Review</title>",
        "<h1>‘Quiet Harbour’: How a Young Director Remade the Sea Film</h1>",
    )
    assert html_headline(soup).text == "‘Quiet Harbour’: How a Young Director Remade the Sea Film"


def test_agreement_threshold_needs_most_words_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    soup = page(
        "<title>How ‘Quiet Harbour’ Remade the Sea Film | Harbour Review</title>",
        "<h1>‘Quiet Harbour’: How a Young Director Remade the Sea Film</h1>",
    )
    monkeypatch.setattr(headline, "AGREEMENT", 1.01)
    assert html_headline(soup).text == "How ‘Quiet Harbour’ Remade the Sea Film"


def test_hidden_heading_is_not_the_shown_headline() -> None:
    soup = page(
        '<meta property="og:title" content="Quiet Harbour: Talking to Ann Lee">',
        '<h1 class="visually-hidden">Quiet Harbour: Talking to Ann Lee (print edition)</h1>'
        "<h1>Quiet Harbour – Talking to Ann Lee</h1>",
    )
    assert html_headline(soup).text == "Quiet Harbour: Talking to Ann Lee"


def test_site_name_first_in_title_and_as_heading_is_dropped() -> None:
    # "Site » Blog Archive » Headline": the heading that is the site's name is not the headline.
    soup = page(
        "<title>The Film Crowd » Blog Archive » Stand Up Guys</title>",
        "<h1>The Film Crowd</h1><h2>Stand Up Guys</h2>",
    )
    found = html_headline(soup, "http://radio.example.org/filmcrowd/", "The Film Crowd (Radio)")
    assert found.text == "Stand Up Guys"


def test_declared_title_that_is_the_end_of_another_is_the_site() -> None:
    soup = page(
        '<meta property="og:title" content="Northern Frames">'
        "<title>Ann Lee Talks ‘The Night Orchard’ - Northern Frames</title>"
    )
    assert html_headline(soup).text == "Ann Lee Talks ‘The Night Orchard’"


def test_blog_post_title_in_an_h3() -> None:
    soup = page(
        "<title>Midnight Reels: Interview with Ann Lee (Director of Quiet Harbour)</title>",
        "<h1>Midnight Reels</h1><h2>Saturday, October 26, 2019</h2>"
        "<h3>Interview with Ann Lee (Director of Quiet Harbour)</h3>",
    )
    assert html_headline(soup).text == "Interview with Ann Lee (Director of Quiet Harbour)"


def test_sections_between_headline_and_site_are_dropped() -> None:
    soup = page(
        "<title>Ann Lee: ‘I wanted the sea to be the villain’ | Film | The Daily Reel</title>"
        '<meta property="og:site_name" content="The Daily Reel">'
    )
    assert html_headline(soup).text == "Ann Lee: ‘I wanted the sea to be the villain’"


def test_title_separator_splits_off_an_unnamed_site_after_a_bar() -> None:
    soup = page("<title>Ann Lee Talks ‘The Night Orchard’ | Cinema Weekly</title>")
    assert html_headline(soup).text == "Ann Lee Talks ‘The Night Orchard’"


def test_dash_is_the_headline_own_unless_the_site_is_known() -> None:
    soup = page("<title>Interview with Tom Harper – Wild Rose</title>")
    assert html_headline(soup).text == "Interview with Tom Harper – Wild Rose"


def test_url_host_names_the_site() -> None:
    soup = page("<title>How a Young Director Remade the Sea Film - Rolling Reel</title>")
    found = html_headline(soup, url="https://www.rollingreel.com/features/sea-film-123/")
    assert found.text == "How a Young Director Remade the Sea Film"


def test_host_must_cover_most_of_the_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(headline, "HOST_SHARE", 1.01)
    soup = page("<title>How a Young Director Remade the Sea Film - Rolling Reel</title>")
    found = html_headline(soup, url="https://www.rollingreelmag.com/features/sea-film-123/")
    assert found.text.endswith("Rolling Reel")


def test_branding_element_names_the_site() -> None:
    soup = page(
        "<title>Tom Harper on his first feature – Northern Frames</title>",
        '<div class="site-title"><a href="/">Northern Frames</a></div>',
    )
    assert html_headline(soup).text == "Tom Harper on his first feature"


def test_json_ld_headline_is_read_and_unescaped() -> None:
    soup = page(
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Ann Lee: &#8222;Das Meer ist der Schurke&#8220;"}</script>'
    )
    assert html_headline(soup).text == "Ann Lee: „Das Meer ist der Schurke“"


def test_first_heading_when_nothing_is_declared() -> None:
    soup = page("", "<h1>A Conversation with Ann Lee</h1>")
    assert html_headline(soup).text == "A Conversation with Ann Lee"


def test_html_without_title_or_heading_reads_its_top_lines() -> None:
    html = (
        "<html><body><p>Home &gt; Interviews &gt; 2019</p><p>Ann Lee Talks Quiet Harbour</p>"
        f"<p>{BODY}</p></body></html>"
    )
    src = Source(Path("a.html"), "a", "html", html, "utf-8")
    assert parse_source(src).title == "Ann Lee Talks Quiet Harbour"


# --- Plain text: the fullest line above the body ---------------------------------------------


def test_line_printed_twice_is_preferred() -> None:
    found = text_headline(
        text(
            "Official transcripts from studio press days",
            "Ann Lee Talks Quiet Harbour",
            "Ann Lee Talks Quiet Harbour",
        )
    )
    assert found.text == "Ann Lee Talks Quiet Harbour"


def test_echo_bonus_decides_between_close_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = text(
        "Official transcripts from studio press days",
        "Ann Lee Talks Quiet Harbour",
        "Ann Lee Talks Quiet Harbour",
    )
    monkeypatch.setattr(headline, "ECHO_BONUS", 0)
    assert text_headline(lines).text == "Official transcripts from studio press days"


def test_line_spelled_out_in_the_address_is_preferred() -> None:
    lines = text("Official transcripts from studio press days", "Ann Lee Talks Quiet Harbour")
    url = "https://example.org/news/ann-lee-talks-quiet-harbour/"
    assert text_headline(lines).text == "Official transcripts from studio press days"
    assert text_headline(lines, url).text == "Ann Lee Talks Quiet Harbour"


def test_a_question_below_the_byline_is_not_the_headline() -> None:
    question = "Why did you go to the island?"
    lines = "\n".join(["Ann Lee on Quiet Harbour", "By Tom Ash", question, BODY])
    assert text_headline(lines).text == "Ann Lee on Quiet Harbour"
    asking = "Why did Ann Lee go to the island in winter?"
    assert text_headline("\n".join([asking, BODY])).text == asking


def test_long_kicker_counts_no_more_than_a_headline(monkeypatch: pytest.MonkeyPatch) -> None:
    kicker = (
        "From the archive of the festival we bring you every conversation held on the main "
        "stage this year"
    )
    lines = text(
        kicker,
        "Ann Lee on her island film Quiet Harbour and the long winter",
        "Ann Lee on her island film Quiet Harbour and the long winter",
    )
    assert text_headline(lines).text.startswith("Ann Lee")
    monkeypatch.setattr(headline, "HEADLINE_WORDS", 100)
    assert text_headline(lines).text == kicker


def test_short_line_inside_a_longer_one_is_a_tag() -> None:
    # The name alone, even printed twice, labels a photo or a tag; the headline holds it.
    found = text_headline(text("Retrospective: Ann Lee", "Ann Lee", "Ann Lee"))
    assert found.text == "Retrospective: Ann Lee"


def test_line_in_another_script_is_not_the_headline() -> None:
    credit = "แปล โดย ผู้ แปล จาก ภาษา จีน ที่ มี คน แปล จาก ญี่ปุ่น"
    found = text_headline(text("Ann Lee at the Tokyo Film Festival", credit))
    assert found.text == "Ann Lee at the Tokyo Film Festival"


def test_a_paragraph_above_the_body_is_not_the_headline(monkeypatch: pytest.MonkeyPatch) -> None:
    # Short in characters, long in words: a CJK paragraph stays above a plain text's body.
    standfirst = "港の映画を撮った監督が島で過ごした冬について語りました" * 3
    answer = "祖父があの島に住んでいたからです。" * 12
    lines = "\n".join(["港の映画 監督インタビュー", standfirst, answer, "――なぜあの島を?", answer])
    assert text_headline(lines).text == "港の映画 監督インタビュー"
    monkeypatch.setattr(headline, "MAX_HEADLINE_WORDS", 100)
    assert text_headline(lines).text == standfirst


def test_the_site_name_beside_a_headline_line_is_cut_off() -> None:
    lines = text("Ann Lee Talks Quiet Harbour - Harbour Review", "Harbour Review")
    found = text_headline(lines, publication="Harbour Review")
    assert found.text == "Ann Lee Talks Quiet Harbour"


@pytest.mark.parametrize(
    ("junk", "reason"),
    [
        ("Page 190 - The Book of Quiet Harbour and the Making of an Island Film", "page number"),
        ("Photo: Ann Lee on the set of Quiet Harbour with her whole crew", "caption or credit"),
        (
            "(Ann Lee and Bo Ma at the premiere of Quiet Harbour in Venice / Reel Agency)",
            "caption or credit",
        ),
        ("By Ann Lee | Senior Film Correspondent at Large for the Weekly", "byline"),
        ("Posted by the editors of the review in Interviews and Features", "byline"),
        ("Home > Features > Interviews > Festivals > Winter Season", "breadcrumb or navigation"),
        ("News | Reviews | Interviews | Festivals | Podcasts | Shop", "breadcrumb or navigation"),
        ("You will be redirected back to your article in seconds now", "page furniture"),
        ("interviewer: Robert Robinson of the Harbour Review Weekly", "key and value"),
        ("harbourreview.com - Interviews and Features and Podcasts", "web address"),
        ("Harbour Review Weekly Masthead Logo Large.png", "file name"),
        (
            "Ann Lee and Bo Ma at the Venice premiere of their film Quiet Harbour.",
            "sentence or label",
        ),
        (
            'Ann Lee grew up on a farm, and she says "the sea was our only neighbour."',
            "sentence or label",
        ),
    ],
)
def test_rejected_shapes(junk: str, reason: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = text(junk, "Ann Lee Talks Quiet Harbour")
    assert headline.rejected(junk, Context([], "", "")) == reason
    assert text_headline(lines).text == "Ann Lee Talks Quiet Harbour"
    monkeypatch.setitem(REJECTED_SHAPES, reason, headline.re.compile(r"^\b$"))
    assert text_headline(lines).text != "Ann Lee Talks Quiet Harbour"


@pytest.mark.parametrize(
    "title",
    [
        "Interview: Ann Lee",  # a kicker, not a key and value
        "Search Party star Ann Lee on her island film",  # not the search box
        "Source Code: Ann Lee on her island film",  # not a credit line
        "Entrevista: 10 preguntas a Ann Lee",
        "By the Sea: Ann Lee on her island film",  # not a byline
    ],
)
def test_headlines_that_look_like_rejected_shapes(title: str) -> None:
    assert text_headline(text("Menu", title)).text == title


def test_date_line_is_never_the_headline() -> None:
    assert (
        text_headline(text("Wednesday, 13 August 2014", "Lee on Harbour")).text == "Lee on Harbour"
    )
    assert (
        text_headline(text("Ann Lee / 10 de agosto de 2015", "Lee on Harbour")).text
        == "Lee on Harbour"
    )


def test_outlet_name_is_never_the_headline() -> None:
    lines = text("Lee on Harbour", "Northwest Film Weekly Online")
    assert text_headline(lines, publication="Northwest Film Weekly Online").text == "Lee on Harbour"
    assert text_headline(lines).text == "Northwest Film Weekly Online"


def test_all_lower_case_line_is_a_slug_or_tag() -> None:
    lines = text("Lee on Harbour", "ann lee talks quiet harbour interview")
    assert text_headline(lines).text == "Lee on Harbour"


def test_mail_subject_and_list_number_are_stripped() -> None:
    assert text_headline(text("Subject: THE HARBOUR LETTER #8 -- a chat with Ann Lee")).text == (
        "THE HARBOUR LETTER #8 -- a chat with Ann Lee"
    )
    assert (
        text_headline(text("3. Ann Lee Talks Quiet Harbour")).text == "Ann Lee Talks Quiet Harbour"
    )


def test_feed_markup_separates_pieces() -> None:
    raw = (
        "<![CDATA[example.org - Interviews]]>Wed, 25 Oct 2023"
        "<![CDATA['QUIET HARBOUR': Interview with Ann Lee]]>"
    )
    assert text_headline(text(raw)).text == "'QUIET HARBOUR': Interview with Ann Lee"


def test_trailing_web_address_is_cut_off() -> None:
    found = text_headline(
        text("Interview: Ann Lee on the Making of Harbour harbourreview.com/features/ann-lee")
    )
    assert found.text == "Interview: Ann Lee on the Making of Harbour"


def test_capitals_headline_run_into_the_first_sentence() -> None:
    raw = "ANN LEE INTERVIEW / HARBOUR RADIO / JULY 19, 2013 WITH BO MA " + BODY
    assert (
        text_headline(text(raw)).text
        == "ANN LEE INTERVIEW / HARBOUR RADIO / JULY 19, 2013 WITH BO MA"
    )


def test_lines_below_the_body_are_not_candidates() -> None:
    lines = (
        text("Lee on Harbour") + "\nAnn Lee Talks About Quiet Harbour And The Long Island Winter"
    )
    assert text_headline(lines).text == "Lee on Harbour"


def test_long_paragraph_without_spaces_begins_the_body() -> None:
    body = "灯台守だった祖父の記憶から、この映画は始まりました。" * 8
    lines = "\n".join(
        [
            "『灯台』山田花子監督インタビュー",
            body,
            "関連記事：その他の監督インタビューの一覧はこちらからご覧ください",
        ]
    )
    assert text_headline(lines).text == "『灯台』山田花子監督インタビュー"


def test_only_the_top_lines_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = "\n".join(["Menu"] * 15 + ["Ann Lee Talks Quiet Harbour", BODY])
    assert text_headline(lines).text == ""
    monkeypatch.setattr(toplines, "TOP_LINES", 30)
    assert text_headline(lines).text == "Ann Lee Talks Quiet Harbour"


def test_two_sentences_begin_the_body() -> None:
    lines = text(
        "Lee on Harbour",
        'Recorded live at the festival. "Listen on the app for the full episode"',
        "Chapters 00:00 Intro and Making Quiet Harbour with Ann Lee Talking",
    )
    assert text_headline(lines).text == "Lee on Harbour"


def test_long_question_begins_the_body() -> None:
    lines = text(
        "Lee on Harbour",
        "1. What drew you to this island, and why did you go back for three winters?",
    )
    assert text_headline(lines).text == "Lee on Harbour"


def test_labelled_question_begins_the_body_but_a_note_does_not() -> None:
    lines = text(
        "Note: This conversation took place on stage in June and has been condensed.",
        "Lee on Harbour",
        "Bo Ma: Why did you go back there?",
        "Ann Lee: Because it would not let me go.",
    )
    assert text_headline(lines).text == "Lee on Harbour"


def test_hard_wrapped_paragraph_begins_the_body() -> None:
    wrapped = [
        "This week I talked to Ann Lee, whose first feature QUIET",
        "HARBOUR is about two sisters who inherit a lighthouse on",
        "an island and cannot agree on anything, least of all the",
        "lamp. It opens in cinemas on Friday and our conversation",
        "has been trimmed a little for length and for clarity too.",
    ]
    raw = "\n".join(["Subject: Harbour Letter -- Ann Lee", *wrapped])
    assert text_headline(raw).text == "Harbour Letter -- Ann Lee"


def test_no_good_line_leaves_the_headline_empty_with_a_note() -> None:
    src = Source(Path("a.txt"), "a", "text", text("Menu", "Photo: Ann Lee"), "utf-8")
    article = parse_source(src)
    assert article.title == ""
    assert any(n.startswith("no headline") for n in article.notes)


def test_sidecar_title_wins() -> None:
    src = Source(Path("a.txt"), "a", "text", text("Lee on Harbour"), "utf-8", {"title": "Mine"})
    assert parse_source(src).title == "Mine"


def test_a_film_named_like_the_outlet_is_the_outlet() -> None:
    # A cleaner headline ("THE HARBOUR LETTER #8 -- ...") offers the newsletter's name as a
    # film; the publication's name and its address tell it apart.
    from indexer.entities.validate import film_veto
    from indexer.read.headline import url_parts

    host = url_parts("https://harbourletter.ie/issues/8")["host"]
    assert film_veto("The Harbour Letter", [], ["The Harbour Letter"]) == "the publication"
    assert film_veto("The Harbour Letter", [], [host]) == "the publication"
    assert not film_veto("The Long Field", [], ["The Harbour Letter", host])


def test_a_numbered_first_question_is_never_the_headline() -> None:
    text = (
        "Ivo Pell on Blue Hour\nBlue Hour opens on Friday in three cities.\n"
        "1. Why this story, and why now?\n"
        "Ivo Pell: My aunt ran a pirate station out of a flat in 1984, and I grew up in it.\n"
    )
    assert text_headline(text).text == "Ivo Pell on Blue Hour"


def test_a_photo_credit_printed_twice_is_never_the_headline() -> None:
    text = (
        "Ivo Pell Interview\nBlue Hour Photo by Ana Mora\nBlue Hour Photo by Ana Mora\n"
        "You came from advertising; how did you make the leap into drama, and why then?\n"
    )
    assert text_headline(text).text == "Ivo Pell Interview"


def test_a_blog_widget_is_page_furniture() -> None:
    ctx = Context(sites=[], host="", slug="")
    assert headline.rejected("Search This Blog", ctx) == "page furniture"
    assert headline.rejected("Search Party: A Web Series Reborn", ctx) == ""
