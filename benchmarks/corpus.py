"""The indexed passages, read back from our index so every engine gets the same ones."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index

from indexer.schema import FACETS, current_generation

TEXT = ("title", "question", "answer")
QUERY_ONLY = ("film", "director", "speaker", "interviewer", "publication")


@dataclass
class Passage:
    """One passage's searchable text and facet values."""

    pid: str
    text: dict[str, str]  # title, question, answer and the field-query texts
    facets: dict[str, list[str]]
    date: int


def read_passages(index_root: Path) -> Iterator[Passage]:
    """Every live passage of the current generation, in document order."""
    generation = current_generation(index_root)
    if generation is None:
        raise FileNotFoundError(f"no index at {index_root}")
    ix = index.open_dir(str(generation))
    with ix.searcher() as searcher:
        for _, fields in searcher.reader().iter_docs():
            meta = fields["meta"]
            facets = {name: list(fields.get(f) or ()) for name, f in FACETS.items()}
            text = {name: fields.get(name, "") for name in TEXT}
            text |= {
                "film": " ".join(facets["film"]),
                "director": " ".join(facets["director"]),
                "speaker": " ".join(facets["speaker"]),
                "interviewer": " ".join(facets["interviewer"]),
                "publication": meta.get("publication", ""),
            }
            date = meta.get("date", "")[:10].replace("-", "")
            yield Passage(fields["pid"], text, facets, int(date) if date.isdigit() else 0)
    ix.close()
