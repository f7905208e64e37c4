"""The same question, different answers: each passage's nearest alike questions of other
interviews and the groups they join, as the builder kept them (`indexer.indexing.alike`).

An index built before the builder kept them has them compared on first use instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.searching import Searcher

from indexer.indexing.alike import NEAREST, Nearest, alike_pairs, load_nearest, nearest
from indexer.indexing.arrays import ARRAYS
from indexer.schema import FACETS

from .columns import Columns

if TYPE_CHECKING:
    from .generation import Generation

NEIGHBOURS = NEAREST  # other interviews' answers shown beside a passage
MOST_ASKED = 50  # groups listed on /questions


@dataclass
class SimilarQuestions:
    """Alike questions of one generation, by document number (memory-mapped arrays)."""

    near: Nearest

    @classmethod
    def load(cls, searcher: Searcher, columns: Columns, generation: Path) -> SimilarQuestions:
        """The neighbours and groups the builder saved in `generation`, or else compared now."""
        found = load_nearest(generation / ARRAYS, columns.size)
        if found is None:
            pairs = alike_pairs(searcher.reader(), columns.live, columns.tier, columns.article)
            found = nearest(pairs, columns.order, columns.article, columns.size)
        return cls(found)

    @property
    def total(self) -> int:
        """How many groups of alike questions there are."""
        return len(self.near.central)

    def neighbours(self, docnum: int) -> list[tuple[int, float]]:
        """The documents (at most NEAREST) most alike to `docnum`'s question, the most
        alike first, with their cosines."""
        start, stop = int(self.near.starts[docnum]), int(self.near.starts[docnum + 1])
        return list(
            zip(
                self.near.targets[start:stop].tolist(),
                self.near.alike[start:stop].tolist(),
                strict=True,
            )
        )

    def groups(self, limit: int | None = None) -> list[list[int]]:
        """The first `limit` groups (all when None), most interviews first."""
        bounds = self.near.bounds[: None if limit is None else limit + 1].tolist()
        members = self.near.members
        return [members[a:b].tolist() for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def central(self, group: int) -> int:
        """The document of group `group` whose question is most alike to the others'."""
        return int(self.near.central[group])


def passage(searcher: Searcher, docnum: int, similarity: float | None = None) -> dict[str, Any]:
    """One passage of a group or a panel: where it is, who asked and answered, and what."""
    fields = searcher.stored_fields(docnum)
    meta = fields["meta"]
    turns = fields.get("turns") or []
    return {
        "article_id": fields["article_id"],
        "anchor": fields["anchor"],
        "title": meta.get("title", ""),
        "publication": meta.get("publication", ""),
        "date": meta.get("date", ""),
        "films": list(meta.get("films") or []),
        "speakers": list(fields.get(FACETS["speaker"]) or ()),
        "answerers": list(dict.fromkeys(t["speaker"] for t in turns if t["role"] != "interviewer")),
        "question": fields.get("question", ""),
        "answer": fields.get("answer", ""),
        **({"similarity": round(similarity, 3)} if similarity is not None else {}),
    }


def answers_elsewhere(state: Generation, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """For each passage of an article (by anchor), other interviews' answers to its question."""
    similar, searcher = state.similar_questions(), state.searcher()
    found: dict[str, list[dict[str, Any]]] = {}
    for docnum in searcher.document_numbers(article_id=article_id):
        near = similar.neighbours(docnum)[:NEIGHBOURS]
        if near:
            anchor = searcher.stored_fields(docnum)["anchor"]
            found[anchor] = [passage(searcher, d, alike) for d, alike in near]
    return found


def most_asked(state: Generation, limit: int = MOST_ASKED) -> dict[str, Any]:
    """The questions asked in most interviews, each with every answer to it."""
    similar, searcher = state.similar_questions(), state.searcher()
    listed = []
    for number, group in enumerate(similar.groups(limit)):
        passages = [passage(searcher, docnum) for docnum in group]
        # worded as the question most alike to the others of its group
        central = similar.central(number)
        listed.append(
            {
                "question": searcher.stored_fields(central).get("question", ""),
                "interviews": len({p["article_id"] for p in passages}),
                "passages": passages,
            }
        )
    return {"ok": True, "total": similar.total, "questions": listed}
