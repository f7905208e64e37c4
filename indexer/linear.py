"""Linear models over named features: the numbers behind the parser's weighed decisions.

The code names the features; the weights are fitted on annotated pages by
`python -m benchmarks.fit_parser` and committed as small JSON files beside the stage that
uses them. A model missing from disk is `None`, and its stage falls back to its rules.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from indexer.dialogue.sequence import SequenceModel

HERE = Path(__file__).parent
# Where each model's weights live, relative to the `indexer` package.
MODEL_FILES = {
    "film": "entities/film.weights.json",
    "director": "entities/director.weights.json",
    "turns": "dialogue/turns.weights.json",
}


@dataclass(frozen=True)
class LinearModel:
    """A score z = bias + sum(weight[f] * value[f]) over named features.

    A plain model reads z as logistic regression: P(yes) = sigmoid(z). A `choice` model
    compares the candidates of one page: P(candidate i) = exp(z_i) / (1 + sum_j exp(z_j)),
    the 1 standing for "none of them", so a candidate is likely only when it beats both its
    rivals and the chance that the page names no such thing at all.
    """

    name: str
    features: tuple[str, ...]
    weights: np.ndarray
    bias: float
    threshold: float  # probability at or above which the decision is trusted
    choice: bool = False
    meta: dict[str, Any] = field(default_factory=dict)  # how it was fitted, for the record

    def vector(self, values: Mapping[str, float]) -> np.ndarray:
        return np.array([float(values.get(f, 0.0)) for f in self.features])

    def score(self, values: Mapping[str, float]) -> float:
        return self.bias + float(self.weights @ self.vector(values))

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.score(values)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def probabilities(self, candidates: list[Mapping[str, float]]) -> list[float]:
        """Each candidate's probability: alone, or against its rivals for a choice model."""
        if not self.choice or not candidates:
            return [self.probability(c) for c in candidates]
        z = np.array([self.score(c) for c in candidates])
        top = max(0.0, float(z.max()))
        e = np.exp(z - top)
        return [float(v) for v in e / (math.exp(-top) + e.sum())]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 6),
            "choice": self.choice,
            "weights": {
                f: round(float(w), 6) for f, w in zip(self.features, self.weights, strict=True)
            },
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinearModel:
        weights: dict[str, float] = data["weights"]
        return cls(
            name=data["name"],
            features=tuple(weights),
            weights=np.array(list(weights.values()), dtype=float),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            choice=bool(data.get("choice", False)),
            meta=dict(data.get("meta") or {}),
        )

    def dump(self, path: Path) -> None:
        text = json.dumps(self.to_json(), indent=1, ensure_ascii=False, sort_keys=False)
        path.write_text(text + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Models:
    """Every fitted model the parser uses; a `None` model means 'use the rules alone'."""

    film: LinearModel | None = None
    director: LinearModel | None = None
    turns: SequenceModel | None = None


def load_model(name: str, root: Path = HERE) -> Any:
    path = root / MODEL_FILES[name]
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return (SequenceModel if name == "turns" else LinearModel).from_json(data)


@cache
def default_models() -> Models:
    """The committed weights, loaded once per process."""
    return Models(**{name: load_model(name) for name in MODEL_FILES})
