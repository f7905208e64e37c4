"""Annotated pages (`../shared/realworld` and the development set) as the corpus would hold them."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from indexer.model import Source  # noqa: E402
from indexer.read.sources import read_source  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "realworld"


@dataclass
class Item:
    """One annotated page: its JSON record and the directory it lives in."""

    data: dict[str, Any]
    directory: Path

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def expected(self) -> dict[str, Any]:
        return dict(self.data["expected"])

    @property
    def outlet(self) -> str:
        """The group for leave-one-outlet-out: the publication, else the URL's host."""
        outlet = self.data.get("outlet") or ""
        if not outlet:
            outlet = re.sub(r"^(https?://)?(www\.)?", "", self.data.get("url") or "").split("/")[0]
        return same_key(outlet) or self.id

    def films(self) -> set[str]:
        """Every spelling of the expected films that counts as right."""
        wanted = [*self.expected["films"], *self.expected.get("film_aliases", [])]
        return {same_key(f) for f in wanted}

    def directors(self) -> set[str]:
        return {same_key(d) for d in self.expected["directors"]}

    def source(self, bare: bool = False) -> Source:
        """The page with a sidecar of only its url, outlet and language (none with `bare`)."""
        sidecar = {"url": self.data.get("url") or "", "publication": self.data.get("outlet") or ""}
        if self.data.get("language"):
            sidecar["language"] = self.data["language"]
        if bare:
            sidecar = {}
        for suffix in (".html", ".txt"):
            page = self.directory / f"{self.id}{suffix}"
            if "text" not in self.data and page.exists():
                source = read_source(page, self.directory)
                source.sidecar = sidecar
                return source
        return Source(
            path=self.directory / f"{self.id}.txt",
            article_id=self.id,
            format="text",
            text=self.data["text"],
            encoding="utf-8",
            sidecar=sidecar,
        )


def load_items(directory: Path = DEFAULT_DIR) -> list[Item]:
    items = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "expected" in data:
            items.append(Item(data, directory))
    return items


def same_key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive comparison key."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()
