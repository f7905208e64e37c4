"""Named dialogue rules, each on a small invented page that it alone gets right (rules only,
no fitted model)."""

from __future__ import annotations

import pytest

from indexer.dialogue.interview import Interview, intro_asker, parse_interview
from indexer.dialogue.labels import find_candidate
from indexer.dialogue.roles import Hints
from indexer.model import INTERVIEWEE, INTERVIEWER, Block, Document

LONG_ANSWER = (
    "I spent two winters in the valley before we shot anything at all, mostly listening to "
    "the people who still farm there and writing down what they said about the river."
)


def read(*texts: str, title: str = "", publication: str = "Film Notes") -> Interview:
    doc = Document(blocks=[Block(t) for t in texts])
    return parse_interview(doc, Hints(title=title, publication=publication), None)


def starts(interview: Interview) -> list[str]:
    return [" ".join(t.text.split()[:3]) for t in interview.turns]


def test_initials_alone_on_their_lines_label_the_paragraph_below() -> None:
    interview = read(
        "Mara Lind talked to Sven Okafor about his new film.",
        "ML",
        "How long did the shoot take? It looked like a hard one.",
        "S9",
        LONG_ANSWER,
        "ML",
        "Was the river always part of it?",
        "S9",
        "Yes. It was the first thing I wrote down.",
    )
    assert interview.is_qa
    assert [t.label for t in interview.turns] == ["ML", "S9", "ML", "S9"]
    assert interview.turns[1].text == LONG_ANSWER
    assert any("initials-alone" in note for note in interview.notes)


def test_initials_alone_once_in_a_menu_are_not_labels() -> None:
    doc = Document(
        blocks=[
            Block("News", "li"),
            Block("Arts", "li"),
            Block("NPR", "li"),
            Block("The Film Hour", "heading"),
            Block("February 8th, 2013"),
            Block("Old Friends", "heading"),
            Block("Podcast: Play in new window | Download"),
            Block("Listen to the review by Dan Moore, above.", bold_prefix="Listen", all_bold=True),
        ]
    )
    assert not parse_interview(doc, Hints(publication="KZ Radio"), None).is_qa


def test_bare_letters_of_a_pair_label_question_and_answer() -> None:
    interview = read(
        "PARIS — La cinéaste était de passage à Paris cette semaine.",
        "Q Votre film a reçu trois prix cette année. Vous attendiez-vous à un tel accueil ?",
        "R (rires) Pas du tout. Les films s’écrivent, puis ils vivent leur vie.",
        "A Cannes, le public a ri aux mêmes endroits que nous.",
        "Q Le film parle beaucoup du regard. Pourquoi ce choix ?",
        "R Parce que tout commence par le regard, dans la vie comme au cinéma.",
    )
    assert [t.role for t in interview.turns][-4:] == [INTERVIEWER, INTERVIEWEE] * 2
    assert interview.turns[-3].text.endswith("que nous.")  # "A Cannes" is no answer label
    assert starts(interview)[-4:] == [
        "Votre film a",
        "(rires) Pas du",
        "Le film parle",
        "Parce que tout",
    ]


def test_paragraphs_opening_with_the_article_a_are_not_answer_labels() -> None:
    interview = read(
        "A quiet film about a river, shot over two winters.",
        "A cast of farmers who had never acted before carries it.",
        LONG_ANSWER,
    )
    assert not interview.is_qa


def test_a_question_right_before_the_first_answer_label_opens_the_dialogue() -> None:
    interview = read(
        "Quanto c’è di autobiografico nella sceneggiatura?",
        "Paolo Ferri: “Non è un film autobiografico, ma sincero.”",
        "Come avete lavorato sulla fotografia?",
        "Giulia Neri: “Scenografia e fotografia sono molto naturali.”",
        "C’è stato spazio per l’improvvisazione?",
        "P.F.: “Sì, abbiamo cambiato alcuni momenti sul set.”",
    )
    assert interview.turns[0].role == INTERVIEWER
    assert interview.turns[0].text.startswith("Quanto c’è")


def test_a_question_addressed_in_another_language_before_a_labelled_answer() -> None:
    interview = read(
        "Herr Lindqvist, Ihr Film basiert zum Teil auf Dingen, die Sie selbst erlebt haben…",
        "Tomas Lindqvist: Ja, ich wohnte als Kind in einer Kommune.",
        "Was haben Sie aus der Zeit mitgenommen?",
        "Lindqvist: Dass alle Menschen zwei Seiten haben.",
    )
    assert [t.role for t in interview.turns] == [INTERVIEWER, INTERVIEWEE] * 2
    assert interview.turns[0].text.startswith("Herr Lindqvist")


def test_questions_after_the_last_label_go_on_with_the_dialogue() -> None:
    interview = read(
        "Ann Moss: Why do you always make films about the sea?",
        f"Karl Brand: {LONG_ANSWER}",
        "Does that answer it? The sea has never let go of me since.",
        "Were you a sailor yourself?",
        "Never. I get seasick on a ferry.",
        "Is there one rule you never break on set?",
        "Nobody is late twice. That is the whole rule.",
    )
    assert [t.speaker for t in interview.turns] == ["Ann Moss", "Karl Brand"] * 3
    assert interview.turns[1].text.endswith("let go of me since.")
    assert starts(interview)[2:] == ["Were you a", "Never. I get", "Is there one", "Nobody is late"]


def test_an_interview_cue_inside_a_named_title_is_no_cue() -> None:
    doc = Document(
        blocks=[
            Block(
                "Assume you walked into The Interview knowing nothing about the country.",
                italics=["The Interview"],
            ),
            Block("Would you expect it to tell you about the camps, or the famine?"),
            Block("Probably not. The film is a comedy and plays the dictator for laughs."),
            Block("Should a comedy be judged on what it leaves out?"),
            Block("Critics at the magazine said the jokes land anyway, and the film is sharp."),
        ]
    )
    interview = parse_interview(doc, Hints(publication="The Monthly"), None)
    assert not interview.is_qa


def test_a_question_mark_inside_a_long_statement_asks_nobody() -> None:
    statement = (
        "It was so emotional to make, and the idea of family was overwhelming. Where were we "
        "all taken back? I mean to the first film, to the feeling of that first night in the "
        "theatre, when nobody knew what the audience would do, and then they did it, and we "
        "went home and could not sleep for the whole of that week."
    )
    interview = read(
        "Comments from Ella Stone and Jon Kane on the sequel.",
        "Ella Stone: “I know we didn’t think a second film was in the cards.”",
        f"Jon Kane: {statement}",
    )
    assert not interview.is_qa
    assert any("nobody asks" in note for note in interview.notes)


def test_headline_questions_after_an_interview_ask_nobody() -> None:
    interview = read(
        "Ann Moss: Why do you always make films about the sea?",
        f"Karl Brand: {LONG_ANSWER}",
        "More from the festival.",
        "Is streaming changing what festivals programme?",
        "Our critics look at a year of premieres that went straight to the small screen.",
        "Which debut will win the jury prize this year?",
        "The shortlist, the favourites and the outsiders, film by film.",
    )
    assert [t.speaker for t in interview.turns] == ["Ann Moss", "Karl Brand"]


def test_a_french_paragraph_with_du_is_not_addressed_to_anyone() -> None:
    interview = read(
        "Le film du réalisateur sort cette semaine, après un long voyage en festivals…",
        "Paul Marin : Le tournage a duré deux hivers, dans la vallée.",
        "Marin : Nous avons attendu la lumière tous les jours.",
    )
    assert not interview.is_qa or not interview.turns[0].text.startswith("Le film du")


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Élodie Vasseur: Oui, bien sûr.", "Élodie Vasseur"),
        ("Ана Мора: Да, конечно.", "Ана Мора"),
        ("איתי: שלום לכולם", "איתי"),
        ("फ़रहान: हाँ, बिल्कुल", "फ़रहान"),
    ],
)
def test_a_label_may_be_written_in_any_script(line: str, label: str) -> None:
    assert find_candidate(Block("élodie vasseur: oui, bien sûr.")) is None
    found = find_candidate(Block(line))
    assert found is not None and found.label == label


def test_dotted_initials_written_two_ways_stand_for_the_same_full_name() -> None:
    interview = read(
        "Ana Mora: Welcome. Today our guest is the director Ivo Pell.",
        "I.P.: Thank you for having me here tonight.",
        "A.M.: Why did the river matter so much to you?",
        f"I.P: {LONG_ANSWER}",
        "A.M.: And the farmers, did they see the film?",
        f"I.P.: {LONG_ANSWER}",
    )
    speakers = {t.speaker for t in interview.turns}
    assert speakers == {"Ana Mora", "Ivo Pell"}


@pytest.mark.parametrize("verb", ["chats with", "sat down with", "talks to", "caught up with"])
def test_the_intro_names_who_asks(verb: str) -> None:
    intro = [Block(f"Nell Harrow {verb} director Tomas Egri about his second feature.")]
    assert intro_asker(intro) == "Nell Harrow"
    guest = [Block(f"First-time director Tomas Egri, in town, {verb} Nell Harrow about it.")]
    assert intro_asker(guest) == "Nell Harrow"


@pytest.mark.parametrize(
    ("asker", "guest", "intro", "asks", "answers"),
    [
        ("HOST", "GUEST", "Our guest is the director Sven Okafor.", "Film Notes", "Sven Okafor"),
        ("Periodista", "Okafor", "Sven Okafor habló con nosotros.", "Film Notes", "Sven Okafor"),
        ("Журналист", "Окафор", "Свен Окафор рассказал о фильме.", "Film Notes", "Свен Окафор"),
        (
            "Moderator",
            "Okafor",
            "Moderated by Mara Lind, with Sven Okafor.",
            "Mara Lind",
            "Sven Okafor",
        ),
        (
            "Reporter",
            "Okafor",
            "Tonight, host Mara Lind and Sven Okafor.",
            "Mara Lind",
            "Sven Okafor",
        ),
    ],
)
def test_a_role_label_stands_for_the_interviewer_or_the_guest(
    asker: str, guest: str, intro: str, asks: str, answers: str
) -> None:
    interview = read(
        intro,
        f"{asker}: Why the river?",
        f"{guest}: {LONG_ANSWER}",
        f"{asker}: And the winters?",
        f"{guest}: {LONG_ANSWER}",
    )
    assert [t.speaker for t in interview.turns] == [asks, answers, asks, answers]


def test_a_timestamped_label_with_a_colon_labels_the_line_below() -> None:
    interview = read(
        "Mara Lind talked to Sven Okafor about his new film.",
        "Mara Lind (00:01):",
        "Why the river?",
        "Sven Okafor (00:05):",
        LONG_ANSWER,
        "Mara Lind (00:31):",
        "And the winters?",
        "Sven Okafor (00:34):",
        LONG_ANSWER,
    )
    assert [t.speaker for t in interview.turns] == ["Mara Lind", "Sven Okafor"] * 2


def test_labels_running_inline_in_a_paragraph_begin_turns() -> None:
    interview = read(
        "Mara Lind met the director after the screening. "
        "ML: How long did the shoot take? KO: "
        + LONG_ANSWER
        + " ML: Was the river always part of it? KO: Yes. It was the first thing I wrote down."
    )
    assert interview.is_qa
    assert starts(interview) == [
        "How long did",
        "I spent two",
        "Was the river",
        "Yes. It was",
    ]
    assert [t.role for t in interview.turns] == [INTERVIEWER, INTERVIEWEE] * 2


def test_a_colon_written_inline_once_splits_nothing() -> None:
    from indexer.dialogue.labels import split_inline_labels

    block = Block("The film opens on Friday. Mara Lind: the screening is sold out. It runs on.")
    assert split_inline_labels([block]) == [block]
    twice = Block(block.text + " Mara Lind: it runs for weeks.")
    assert [b.text[:9] for b in split_inline_labels([twice])] == [
        "The film ",
        "Mara Lind",
        "Mara Lind",
    ]
