"""Plain dataclasses passed along the parsing pipeline: Source -> Document -> Article."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INTERVIEWER = "interviewer"
INTERVIEWEE = "interviewee"


@dataclass
class Source:
    """One corpus file, decoded, with its sidecar metadata."""

    path: Path
    article_id: str
    format: str  # "html" or "text"
    text: str
    encoding: str
    sidecar: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # what was wrong in it and ignored


@dataclass
class Block:
    """A paragraph-like unit of the article body, in document order."""

    text: str
    kind: str = "p"  # "p", "heading", "quote", "li"
    bold_prefix: str = ""  # leading bold/strong text, as written
    all_bold: bool = False  # the whole block is bold or italic emphasis
    italics: list[str] = field(default_factory=list)  # italic phrases inside


@dataclass
class Document:
    """What extraction finds in a file: metadata plus ordered body blocks."""

    title: str = ""
    url: str = ""
    publication: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""  # ISO 8601 date, "" when unknown
    language: str = ""
    description: str = ""
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why extraction decided what it did
    films: list[str] = field(default_factory=list)  # from structured data (JSON-LD Movie)
    directors: list[str] = field(default_factory=list)


@dataclass
class Turn:
    """One speaker's uninterrupted speech."""

    speaker: str  # canonical full name
    label: str  # label as written ("BT"), "" when unlabelled
    role: str  # INTERVIEWER or INTERVIEWEE
    text: str

    def to_json(self) -> dict[str, str]:
        return {"speaker": self.speaker, "label": self.label, "role": self.role, "text": self.text}


@dataclass
class Passage:
    """One question and the answer(s) to it, or an intro / narrative stretch."""

    anchor: str  # "q1", "q2", ... for Q&A; "intro"; "p1", ... for narrative
    kind: str  # "qa", "intro" or "narrative"
    turns: list[Turn] = field(default_factory=list)
    text: str = ""  # body of intro and narrative passages (they have no turns)

    @property
    def question_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.role == INTERVIEWER]

    @property
    def answer_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.role != INTERVIEWER]

    @property
    def question(self) -> str:
        return "\n\n".join(t.text for t in self.question_turns)

    @property
    def answer(self) -> str:
        if not self.turns:
            return self.text
        return "\n\n".join(t.text for t in self.answer_turns)

    @property
    def speakers(self) -> list[str]:
        return unique(t.speaker for t in self.turns)

    def to_json(self) -> dict[str, Any]:
        return {
            "anchor": self.anchor,
            "kind": self.kind,
            "question": self.question,
            "answer": self.answer,
            "speakers": self.speakers,
            "turns": [t.to_json() for t in self.turns],
        }


@dataclass
class Guess:
    """A candidate value for a facet with the model's confidence in it (0..1)."""

    value: str
    score: float
    cue: str = ""  # the feature that weighed most, for `inspect`
    # The named features the score was computed from (kept only when fitting the model).
    features: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    # The page's own checks let it be named (enough kinds of evidence for a film, the page's
    # word for a director): only such a guess may be settled by other articles.
    confirmed: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value, "score": round(self.score, 3), "cue": self.cue}
        return {**data, "confirmed": True} if self.confirmed else data


@dataclass
class Article:
    """A parsed interview (or narrative piece) ready to be indexed."""

    id: str
    source: str  # path relative to the corpus
    title: str = ""
    url: str = ""
    publication: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    language: str = ""
    films: list[str] = field(default_factory=list)
    directors: list[str] = field(default_factory=list)
    interviewers: list[str] = field(default_factory=list)
    interviewees: list[str] = field(default_factory=list)
    is_qa: bool = False
    captured: str = ""  # when a web archive captured the page (ISO 8601 UTC), "" if not
    fetched: str = ""  # when the page was fetched from the web (ISO 8601 UTC), "" if not
    archive: str = ""  # the web archive file an imported page came from, "" if not
    wayback: str = ""  # the capture's Wayback Machine address, when it came from there
    turns: list[Turn] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # parser decisions, for `inspect`
    problems: list[str] = field(default_factory=list)  # what was wrong in the source, ignored
    aliases: dict[str, str] = field(default_factory=dict)  # the sidecar's variant -> canonical
    # Every candidate weighed for the film and director facets, best first, including those
    # below the confidence threshold (which stay out of `films` / `directors`).
    film_candidates: list[Guess] = field(default_factory=list)
    director_candidates: list[Guess] = field(default_factory=list)
    # Where the film and director values came from: "sidecar", "structured data",
    # "film list", "model", "corpus" (other articles agree) or "rules"; "" when empty.
    decided_by: dict[str, str] = field(default_factory=dict)

    def rename(self, person: Callable[[str], str], film: Callable[[str], str]) -> None:
        """Respell every person (speakers, directors, interviewers, interviewees) and film."""
        # Passages usually hold the same Turn objects as `turns`: respell each one once.
        turns = {id(t): t for t in [*self.turns, *(t for p in self.passages for t in p.turns)]}
        for turn in turns.values():
            turn.speaker = person(turn.speaker)
        self.directors = unique(person(d) for d in self.directors)
        self.interviewers = unique(person(p) for p in self.interviewers)
        self.interviewees = unique(person(p) for p in self.interviewees)
        self.films = unique(film(f) for f in self.films)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date[:4].isdigit() else None

    def to_json(self) -> dict[str, Any]:
        """The public `inspect --json` / `/api/articles/<id>` shape."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "publication": self.publication,
            "authors": self.authors,
            "date": self.date,
            "language": self.language,
            "is_qa": self.is_qa,
            "captured": self.captured,
            "fetched": self.fetched,
            "archive": self.archive,
            "wayback": self.wayback,
            "films": self.films,
            "directors": self.directors,
            "interviewers": self.interviewers,
            "interviewees": self.interviewees,
            "decided_by": self.decided_by,
            "film_candidates": [g.to_json() for g in self.film_candidates],
            "director_candidates": [g.to_json() for g in self.director_candidates],
            "turns": [t.to_json() for t in self.turns],
            "passages": [p.to_json() for p in self.passages],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        """Inverse of `to_json` (turns are rebuilt from the passages)."""
        passages = [
            Passage(
                anchor=p["anchor"],
                kind=p["kind"],
                turns=[Turn(**t) for t in p.get("turns", [])],
                text="" if p.get("turns") else p.get("answer", ""),
            )
            for p in data.get("passages", [])
        ]
        return cls(
            id=data["id"],
            source=data.get("source", ""),
            title=data.get("title", ""),
            url=data.get("url", ""),
            publication=data.get("publication", ""),
            authors=list(data.get("authors", [])),
            date=data.get("date", ""),
            language=data.get("language", ""),
            films=list(data.get("films", [])),
            directors=list(data.get("directors", [])),
            interviewers=list(data.get("interviewers", [])),
            interviewees=list(data.get("interviewees", [])),
            is_qa=bool(data.get("is_qa")),
            decided_by=dict(data.get("decided_by") or {}),
            film_candidates=[Guess(**g) for g in data.get("film_candidates", [])],
            director_candidates=[Guess(**g) for g in data.get("director_candidates", [])],
            captured=data.get("captured", ""),
            fetched=data.get("fetched", ""),
            archive=data.get("archive", ""),
            wayback=data.get("wayback", ""),
            turns=[t for p in passages for t in p.turns],
            passages=passages,
        )


def unique(items: Any) -> list[str]:
    """Items in first-seen order without repeats or empties."""
    seen: dict[str, None] = {}
    for item in items:
        if item:
            seen.setdefault(item, None)
    return list(seen)
