"""Measure the parser against annotated real-world pages, plainly and leave-one-outlet-out.

Usage: python benchmarks/parse_accuracy.py [DIR] [--bare] [--loo | --loo-dialogue] [--folds=N]
                                          [--films-csv] [--catalogue=PATH] [--one-by-one]
                                          [--by] [--misses]

DIR defaults to ../shared/realworld (tests/fixtures/devset is the development set the
rules were written against). Each page is parsed with a sidecar of only its `url`, its
`outlet` as the publication and its `language`; with `--bare`, alone. `--loo` refits the
parser's weights once per outlet on every other outlet's pages (`benchmarks/fit_parser.py`)
and scores that outlet with them: the figure that predicts unseen pages; `--loo-dialogue`
refits only the subject and turn models that way (minutes rather than an hour), the
entities keeping their committed weights. `--folds=N` refits once per group of outlets
(N groups) rather than once per outlet: `--loo-dialogue --folds=10` takes a few minutes.
`--by` adds the figures per label style and per script (English,
other Latin-script languages, other scripts). `--films-csv`
gives the parser a curator's list of the collection's films (every film and director the
annotations name), as `corpus/films.csv` would; `--catalogue=PATH` (or the environment's
FILMSEARCH_CATALOGUE) links films to a film catalogue (`filmsearch films import`). The
items are read as one corpus, so articles about the same film settle each other's unsure
facets, as in an index build;
`--one-by-one` scores each page alone.

Figures:
- is_qa: share of items whose `is_qa` matches.
- turn recall: expected turns found; a turn is found when a parsed turn's text starts with
  its `starts_with` words (whitespace-normalised), each parsed turn matching at most once.
- turn precision: parsed turns that match an expected turn, over all parsed turns.
- speaker / role: over found turns, the parsed speaker and role equal the expected ones.
- film / director found: items whose expected list is not empty and where some expected
  value (or film alias) is among the facet values.
- film / director precision: facet values that are right, over all facet values named
  (a value named for an item that expects none is wrong).
- film / director guess: the first candidate is right (items with an expected value).
- headline: the article's title equals the visible headline (items that show one).
All comparisons are case-, accent- and punctuation-insensitive.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.realworld import DEFAULT_DIR, Item, load_items, same_key  # noqa: E402
from indexer.entities.catalog import Catalog, KnownFilm  # noqa: E402
from indexer.entities.corpus import agree_across_corpus  # noqa: E402
from indexer.entities.filmdb import FilmDatabase  # noqa: E402
from indexer.linear import Models, default_models  # noqa: E402
from indexer.model import Article  # noqa: E402
from indexer.parse import parse_source  # noqa: E402
from indexer.read.extract import extract_document  # noqa: E402
from indexer.read.sources import SourceError  # noqa: E402

TARGETS = {
    "is_qa": 0.93,
    "turn_recall": 0.88,
    "turn_precision": 0.93,
    "speaker": 0.90,
    "role": 0.97,
    "headline": 0.85,
    "film_found": 0.60,
    "film_precision": 0.95,
    "director_found": 0.70,
    "director_precision": 0.95,
    "film_guess": 0.75,
    "director_guess": 0.85,
}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def score_turns(item: Item, article: Article, totals: Counter[str], misses: list[Any]) -> None:
    expected = item.expected
    parsed = article.turns
    used: set[int] = set()
    cursor = 0
    for want in expected["turns"]:
        totals["turns_expected"] += 1
        prefix = squash(want["starts_with"])
        # Prefer the next match in document order, then any unused one.
        order = [*range(cursor, len(parsed)), *range(0, cursor)]
        match = next(
            (k for k in order if k not in used and squash(parsed[k].text).startswith(prefix)),
            None,
        )
        if match is None:
            misses.append({"id": item.id, "what": "turn not found", "turn": want["starts_with"]})
            continue
        used.add(match)
        cursor = match + 1
        totals["turns_found"] += 1
        got = parsed[match]
        for what, wanted, found in (
            ("speaker", want["speaker"], got.speaker),
            ("role", want["role"], got.role),
        ):
            if same_key(found) == same_key(wanted):
                totals[f"{what}_ok"] += 1
            else:
                miss = {"id": item.id, "what": what, "turn": prefix[:50]}
                misses.append({**miss, "expected": wanted, "got": found})
    totals["turns_parsed"] += len(parsed)
    totals["turns_matched"] += len(used)
    for k, turn in enumerate(parsed):
        if k not in used:
            got = f"{turn.speaker}: {squash(turn.text)[:60]}"
            misses.append({"id": item.id, "what": "extra turn", "got": got})


def score_item(item: Item, article: Article, totals: Counter[str], misses: list[Any]) -> None:
    """Add one item's counts to the totals and record its misses."""
    expected = item.expected
    totals["items"] += 1
    if article.is_qa == expected["is_qa"]:
        totals["is_qa_ok"] += 1
    else:
        misses.append({"id": item.id, "what": "is_qa", "expected": expected["is_qa"]})
    score_turns(item, article, totals, misses)
    if item.data.get("title"):
        totals["headline_items"] += 1
        if same_key(article.title) == same_key(item.data["title"]):
            totals["headline_ok"] += 1
        else:
            miss = {"id": item.id, "what": "headline", "expected": item.data["title"]}
            misses.append({**miss, "got": article.title})
    for name, want, got, guesses in (
        ("film", item.films(), article.films, article.film_candidates),
        ("director", item.directors(), article.directors, article.director_candidates),
    ):
        right = [v for v in got if same_key(v) in want]
        totals[f"{name}_named"] += len(got)
        totals[f"{name}_right"] += len(right)
        if want:
            totals[f"{name}_items"] += 1
            totals[f"{name}_found"] += bool(right)
            totals[f"{name}_guess"] += bool(guesses) and same_key(guesses[0].value) in want
        if (want and not right) or len(right) < len(got):
            best = [f"{g.value} ({g.score:.2f})" for g in guesses[:3]]
            wanted = expected[f"{name}s"]
            misses.append(
                {"id": item.id, "what": name, "expected": wanted, "got": got, "best": best}
            )


def ratio(num: int, den: int) -> float:
    return round(num / den, 3) if den else 1.0


def figures(totals: Counter[str]) -> dict[str, float]:
    t = totals
    return {
        "is_qa": ratio(t["is_qa_ok"], t["items"]),
        "turn_recall": ratio(t["turns_found"], t["turns_expected"]),
        "turn_precision": ratio(t["turns_matched"], t["turns_parsed"]),
        "speaker": ratio(t["speaker_ok"], t["turns_found"]),
        "role": ratio(t["role_ok"], t["turns_found"]),
        "headline": ratio(t["headline_ok"], t["headline_items"]),
        "film_found": ratio(t["film_found"], t["film_items"]),
        "film_precision": ratio(t["film_right"], t["film_named"]),
        "director_found": ratio(t["director_found"], t["director_items"]),
        "director_precision": ratio(t["director_right"], t["director_named"]),
        "film_guess": ratio(t["film_guess"], t["film_items"]),
        "director_guess": ratio(t["director_guess"], t["director_items"]),
    }


def films_csv(items: list[Item]) -> Catalog:
    """A curator's list of the collection: every film and director the annotations name."""
    films = []
    for item in items:
        titles = item.expected["films"]
        for title in titles:
            others = item.expected.get("film_aliases", []) if len(titles) == 1 else []
            films.append(KnownFilm(title, "", tuple(item.expected["directors"]), tuple(others)))
    return Catalog.of(films)


def run(
    items: list[Item],
    models_for: Callable[[Item], Models],
    bare: bool = False,
    catalog: Catalog | None = None,
    corpus: bool = True,
    filmdb: FilmDatabase | None = None,
) -> dict[str, Any]:
    """Parse and score every item with the models `models_for` gives it; with `corpus`,
    the items are one corpus and what articles agree on settles the unsure ones."""
    totals: Counter[str] = Counter()
    misses: list[Any] = []
    articles: list[Article] = []
    for item in items:
        try:
            source = item.source(bare)
            articles.append(parse_source(source, models_for(item), catalog, filmdb=filmdb))
        except SourceError as exc:
            misses.append({"id": item.id, "what": "unreadable", "reason": exc.reason})
            articles.append(Article(id=item.id, source=item.id))
    if corpus:
        agree_across_corpus(articles)
    for item, article in zip(items, articles, strict=True):
        score_item(item, article, totals, misses)
    return {"items": totals["items"], **figures(totals), "counts": dict(totals), "misses": misses}


def leave_one_outlet_out(
    items: list[Item], fit: Callable[[list[Item]], Models] | None = None, folds: int = 0
) -> Callable[[Item], Models]:
    """Models fitted once per outlet on every other outlet's pages, by `fit` (every
    model, by default); with `folds`, once per group of outlets (`folds` groups)."""
    from benchmarks.fit_parser import fit_models

    fit = fit or fit_models
    outlets = sorted({i.outlet for i in items})
    group = {o: (k % folds if folds else k) for k, o in enumerate(outlets)}
    fitted: dict[int, Models] = {}
    groups = sorted(set(group.values()))
    for n, g in enumerate(groups, 1):
        print(f"\r  fitting without outlet group {n}/{len(groups)}", end="", file=sys.stderr)
        fitted[g] = fit([i for i in items if group[i.outlet] != g])
    print(file=sys.stderr)
    return lambda item: fitted[group[item.outlet]]


def fit_dialogue_only(items: list[Item]) -> Models:
    """The committed models with the subject and turn models refitted on `items`."""
    from benchmarks.fit_subject import fit_subject
    from benchmarks.fit_turns import fit_turns

    return fit_turns(items, fit_subject(items, default_models()))


def committed(_: Item) -> Models:
    return default_models()


def script_group(item: Item) -> str:
    """English, another language in Latin script, or another script (by the page's letters)."""
    if (item.data.get("language") or "en") == "en":
        return "English"
    blocks = extract_document(item.source()).blocks
    letters = [c for b in blocks for c in b.text if c.isalpha()]
    latin = sum("LATIN" in unicodedata.name(c, "") for c in letters)
    return "other Latin-script" if 2 * latin >= len(letters) else "other scripts"


def by_group(items: list[Item], models_for: Callable[[Item], Models], bare: bool) -> None:
    """The dialogue figures per label style and per script."""
    keys: list[Callable[[Item], str]] = [lambda i: i.expected["label_format"], script_group]
    for key in keys:
        groups: dict[str, list[Item]] = {}
        for item in items:
            groups.setdefault(key(item), []).append(item)
        for name, group in sorted(groups.items()):
            r = run(group, models_for, bare, corpus=False)
            print(
                f"  {name:<20} {len(group):>3} pages  is_qa {r['is_qa']:.2f}  "
                f"recall {r['turn_recall']:.2f}  precision {r['turn_precision']:.2f}  "
                f"speaker {r['speaker']:.2f}  role {r['role']:.2f}"
            )


def main(argv: list[str]) -> int:
    flags = {a for a in argv[1:] if a.startswith("--")}
    args = [a for a in argv[1:] if not a.startswith("--")]
    directory = Path(args[0]) if args else DEFAULT_DIR
    if not directory.is_dir():
        print(f"no such directory: {directory}", file=sys.stderr)
        return 2
    items = load_items(directory)
    models_for = committed
    folds = int(next((a.split("=", 1)[1] for a in flags if a.startswith("--folds=")), 0))
    if "--loo" in flags:
        models_for = leave_one_outlet_out(items, folds=folds)
    elif "--loo-dialogue" in flags:
        models_for = leave_one_outlet_out(items, fit_dialogue_only, folds)
    catalog = films_csv(items) if "--films-csv" in flags else None
    given = [a.split("=", 1)[1] for a in flags if a.startswith("--catalogue=")]
    known = next(iter(given), os.environ.get("FILMSEARCH_CATALOGUE", ""))
    filmdb = FilmDatabase(known, readonly=True) if known else None
    one_corpus = "--one-by-one" not in flags
    result = run(items, models_for, "--bare" in flags, catalog, one_corpus, filmdb)
    how = "committed weights"
    if "--loo" in flags or "--loo-dialogue" in flags:
        dialogue = "--loo-dialogue" in flags
        how = f"{folds} folds by outlet" if folds else "leave-one-outlet-out"
        how += ", the dialogue models" if dialogue else ""
    print(
        f"{result['items']} items from {directory} ({how})"
        + (f", catalogue {known}" if known else "")
    )
    for key, target in TARGETS.items():
        flag = "ok " if result[key] >= target else "LOW"
        print(f"  {flag} {key:<19} {result[key]:.3f}  (target {target:.2f})")
    print(f"  misses: {len(result['misses'])}")
    if "--by" in flags:
        by_group(items, models_for, "--bare" in flags)
    if "--misses" in flags:
        print(json.dumps(result["misses"], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
