"""Measure the parser against annotated real-world interview excerpts.

Usage: python benchmarks/parse_accuracy.py [--bare] [DIR]   (DIR defaults to ../shared/realworld;
tests/fixtures/devset is a second, independent set in the same schema)

Each `<id>.json` in DIR is one item (see DIR/README.md). Text items are parsed through the
plain-text path, items with `<id>.html` or `<id>.txt` beside them (and no `text`) are read
from that file as the corpus would read it. Only what a
sidecar could plausibly state is passed in: the page's `url`, its `outlet` as the
publication and its `language`; the expected answers never are. With `--bare` not even
that: each page is parsed alone, as `filmsearch inspect` reads a file without a sidecar.

Figures:
- is_qa: share of items whose `is_qa` matches.
- turn recall: expected turns found; a turn is found when a parsed turn's text starts with
  its `starts_with` words (whitespace-normalised), each parsed turn matching at most once.
- turn precision: parsed turns that match an expected turn, over all parsed turns.
- speaker / role: over found turns, the parsed speaker (case-, accent- and punctuation-
  insensitive) and role equal the expected ones.
- film / director: an item scores when some expected value is among the parsed values
  (same insensitive comparison). Items whose expected list is empty (career interviews,
  unnamed directors) cannot score by that definition, so they are left out of these two
  figures; how often the parser also returned nothing for them is reported as
  `film_empty_agreement` / `director_empty_agreement`.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.model import Article, Source  # noqa: E402
from indexer.parse import parse_source  # noqa: E402
from indexer.read.sources import SourceError, read_source  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "realworld"
TARGETS = {
    "is_qa": 0.95,
    "turn_recall": 0.95,
    "turn_precision": 0.90,
    "speaker": 0.95,
    "role": 0.97,
    "film": 0.90,
    "director": 0.90,
}


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive comparison key."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def item_source(item: dict[str, Any], directory: Path, bare: bool = False) -> Source:
    """The item as the corpus would hold it, with a sidecar of url, outlet and language."""
    sidecar = {"url": item.get("url") or "", "publication": item.get("outlet") or ""}
    if item.get("language"):
        sidecar["language"] = item["language"]
    if bare:
        sidecar = {}
    for suffix in (".html", ".txt"):
        page = directory / f"{item['id']}{suffix}"
        if "text" not in item and page.exists():
            source = read_source(page, directory)
            source.sidecar = sidecar
            return source
    return Source(
        path=directory / f"{item['id']}.txt",
        article_id=item["id"],
        format="text",
        text=item["text"],
        encoding="utf-8",
        sidecar=sidecar,
    )


def score_item(item: dict[str, Any], article: Article, totals: dict[str, Any]) -> None:
    """Add one item's counts to the totals and record its misses."""
    expected = item["expected"]
    misses: list[dict[str, Any]] = totals["misses"]
    ident = item["id"]
    totals["items"] += 1
    if article.is_qa == expected["is_qa"]:
        totals["is_qa_ok"] += 1
    else:
        misses.append({"id": ident, "what": "is_qa", "expected": expected["is_qa"]})
    parsed = article.turns
    used: set[int] = set()
    cursor = 0
    for want in expected["turns"]:
        totals["turns_expected"] += 1
        prefix = squash(want["starts_with"])
        match = None
        # Prefer the next match in document order, then any unused one.
        order = [*range(cursor, len(parsed)), *range(0, cursor)]
        for k in order:
            if k not in used and squash(parsed[k].text).startswith(prefix):
                match = k
                break
        if match is None:
            misses.append({"id": ident, "what": "turn not found", "turn": want["starts_with"]})
            continue
        used.add(match)
        cursor = match + 1
        totals["turns_found"] += 1
        got = parsed[match]
        for what, wanted, found in (
            ("speaker", want["speaker"], got.speaker),
            ("role", want["role"], got.role),
        ):
            if fold(found) == fold(wanted):
                totals[f"{what}_ok"] += 1
            else:
                misses.append(
                    {
                        "id": ident,
                        "what": what,
                        "turn": prefix[:50],
                        "expected": expected,
                        "got": found,
                    }
                )
    totals["turns_parsed"] += len(parsed)
    totals["turns_matched"] += len(used)
    for k, turn in enumerate(parsed):
        if k not in used:
            misses.append(
                {
                    "id": ident,
                    "what": "extra turn",
                    "got": f"{turn.speaker}: {squash(turn.text)[:60]}",
                }
            )
    for field in ("films", "directors"):
        want_values = {fold(v) for v in expected[field]}
        got_values = {fold(v) for v in getattr(article, field)}
        name = field[:-1]
        if not want_values:
            totals[f"{name}_empty"] += 1
            totals[f"{name}_empty_ok"] += not got_values
            continue
        totals[f"{name}_items"] += 1
        if want_values & got_values:
            totals[f"{name}_ok"] += 1
        else:
            misses.append(
                {
                    "id": ident,
                    "what": name,
                    "expected": expected[field],
                    "got": getattr(article, field),
                }
            )


def ratio(num: int, den: int) -> float:
    return round(num / den, 3) if den else 1.0


def run(directory: Path, bare: bool = False) -> dict[str, Any]:
    """Parse and score every item in `directory`; return the figures and misses."""
    totals: dict[str, Any] = {"misses": []}
    for key in (
        "items is_qa_ok turns_expected turns_found turns_parsed turns_matched "
        "speaker_ok role_ok film_items film_ok director_items director_ok film_empty "
        "film_empty_ok director_empty director_empty_ok"
    ).split():
        totals[key] = 0
    for path in sorted(directory.glob("*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        if "expected" not in item:
            continue
        try:
            article = parse_source(item_source(item, directory, bare))
        except SourceError as exc:
            totals["misses"].append({"id": item["id"], "what": "unreadable", "reason": exc.reason})
            article = Article(id=item["id"], source=str(path))
        score_item(item, article, totals)
    return {
        "items": totals["items"],
        "is_qa": ratio(totals["is_qa_ok"], totals["items"]),
        "turn_recall": ratio(totals["turns_found"], totals["turns_expected"]),
        "turn_precision": ratio(totals["turns_matched"], totals["turns_parsed"]),
        "speaker": ratio(totals["speaker_ok"], totals["turns_found"]),
        "role": ratio(totals["role_ok"], totals["turns_found"]),
        "film": ratio(totals["film_ok"], totals["film_items"]),
        "director": ratio(totals["director_ok"], totals["director_items"]),
        "film_empty_agreement": f"{totals['film_empty_ok']}/{totals['film_empty']}",
        "director_empty_agreement": f"{totals['director_empty_ok']}/{totals['director_empty']}",
        "counts": {k: v for k, v in totals.items() if k != "misses"},
        "misses": totals["misses"],
    }


def main(argv: list[str]) -> int:
    bare = "--bare" in argv
    args = [a for a in argv[1:] if a != "--bare"]
    directory = Path(args[0]) if args else DEFAULT_DIR
    if not directory.is_dir():
        print(f"no such directory: {directory}", file=sys.stderr)
        return 2
    result = run(directory, bare)
    print(f"{result['items']} items from {directory}")
    for key, target in TARGETS.items():
        flag = "ok " if result[key] >= target else "LOW"
        print(f"  {flag} {key:<15} {result[key]:.3f}  (target {target:.2f})")
    print(
        f"  film: empty expected lists agreed {result['film_empty_agreement']}; "
        f"director: {result['director_empty_agreement']}"
    )
    print(f"  misses: {len(result['misses'])}")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
