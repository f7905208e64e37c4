"""Compare main-content extractors on the saved real-world HTML pages.

Usage: python benchmarks/extractors.py [DIR]   (needs trafilatura and readability-lxml)

Each extractor produces the body blocks; metadata extraction and everything after it
(labels, turns, entities) are the same for all of them, so the difference in the scores
is the difference in the body text each one keeps. Scores use the definitions of
`parse_accuracy.py`, over the items that have a saved `.html` page.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import indexer.read.extract as extract  # noqa: E402
from benchmarks.parse_accuracy import figures, score_item  # noqa: E402
from benchmarks.realworld import DEFAULT_DIR, load_items  # noqa: E402
from indexer.model import Block  # noqa: E402
from indexer.parse import parse_source  # noqa: E402

# trafilatura's XML formatting tags, renamed to the HTML our block walker reads.
TRAFILATURA_TAGS = {"head": "h3", "item": "li", "list": "ul", "quote": "blockquote", "lb": "br"}


ORIGINAL_EXTRACT_HTML = extract.extract_html


def own_rules(html: str) -> list[Block]:
    """The BeautifulSoup rules of `indexer.read.extract`."""
    return ORIGINAL_EXTRACT_HTML(html).blocks


def with_trafilatura(html: str) -> list[Block]:
    """trafilatura's main text, formatting kept (bold as <hi rend="#b">)."""
    import trafilatura

    xml = trafilatura.extract(
        html, output_format="xml", include_formatting=True, include_comments=False
    )
    if not xml:
        return []
    soup = BeautifulSoup(xml, "lxml-xml")
    for tag in soup.find_all(True):
        rend = str(tag.get("rend") or "")
        if tag.name == "hi":
            tag.name = "b" if "b" in rend else "i"
        else:
            tag.name = TRAFILATURA_TAGS.get(tag.name, tag.name)
    html_soup = BeautifulSoup(str(soup.find("main") or soup), "lxml")
    return list(extract.html_blocks(html_soup.body or html_soup))


def with_readability(html: str) -> list[Block]:
    """readability-lxml's summary (it keeps <b>/<strong> inside paragraphs)."""
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    soup = BeautifulSoup(summary, "lxml")
    return list(extract.html_blocks(soup.body or soup))


def run(directory: Path, body: Callable[[str], list[Block]]) -> dict[str, Any]:
    """Score every saved page with `body` as the block extractor."""
    original = ORIGINAL_EXTRACT_HTML

    def patched(html: str, *hints: str) -> Any:
        doc = original(html, *hints)
        doc.blocks = body(html)
        return doc

    totals: Counter[str] = Counter()
    misses: list[Any] = []
    extract.extract_html = patched
    try:
        for item in load_items(directory):
            if "text" in item.data or not (directory / f"{item.id}.html").exists():
                continue
            score_item(item, parse_source(item.source()), totals, misses)
    finally:
        extract.extract_html = original
    return {"pages": totals["items"], **figures(totals), "misses": len(misses)}


def main(argv: list[str]) -> int:
    directory = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    results = {}
    for name, body in (
        ("own BeautifulSoup rules", own_rules),
        ("trafilatura (formatting kept)", with_trafilatura),
        ("readability-lxml", with_readability),
    ):
        try:
            started = time.perf_counter()
            results[name] = run(directory, body)
            results[name]["seconds"] = round(time.perf_counter() - started, 2)
        except ImportError as exc:
            results[name] = {"error": f"not installed: {exc.name}"}
    for name, scores in results.items():
        print(f"{name:32} {scores}")
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
