"""The development interview pages: the parser meets its targets on pages it was not built on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmarks.parse_accuracy import run, score_item
from benchmarks.realworld import Item, load_items, same_key
from indexer.linear import default_models
from indexer.model import INTERVIEWEE, INTERVIEWER, Article
from indexer.parse import parse_file, parse_source

pytestmark = pytest.mark.slow  # starts processes or servers, or reads every real page

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "devset"


def parse(name: str) -> Article:
    return parse_file(HELDOUT / name, HELDOUT)


DEVSET_ITEMS = load_items(HELDOUT)
# Pages the parser still misreads, with what it gets wrong; strict, so a fix must drop them.
KNOWN_WRONG = {
    "heading-speaker-names": "a speaker's name as a heading read as a turn of its own",
    "italic-captions-bold-questions": "an italic caption between answers read as turns",
    "numbered-email": "numbered questions run into their answers in one unit",
}


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(i, marks=pytest.mark.xfail(reason=KNOWN_WRONG[i.id], strict=True))
        if i.id in KNOWN_WRONG
        else i
        for i in DEVSET_ITEMS
    ],
    ids=lambda item: item.id,
)
def test_devset_page_reads_as_annotated(item: Item) -> None:
    """Every development page, one by one: Q&A or not, every turn with its speaker and role,
    and no film or director named that the annotation does not give."""
    article = parse_source(item.source())
    counts: Counter[str] = Counter()
    misses: list[object] = []
    score_item(item, article, counts, misses)
    turn_misses = [m for m in misses if m["what"] not in ("film", "director", "headline")]
    assert not turn_misses
    assert {same_key(f) for f in article.films} <= item.films(), article.film_candidates
    assert {same_key(d) for d in article.directors} <= item.directors(), article.director_candidates


def test_devset_pages_without_sidecars_keep_their_turns() -> None:
    result = run(DEVSET_ITEMS, lambda _: default_models(), bare=True)
    for key in ("is_qa", "turn_recall", "turn_precision", "role"):
        assert result[key] >= 0.97, (key, result["misses"])


@pytest.mark.parametrize(
    ("name", "interviewer", "interviewee"),
    [
        ("filmmaker-outlet-surname.html", "Lena Marchetti", "Kwame Osei-Bonsu"),
        ("criterion-heading-questions.html", "Owen Brightwater", "Ishikawa Reiko"),
        ("korean-outlet-abbrev.html", "SONG Min-ah", "PARK Ji-won"),
        ("japanese-dash-questions.txt", "Mori Yuka", "Aoki Haruto"),
        ("elpais-p-r.html", "Jorge Medina Ruiz", "Lucía Ferrán"),
        ("japanese-language.html", "佐藤健一", "山田花子"),
        ("korean-language.html", "이수진", "김민준"),
    ],
)
def test_credited_interviewer_asks_and_guest_answers(
    name: str, interviewer: str, interviewee: str
) -> None:
    article = parse(name)
    assert {(t.speaker, t.role) for t in article.turns} == {
        (interviewer, INTERVIEWER),
        (interviewee, INTERVIEWEE),
    }
    assert not any(t.text.startswith(("―", "—", "- ")) for t in article.turns)


@pytest.mark.parametrize(
    "name", ["guardian-profile.html", "news-item.html", "feature-question-subheads.html"]
)
def test_features_with_questions_and_colons_are_not_interviews(name: str) -> None:
    article = parse(name)
    assert not article.is_qa
    assert not article.turns


def test_broadcast_clip_and_audience_labels() -> None:
    npr = parse("npr-transcript.txt")
    assert {t.speaker for t in npr.turns} == {"Terry Gross", "Mara Olsen"}
    festival = parse("festival-screening-qa.html")
    asking = {t.speaker for t in festival.turns if t.role == INTERVIEWER}
    assert asking == {"Shona McAllister", "Audience member", "Audience member 2"}


def test_translated_titles_and_headline_verbs() -> None:
    ash = parse("tagdiv-caps-dash.html")  # "Ceniza (Ash)": named by its English title
    assert ash.film_candidates[0].value == "Ceniza" and ash.films in ([], ["Ash"])
    news = parse("news-item.html")
    assert news.director_candidates[0].value == "Anton Reyes"
    assert news.directors in ([], ["Anton Reyes"])
    assert parse("japanese-language.html").films == ["夏の終わりの灯台"]


def test_a_guest_quoting_someone_still_answers() -> None:
    from indexer.dialogue.questions import narrated
    from indexer.model import Block

    interview = [
        Block("How did you start?"),
        Block("“You can do it,” she said, and I believed her. I started the next day."),
        Block("Was it hard?"),
        Block("“Never give up,” he told me. My first year was terrible, but we kept going."),
    ]
    assert not narrated(interview, [0, 2])
    feature = [
        Block("How did it start?"),
        Block("Slowly. “I found out from my mom,” Jansen said."),
        Block("Is it good?"),
        Block("Mostly. “Different creek,” she says of the sequel."),
    ]
    assert narrated(feature, [0, 2])


def test_site_name_closing_the_page_title() -> None:
    from bs4 import BeautifulSoup

    from indexer.read.metadata import title_site

    assert title_site("Hanna Kowalczyk Talks ‘The Night Orchard’ | Cinema Daily") == "Cinema Daily"
    assert title_site("Interview: Jane Doe on Her Film") == ""  # a colon is the headline's
    signed = BeautifulSoup("<body><p>© 2016 Cinema Daily</p></body>", "lxml")
    assert title_site("Headline – Cinema Daily", signed) == "Cinema Daily"
    assert title_site("Tom Harper – Wild Rose", signed) == ""  # a dash may be the headline's


def test_a_role_after_a_comma_is_not_part_of_the_label() -> None:
    from indexer.dialogue.labels import find_candidate
    from indexer.model import Block

    cand = find_candidate(Block("Kelly Reichardt, director: We shot it in Oregon."))
    assert cand is not None and cand.label == "Kelly Reichardt"
    assert find_candidate(Block("Well, honestly: it was cold.")) is None
