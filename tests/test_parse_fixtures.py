"""Each label style and each trap, on invented articles written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.model import INTERVIEWEE, INTERVIEWER, Article, Guess
from indexer.parse import parse_file

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


def assert_best_or_nothing(values: list[str], guesses: list[Guess], expected: str) -> None:
    """Precision first: the best candidate is right, and the facet holds it or nothing."""
    assert guesses and guesses[0].value == expected, guesses[:3]
    assert values in ([], [expected])


def parse(name: str) -> Article:
    return parse_file(ARTICLES / name, ARTICLES)


def speakers(article: Article) -> set[tuple[str, str]]:
    return {(t.speaker, t.role) for t in article.turns}


def body(article: Article) -> str:
    return "\n".join(p.question + "\n" + p.answer + "\n" + p.text for p in article.passages)


def qa_count(article: Article) -> int:
    return sum(p.kind == "qa" for p in article.passages)


def test_full_names_and_colon_title_traps() -> None:
    article = parse("full-names-colon-title.txt")
    assert speakers(article) == {("Ines Marlowe", INTERVIEWER), ("Tomas Eberle", INTERVIEWEE)}
    assert qa_count(article) == 3
    assert article.films == ["Salt Harbour: A Reckoning"]
    assert article.directors == ["Tomas Eberle"]
    # The title, a question quoting someone and "Name: lowercase" prose are not labels.
    assert "Salt Harbour" not in {t.speaker for t in article.turns}
    assert article.turns[2].text.startswith('Your editor once told me: "Tomas')
    assert "Greta Lund: that was the name" in article.turns[3].text
    assert any("title with a colon" in note for note in article.notes)


def test_initials_after_full_names_and_two_letter_word() -> None:
    article = parse("initials.txt")
    assert speakers(article) == {("Mira Castellane", INTERVIEWER), ("Oren Vast", INTERVIEWEE)}
    assert [t.label for t in article.turns][:4] == ["Mira Castellane", "Oren Vast", "MC", "OV"]
    assert "OK: so here is the thing" in article.turns[3].text
    assert article.films == ["The Glass Orchard"]
    assert any("'MC'" in note and "Mira Castellane" in note for note in article.notes)


def test_surnames_and_capitals_resolve_to_full_names() -> None:
    article = parse("surnames.txt")
    assert speakers(article) == {("Lise Amundsen", INTERVIEWER), ("Daniel Ferro", INTERVIEWEE)}
    assert {t.label for t in article.turns} >= {"Ferro", "FERRO", "Amundsen"}
    assert article.title == "Daniel Ferro lights up Quiet Signal"  # from the sidecar
    assert_best_or_nothing(article.films, article.film_candidates, "Quiet Signal")


def test_outlet_and_one_letter_labels_credit_the_publication() -> None:
    article = parse("outlet-labels.txt")
    asked = {t.speaker for t in article.turns if t.role == INTERVIEWER}
    assert len(asked) == 1 and asked <= {"REELTALK", "ReelTalk"}
    assert {t.label for t in article.turns if t.role == INTERVIEWER} == {"REELTALK", "R"}
    assert {t.speaker for t in article.turns if t.role == INTERVIEWEE} == {"Anya Sorel"}
    assert qa_count(article) == 3


def test_q_and_a_labels_numbered_and_alone() -> None:
    article = parse("qa-labels.txt")
    assert [t.role for t in article.turns] == [INTERVIEWER, INTERVIEWEE] * 3
    assert {t.speaker for t in article.turns if t.role == INTERVIEWER} == {"Tidewater Film Journal"}
    assert {t.speaker for t in article.turns if t.role == INTERVIEWEE} == {"Ruben Osei"}
    assert article.turns[1].text.startswith("Because nobody could leave")
    assert [p.anchor for p in article.passages] == ["intro", "q1", "q2", "q3"]
    assert article.films == ["The Ferryman's Daughter"]


def test_narrative_profile() -> None:
    article = parse("narrative-profile.txt")
    assert not article.is_qa
    assert not article.turns
    assert [p.kind for p in article.passages] == ["narrative"] * len(article.passages)
    assert article.passages[0].anchor == "p1"
    assert article.authors == ["Harriet Vell"]
    assert "By Harriet Vell" not in body(article)
    assert article.films == ["The Quiet Field"]
    assert_best_or_nothing(article.directors, article.director_candidates, "Konstantin Arvo")


def test_html_bold_labels_br_turns_and_boilerplate() -> None:
    article = parse("bold-labels.html")
    assert article.title == "Two Directors, One Lantern: Talking to Mae Okafor and Jonas Brill"
    assert article.publication == "Frame Rate"
    assert article.url == "https://framerate.example/two-directors-one-lantern/"
    assert article.date == "2023-04-18"
    assert article.authors == ["Petra Lindqvist"]
    assert speakers(article) == {
        ("Ada Wren", INTERVIEWER),
        ("Petra Lindqvist", INTERVIEWER),
        ("Mae Okafor", INTERVIEWEE),
        ("Jonas Brill", INTERVIEWEE),
    }
    # Colon, dash and bare bold-end labels; <br> splits one paragraph into three turns.
    assert [t.label for t in article.turns][:5] == [
        "Ada Wren", "Mae Okafor", "Jonas Brill", "Petra Lindqvist", "Okafor",
    ]  # fmt: skip
    assert qa_count(article) == 3
    assert article.passages[1].speakers == ["Ada Wren", "Mae Okafor", "Jonas Brill"]
    assert article.films == ["The Lantern Keepers"]
    assert set(article.directors) == {"Mae Okafor", "Jonas Brill"}
    text = body(article)
    for unwanted in (
        "Share on Facebook", "Advertisement", "Related", "Ten river films", "Leave a Reply",
        "Great interview", "About the Author", "writes about festivals", "Photo: Frame Rate",
        "Reviews",
    ):  # fmt: skip
        assert unwanted not in text, unwanted
    # The pull quote repeats the answer: it is kept once, in the answer.
    assert text.count("the river was the first thing I ever filmed") == 1


def test_html_bold_questions_without_labels() -> None:
    article = parse("bold-questions.html")
    assert article.publication == "Silver Screen Notes"
    assert article.authors == ["Tom Abernathy"]
    assert speakers(article) == {("Tom Abernathy", INTERVIEWER), ("Lucía Ferrand", INTERVIEWEE)}
    assert qa_count(article) == 3
    first = article.passages[1]
    assert first.question == "Where did the idea for The Cartographer's Wife come from?"
    assert "She kept them, though." in first.answer  # a two-paragraph answer stays one turn
    assert article.films == ["The Cartographer's Wife"]
    text = body(article)
    assert "newsletter" not in text and "Share this" not in text and "Lovely read" not in text


def test_html_questions_as_headings_credit_the_publication() -> None:
    article = parse("heading-questions.html")
    assert speakers(article) == {("Kinetoscope", INTERVIEWER), ("Piet Vandaele", INTERVIEWEE)}
    assert qa_count(article) == 3
    assert article.films == ["Silence in Colour"]
    assert article.directors == ["Piet Vandaele"]


ARTICLE_FILES = sorted(p.name for p in ARTICLES.glob("*.*") if not p.name.endswith(".meta.json"))


@pytest.mark.parametrize("name", ARTICLE_FILES)
def test_every_fixture_round_trips_through_json(name: str) -> None:
    article = parse(name)
    data = article.to_json()
    assert Article.from_json(data).to_json() == data
    assert all(t.role in (INTERVIEWER, INTERVIEWEE) for t in article.turns)
    assert all(t.speaker for t in article.turns)


def test_review_with_rhetorical_questions_is_not_an_interview() -> None:
    article = parse("rhetorical-review.txt")
    assert not article.is_qa
    assert not article.turns
    assert article.films == ["The Iron Meadow"]
    assert_best_or_nothing(article.directors, article.director_candidates, "Sanna Holt")
    assert article.authors == ["Colm Reddy"]


def test_transcript_with_timestamps_moderator_and_translator() -> None:
    article = parse("transcript.txt")
    assert article.title == "A conversation after the screening of Night Ferry"
    assert [(t.speaker, t.role) for t in article.turns] == [
        ("Wren Adebayo", INTERVIEWER),
        ("Ilya Marek", INTERVIEWEE),
        ("Wren Adebayo", INTERVIEWER),
        ("Sofia Brandt", INTERVIEWEE),
        ("Ilya Marek", INTERVIEWEE),
    ]
    assert article.turns[0].text == "Please welcome Ilya Marek."
    assert_best_or_nothing(article.films, article.film_candidates, "Night Ferry")
    assert any("timestamp" in note for note in article.notes)


def test_only_the_questions_carry_labels() -> None:
    article = parse("interviewer-labels-only.txt")
    assert [(t.speaker, t.role) for t in article.turns] == [
        ("Nadia Ferrer", INTERVIEWER),
        ("Emil Sandoval", INTERVIEWEE),
    ] * 3
    assert article.turns[1].text == "A roof in the rain. Everything else grew out of that roof."
    assert article.films == ["Copper Rain"]


def test_html_italic_questions() -> None:
    article = parse("italic-questions.html")
    assert speakers(article) == {("The Hive Review", INTERVIEWER), ("Marta Quell", INTERVIEWEE)}
    assert qa_count(article) == 3
    assert article.films == ["Winter Bees"]


def test_html_bold_names_alone_on_their_lines() -> None:
    article = parse("bold-name-lines.html")
    assert [(t.speaker, t.role) for t in article.turns] == [
        ("Kasper Lind", INTERVIEWER),
        ("Ulla Moe", INTERVIEWEE),
    ] * 2
    assert article.turns[1].text.startswith("At my grandmother's door.")
    assert article.films == ["The Salt Road"]
    assert article.directors == ["Ulla Moe"]


def test_panel_with_moderator_audience_and_two_guests() -> None:
    article = parse("panel-moderator.txt")
    assert [(t.speaker, t.role) for t in article.turns] == [
        ("Moderator", INTERVIEWER),
        ("Jane Doe", INTERVIEWEE),
        ("Moderator", INTERVIEWER),
        ("Jane Doe", INTERVIEWEE),
        ("Sam Reyes", INTERVIEWEE),  # an answer that opens with a name is still a turn
        ("Audience member", INTERVIEWER),
        ("Jane Doe", INTERVIEWEE),
    ]
    assert article.passages[2].speakers == ["Moderator", "Jane Doe", "Sam Reyes"]
    assert_best_or_nothing(article.films, article.film_candidates, "Paper Lanterns")
