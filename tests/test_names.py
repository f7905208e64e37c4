"""Corpus-wide canonical names and the curated aliases file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.model import INTERVIEWEE, INTERVIEWER, Article, Passage, Turn
from indexer.text.names import (
    canonicalize,
    find_names,
    fold,
    initials_variants,
    load_aliases,
    looks_like_name,
    mentions,
    word_counts,
)


def article(ident: str, speakers: list[str], films: list[str], **extra: object) -> Article:
    turns = [
        Turn(s, s, INTERVIEWEE if n % 2 else INTERVIEWER, "text") for n, s in enumerate(speakers)
    ]
    passage = Passage("q1", "qa", turns=turns)
    return Article(
        id=ident, source=f"{ident}.txt", turns=list(turns), passages=[passage], films=films, **extra
    )  # type: ignore[arg-type]


def test_one_speaker_and_film_value_across_the_corpus() -> None:
    articles = [
        article("a", ["Tom Roston", "Alison Klayman"], ["Ai Weiwei: Never Sorry"]),
        article(
            "b", ["BUST", "Klayman"], ["“Ai Weiwei: Never Sorry”"], directors=["Alison Klayman"]
        ),
        article("c", ["Q", "ALISON KLAYMAN"], ["Never Sorry"], directors=["Klayman"]),
    ]
    canonicalize(articles, {})
    assert {t.speaker for a in articles for t in a.turns if t.role == INTERVIEWEE} == {
        "Alison Klayman"
    }
    assert {f for a in articles for f in a.films} == {"Ai Weiwei: Never Sorry"}
    assert articles[2].directors == ["Alison Klayman"]
    assert articles[1].passages[0].turns[1].speaker == "Alison Klayman"


def test_initials_and_surnames_stand_for_names_of_their_own_article_only() -> None:
    articles = [
        article("a", ["AR", "Satyajit Ray"], ["The Apu Trilogy"]),
        article("b", ["Abraham Riesman", "Greg Berlanti"], ["The Flash"]),
        article("c", ["Q", "Berlanti"], ["Arrow"]),
    ]
    canonicalize(articles, {})
    assert articles[0].turns[0].speaker == "AR"
    assert articles[2].turns[1].speaker == "Berlanti"
    assert articles[1].turns[0].speaker == "Abraham Riesman"


def test_ambiguous_surname_is_left_alone() -> None:
    articles = [
        article("a", ["Q", "Joel Coen", "Q", "Ethan Coen"], []),
        article("b", ["Q", "Coen"], []),
    ]
    canonicalize(articles, {})
    assert articles[1].turns[1].speaker == "Coen"


def test_curated_and_sidecar_aliases_win(tmp_path: Path) -> None:
    (tmp_path / "aliases.json").write_text(
        json.dumps({"Kore–Eda Hirokazu": "Hirokazu Kore-eda"}), encoding="utf-8"
    )
    aliases = load_aliases(tmp_path)
    articles = [
        article("a", ["Q", "Kore–Eda Hirokazu"], ["Shoplifters"]),
        article("b", ["Q", "Hirokazu Kore-eda"], ["Manbiki Kazoku"]),
    ]
    articles[1].aliases = {"Manbiki Kazoku": "Shoplifters"}
    canonicalize(articles, aliases)
    assert {a.turns[1].speaker for a in articles} == {"Hirokazu Kore-eda"}
    assert articles[1].films == ["Shoplifters"]


def test_load_aliases_tolerates_missing_or_bad_files(tmp_path: Path) -> None:
    assert load_aliases(tmp_path) == {}
    (tmp_path / "aliases.json").write_text("[not json", encoding="utf-8")
    assert load_aliases(tmp_path) == {}


def test_name_helpers() -> None:
    assert fold("Sembène, Ousmane!") == "sembene ousmane"
    assert "BT" in initials_variants("Bijan Tehrani")
    assert "HK" in initials_variants("Hirokazu Kore-eda")
    names = find_names("First-time director Alison Klayman met Ai Weiwei. Klayman’s film")
    assert "Alison Klayman" in names and "Ai Weiwei" in names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Director J.C. Orwin talks about it.", "J.C. Orwin"),
        ("a film by D.A. Pell and Ann Lee", "D.A. Pell"),
        ("as J. R. Tamsin said", "J. R. Tamsin"),
    ],
)
def test_joined_initials_open_a_name(text: str, name: str) -> None:
    assert name in find_names(text)


@pytest.mark.parametrize(
    "name", ["Émile Zola", "Ömer Faruk", "Łukasz Żal", "Илья Северов", "Σταύρος Τσιώλης"]
)
def test_names_begin_with_a_capital_of_any_script(name: str) -> None:
    assert find_names(f"We met {name} in town.") == {name: 1}
    assert looks_like_name(name)


def test_a_first_word_the_text_writes_in_lower_case_opens_no_name() -> None:
    text = "Режиссёр Илья Северов Ким рассказал, что режиссёр снимал зимой."
    assert find_names(text) == {"Илья Северов Ким": 1}
    # Two words are left as they are: "Will" may be a given name.
    assert find_names("Will Smith said he will come.") == {"Will Smith": 1}


@pytest.mark.parametrize(
    ("word", "count"),
    [("lee", 2), ("le", 0), ("kore-eda", 1), ("eda", 1)],
)
def test_a_word_is_counted_only_where_it_stands_whole(word: str, count: int) -> None:
    text = "ann lee met lee, leeward of kore-eda"
    assert mentions(word, text, word_counts(text)) == count
