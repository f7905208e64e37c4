"""How alike the questions of different real interviews are: the data `SIMILAR` was set on.

    python benchmarks/similar_questions.py [DIR] [--show 0.4]

Parses the annotated pages (default `../shared/realworld`) as one corpus, indexes them into
a temporary directory, and prints how many pairs of questions from two different
interviews reach each cosine band, and how many groups `/questions` would list at the
threshold in force. `--show X` prints the pairs from X up, with their questions, to read
where "the same question" begins.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks.realworld import DEFAULT_DIR, load_items  # noqa: E402
from indexer.entities.corpus import agree_across_corpus  # noqa: E402
from indexer.indexing.alike import (  # noqa: E402
    SHARED_WORDS,
    SIMILAR,
    answered,
    content_words,
    pairs,
    question_postings,
)
from indexer.indexing.generation import swap_in, write_index  # noqa: E402
from indexer.linear import default_models  # noqa: E402
from indexer.parse import parse_source  # noqa: E402
from indexer.read.sources import SourceError  # noqa: E402
from webapp.search import SearchService  # noqa: E402

BANDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--show", type=float, help="print the pairs from this cosine up")
    args = parser.parse_args(argv)
    models = default_models()
    articles = []
    for item in load_items(args.directory):
        try:
            articles.append(parse_source(item.source(), models))
        except SourceError:
            continue
    agree_across_corpus(articles)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_index(articles, root / "gen-00000000000000000001")
        swap_in(root, root / "gen-00000000000000000001")
        service = SearchService(root)
        state = service.current()
        columns, searcher = state.columns(), state.searcher()
        eligible = answered(columns.live, columns.tier)
        texts: list[bytes] = []
        postings = question_postings(searcher.reader(), eligible, texts)
        first, second, alike = pairs(*postings)
        same = pairs(*postings, SIMILAR, SHARED_WORDS, content_words(texts))
        same_apart = int(np.count_nonzero(columns.article[same[0]] != columns.article[same[1]]))
        apart = columns.article[first] != columns.article[second]
        first, second, alike = first[apart], second[apart], alike[apart]
        print(f"{int(eligible.sum())} answered questions in {len(articles)} pages")
        for low, high in zip(BANDS, (*BANDS[1:], 1.01), strict=True):
            inside = int(np.count_nonzero((alike >= low) & (alike < high)))
            print(f"cosine {low:.1f}-{min(high, 1.0):.1f}: {inside} pairs")
        print(f"at SIMILAR = {SIMILAR}: {int(np.count_nonzero(alike >= SIMILAR))} pairs")
        print(f"...sharing {SHARED_WORDS}+ content words (the same question): {same_apart} pairs")
        if args.show is not None:
            for k in np.argsort(-alike):
                if alike[k] < args.show:
                    break
                a, b = (searcher.stored_fields(int(d)) for d in (first[k], second[k]))
                print(f"\n{alike[k]:.2f} {a['pid']} | {b['pid']}")
                print(f"  {a.get('question', '')[:160]}\n  {b.get('question', '')[:160]}")
        service.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
