"""One article read back from the index, as `filmsearch inspect --json` prints it."""

from __future__ import annotations

from typing import Any

from whoosh.searching import Searcher

from indexer.schema import FACETS

from .generation import Generation


def article(state: Generation, article_id: str) -> dict[str, Any] | None:
    """An article, or None when unknown; with whether it is counted and the other copies
    of its interview, when it was saved more than once."""
    group = state.copies().get(article_id, [article_id])
    with state.searcher() as searcher:
        docs = sorted(
            (searcher.stored_fields(n) for n in searcher.document_numbers(article_id=article_id)),
            key=lambda f: f["ordinal"],
        )
        copies = [copy_of(searcher, key, key == group[0]) for key in group if key != article_id]
    if not docs:
        return None
    passages = [
        {
            "anchor": f["anchor"],
            "kind": f["kind"],
            "question": f.get("question", ""),
            "answer": f.get("answer", ""),
            "speakers": list(f.get(FACETS["speaker"]) or ()),
            "turns": f.get("turns") or [],
        }
        for f in docs
    ]
    turns = [t for p in passages for t in p["turns"]]
    counted = group[0] == article_id
    meta = docs[0]["meta"]
    return {**meta, "turns": turns, "passages": passages, "counted": counted, "copies": copies}


def copy_of(searcher: Searcher, article_id: str, counted: bool) -> dict[str, Any]:
    """Another copy of an interview: its id, where it is saved and whether it is counted."""
    first = next(iter(searcher.document_numbers(article_id=article_id)), None)
    meta = searcher.stored_fields(first)["meta"] if first is not None else {}
    return {
        "id": article_id,
        "title": meta.get("title", ""),
        "publication": meta.get("publication", ""),
        "source": meta.get("source", ""),
        "url": meta.get("url", ""),
        "counted": counted,
    }
