"""The seed interview parses into eight Q&A passages with the right people and film."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.indexing.generation import catalog_of
from indexer.model import INTERVIEWEE, INTERVIEWER, Article
from indexer.parse import parse_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED = CORPUS / "ai-weiwei-never-sorry.txt"


@pytest.fixture(scope="module")
def seed() -> Article:
    return parse_file(SEED, CORPUS)


def test_eight_qa_passages(seed: Article) -> None:
    qa = [p for p in seed.passages if p.kind == "qa"]
    assert [p.anchor for p in qa] == [f"q{n}" for n in range(1, 9)]
    assert seed.is_qa


def test_speakers_and_roles(seed: Article) -> None:
    roles = {(t.speaker, t.role) for t in seed.turns}
    assert roles == {("Bijan Tehrani", INTERVIEWER), ("Alison Klayman", INTERVIEWEE)}
    assert seed.interviewers == ["Bijan Tehrani"]
    assert seed.interviewees == ["Alison Klayman"]
    assert {t.label for t in seed.turns} == {"Bijan Tehrani", "Alison Klayman", "BT", "AK"}


def test_no_speaker_named_after_the_title(seed: Article) -> None:
    speakers = {s for p in seed.passages for s in p.speakers}
    assert "Ai Weiwei" not in speakers
    last = [p for p in seed.passages if p.kind == "qa"][-1]
    assert last.question.startswith("Ai Weiwei: Never Sorry is very optimistic")


def test_film_and_director(seed: Article) -> None:
    # Alone, the headline, the body's italics or quotes and its film patterns agree on the
    # page's film; the corpus's film list names it too, with its director.
    assert seed.films == ["Ai Weiwei: Never Sorry"]
    assert seed.directors == ["Alison Klayman"]
    listed = parse_file(SEED, CORPUS, catalog_of(CORPUS))
    assert listed.films == ["Ai Weiwei: Never Sorry"]
    assert listed.directors == ["Alison Klayman"]
    assert listed.decided_by == {"films": "film list", "directors": "film list"}


def test_sidecar_metadata(seed: Article) -> None:
    assert seed.url == "https://www.cinemawithoutborders.com/ai-weiwei-never-sorry/"
    assert seed.publication == "Cinema Without Borders"
    assert seed.title == "Ai Weiwei: Never Sorry"


def test_author_box_is_metadata_not_a_passage(seed: Article) -> None:
    assert seed.authors == ["Bijan Tehrani"]
    body = " ".join(p.question + " " + p.answer + " " + p.text for p in seed.passages)
    assert "editor in chief of Cinema Without Borders" not in body
    assert "About Author" not in body
    assert "Leave A Reply" not in body


def test_intro_passage(seed: Article) -> None:
    intro = seed.passages[0]
    assert (intro.anchor, intro.kind) == ("intro", "intro")
    assert intro.text.startswith("Ai Weiwei: Never Sorry")
    assert "First-time director Alison Klayman" in intro.text
    assert not intro.turns


def test_json_contract(seed: Article) -> None:
    data = seed.to_json()
    for key in (
        "id",
        "title",
        "url",
        "publication",
        "is_qa",
        "films",
        "directors",
        "interviewers",
        "interviewees",
        "turns",
        "passages",
    ):
        assert key in data
    assert set(data["turns"][0]) == {"speaker", "label", "role", "text"}
    assert {"anchor", "kind", "question", "answer", "speakers"} <= set(data["passages"][1])
    assert Article.from_json(data).to_json() == data
