"""Fit the parser's weights on annotated pages and write them beside the code that uses them.

Usage: python -m benchmarks.fit_parser [DIR]   (DIR defaults to ../shared/realworld)

Needs the `fit` extra (scikit-learn). The same pages give the same files: every fitter is
deterministic (fixed solver, no random state), and the output is rounded JSON.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fit_entities import fit_entities  # noqa: E402
from benchmarks.fit_subject import fit_subject  # noqa: E402
from benchmarks.fit_turns import fit_turns  # noqa: E402
from benchmarks.realworld import DEFAULT_DIR, Item, load_items  # noqa: E402
from indexer.linear import HERE, MODEL_FILES, Models  # noqa: E402

# Each fitter sees the pages and the models fitted before it (later stages read earlier
# stages' output) and returns the models with its own added.
Fitter = Callable[[list[Item], Models], Models]
FITTERS: list[Fitter] = [fit_subject, fit_turns, fit_entities]


def fit_models(items: list[Item]) -> Models:
    models = Models()
    for fitter in FITTERS:
        models = fitter(items, models)
    return models


def main(argv: list[str]) -> int:
    directory = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    models = fit_models(load_items(directory))
    for name, path in MODEL_FILES.items():
        model = getattr(models, name)
        if model is not None:
            model = replace(model, meta={**model.meta, "fitted_on": directory.name})
            model.dump(HERE / path)
            print(f"wrote {path}: {len(model.to_json()['weights'])} features")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
