"""The publication date: htmldate for HTML, a dateline or byline near the top of a text."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.model import Article, Source
from indexer.parse import parse_source
from indexer.read import dates, toplines
from indexer.read.dates import MONTHS, date_spans, html_date, text_date

BODY = (
    "The film follows a lighthouse keeper through one long winter on an island where the "
    "supply boat comes twice a month, and the director spent three winters there herself."
)


def dated(*lines: str) -> str:
    return text_date("\n".join(lines))


def text_source(text: str, sidecar: dict[str, str] | None = None) -> Source:
    return Source(Path("a.txt"), "a", "text", text, "utf-8", sidecar or {})


def html_source(html: str) -> Source:
    return Source(Path("a.html"), "a", "html", html, "utf-8")


@pytest.mark.parametrize(
    "written",
    [
        "March 3, 2019",  # English
        "Mar. 3, 2019",
        "3rd March 2019",
        "3 mars 2019",  # French
        "3 de marzo de 2019",  # Spanish
        "3 marzo 2019",  # Italian
        "3. März 2019",  # German
        "3 de março de 2019",  # Portuguese
        "3 marca 2019",  # Polish, genitive
        "2019年3月3日",  # Japanese
        "2019-03-03",
        "2019.03.03",
        "03.03.2019",
    ],
)
def test_dateline_in_each_language_and_shape(written: str) -> None:
    assert dated("Ann Lee on Quiet Harbour", f"By Bo Ma, {written}", BODY) == "2019-03-03"


def test_month_table_is_what_names_a_month(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(MONTHS, "mars")
    assert dated("Ann Lee on Quiet Harbour", "Par Bo Ma, 3 mars 2019", BODY) == ""
    assert date_spans("Fall 2019 | Vol. 4") == []  # "Fall" is no month


def test_impossible_day_is_no_date() -> None:
    assert date_spans("31 February 2019") == []
    assert dated("Ann Lee", "By Bo Ma, 30 February 2019", BODY) == ""


def test_date_line_with_a_time_of_day() -> None:
    assert (
        dated(
            "Ann Lee On Quiet Harbour", "Heard on Harbour Radio", "March 3, 2021 12:49 PM ET", BODY
        )
        == "2021-03-03"
    )


def test_month_and_year_only() -> None:
    assert dated("Interview with Ann Lee", "Paris, January 1998", BODY) == "1998-01"


def test_day_and_month_that_cannot_be_told_apart_keep_the_year() -> None:
    assert dated("Ann Lee", "Posted by admin on 11/02/2015", BODY) == "2015"
    assert dated("Ann Lee", "Posted by admin on 25/02/2015", BODY) == "2015-02-25"


def test_byline_date_beats_a_header_date() -> None:
    # The header shows the day the page was saved; the byline the day it was published.
    lines = ["sexta, 28 de julho de 2017", "Cinema", "Ann Lee fala", "Bo Ma / 10 de agosto de 2015"]
    assert dated(*lines, BODY) == "2015-08-10"


def test_published_words_make_a_byline(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["Friday, 9 March 2018", "Ann Lee", "Publié le 12 octobre 2021 par Bo Ma", BODY]
    assert dated(*lines) == "2021-10-12"
    monkeypatch.setattr(dates, "PUBLISHED_WORDS", dates.re.compile(r"^\b$"))
    assert dated(*lines) == "2018-03-09"


def test_today_widget_is_not_the_publication_date() -> None:
    assert dated("Today: July 21, 2024", "Ann Lee Interview", BODY) == ""


def test_date_inside_a_headline_is_not_the_publication_date() -> None:
    lines = ["Ann Lee at the Harbour Festival, September 9, 2019, on her film", BODY]
    assert dated(*lines) == ""


def test_dateline_opening_the_body(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["Ann Lee on Quiet Harbour", "November 11, 2010, Los Angeles – " + BODY]
    assert dated(*lines) == "2010-11-11"
    assert dated("Ann Lee", BODY + " It opened on November 11, 2010.") == ""
    monkeypatch.setattr(dates, "DATELINE_CHARS", -1)
    assert dated(*lines) == ""


def test_dates_below_the_body_start_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["Ann Lee", BODY, "Wednesday, 13 August 2014"]
    assert dated(*lines) == ""
    monkeypatch.setattr(toplines, "BODY_WORDS", 1000)
    assert dated(*lines) == "2014-08-13"


def test_only_the_first_lines_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["Menu"] * 15 + ["Wednesday, 13 August 2014"]
    assert dated(*lines) == ""
    monkeypatch.setattr(toplines, "TOP_LINES", 20)
    assert dated(*lines) == "2014-08-13"


def test_html_date_from_the_head() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2021-05-02T10:00:00Z">'
        f"</head><body><p>{BODY}</p></body></html>"
    )
    assert html_date(html) == "2021-05-02"


def test_no_html_date_after_the_page_was_saved() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2021-06-15">'
        f"</head><body><p>{BODY}</p></body></html>"
    )
    assert html_date(html, saved="2021-06-15T08:00:00Z") == "2021-06-15"
    assert html_date(html, saved="2021-05-01T08:00:00Z") == ""
    src = Source(Path("a.html"), "a", "html", html, "utf-8", {"captured": "2021-05-01T08:00:00Z"})
    assert parse_source(src).date == ""


def test_no_text_date_after_the_page_was_saved() -> None:
    text = f"Ann Lee\nWednesday, 13 August 2014\n{BODY}"
    assert parse_source(text_source(text, {"fetched": "2014-08-13T09:00:00Z"})).date == "2014-08-13"
    assert parse_source(text_source(text, {"fetched": "2013-01-01T09:00:00Z"})).date == ""


def test_undated_html_stays_undated() -> None:
    html = f"<html><head><title>Ann Lee</title></head><body><p>{BODY} In 2024.</p></body></html>"
    # htmldate's text search would turn the lone year into 2024-01-01.
    assert html_date(html) == ""
    assert parse_source(html_source(html)).date == ""


def test_html_date_never_fetches_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    import htmldate.utils

    fetched: list[object] = []
    monkeypatch.setattr(htmldate.utils, "fetch_url", lambda *args, **kw: fetched.append(args))
    assert html_date("https://example.org/2019/03/03/ann-lee") == ""
    assert fetched == []


def test_html_date_from_the_url() -> None:
    html = f"<html><body><p>{BODY}</p></body></html>"
    assert html_date(html, "https://example.org/2019/03/03/ann-lee/") == "2019-03-03"


def test_html_byline_date_when_htmldate_finds_none() -> None:
    html = (
        "<html><body><h1>Ann Lee: «Il mio film è una lettera»</h1>"
        f'<p class="autore">di Bo Ma – 3 settembre 2022</p><p>{BODY}</p></body></html>'
    )
    assert parse_source(html_source(html)).date == "2022-09-03"


def test_text_article_date_and_year() -> None:
    article = parse_source(text_source(f"Ann Lee on Quiet Harbour\nParis, January 1998\n{BODY}"))
    assert (article.date, article.year) == ("1998-01", 1998)


def test_sidecar_date_wins() -> None:
    src = text_source(f"Ann Lee\nWednesday, 13 August 2014\n{BODY}", {"date": "2015-01-02"})
    assert parse_source(src).date == "2015-01-02"


def test_partial_dates_survive_a_json_round_trip() -> None:
    article = Article(id="a", source="a.txt", date="1998-01")
    assert Article.from_json(article.to_json()).year == 1998


@pytest.mark.parametrize(
    "line",
    [
        "Born: March 3, 1930",
        "Date of birth: 12 May 1930",
        "Geboren am 3. März 1930 in Wien",
        "Née le 3 mars 1930 à Lyon",
        "Nacida el 3 de marzo de 1930",
    ],
)
def test_a_birth_date_in_a_profile_box_never_dates_the_article(line: str) -> None:
    assert text_date(f"Ann Lee on Her Film\n{line}\nDirector\nQ: Why now?") == ""
    assert text_date(f"Ann Lee on Her Film\n{line}\nJuly 28, 2005\nQ: Why now?") == "2005-07-28"


def test_a_date_printed_near_the_top_is_found() -> None:
    assert text_date("Ann Lee on Her Film\nAired July 28, 2005\nQ: Why now?") == "2005-07-28"
    assert text_date("Ann Lee on Her Film\n10 March 2020\nQ: Why now?") == "2020-03-10"


def test_a_birth_date_in_an_html_profile_box_never_dates_the_article() -> None:
    html = (
        "<html><head><title>Ann Lee on Her Film</title></head><body><article>"
        "<h1>Ann Lee on Her Film</h1><table class='infobox'><tr><th>Born</th>"
        "<td><time datetime='1930-03-03'>March 3, 1930</time></td></tr></table>"
        + "<p>Why now? Because the film was ready and so was I, after all these years.</p>" * 8
        + "</article></body></html>"
    )
    doc = parse_source(Source(Path("a.html"), "a", "html", html, "utf-8"))
    assert not doc.date.startswith("1930")
