"""Linear models over named features: the numbers behind the parser's weighed decisions.

The code names the features; the weights are fitted on annotated pages by
`python -m benchmarks.fit_parser` and committed as small JSON files beside the stage that
uses them. A model missing from disk is `None`, and its stage falls back to its rules.
`LinearModel` scores one decision; `SequenceModel` labels a sequence of units.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

HERE = Path(__file__).parent
# Where each model's weights live, relative to the `indexer` package.
MODEL_FILES = {
    "film": "entities/film.weights.json",
    "director": "entities/director.weights.json",
    "turns": "dialogue/turns.weights.json",
    "subject": "dialogue/subject.weights.json",
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

    def probabilities(self, candidates: Sequence[Mapping[str, float]]) -> list[float]:
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
            # A feature that weighs nothing is left out: it cannot move a score.
            "weights": {
                f: round(float(w), 6)
                for f, w in zip(self.features, self.weights, strict=True)
                if round(float(w), 6)
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
class SequenceModel:
    """A linear-chain model: per-label linear scores over named features (a multinomial
    logistic regression), plus scores of one label following another, decoded by Viterbi."""

    labels: tuple[str, ...]
    features: tuple[str, ...]
    weights: np.ndarray  # labels x features
    bias: np.ndarray  # per label
    transitions: np.ndarray  # score of label b after label a, [a, b]
    start: np.ndarray  # score of the first unit's label
    boost: np.ndarray  # added to each label's log-probability before decoding
    meta: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def columns(self) -> dict[str, int]:
        return {f: n for n, f in enumerate(self.features)}

    def matrix(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        index = self.columns
        x = np.zeros((len(rows), len(self.features)))
        for r, row in enumerate(rows):
            for name, value in row.items():
                col = index.get(name)
                if col is not None:
                    x[r, col] = value
        return x

    def log_probs(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        """log P(label | unit) from the unit's own features, one row per unit."""
        z: np.ndarray = self.matrix(rows) @ self.weights.T + self.bias
        z -= z.max(axis=1, keepdims=True)
        result: np.ndarray = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return result

    def decode(self, rows: Sequence[Mapping[str, float]]) -> list[int]:
        """The best label sequence (Viterbi) under emissions and transitions."""
        return self.viterbi(self.log_probs(rows)) if rows else []

    def viterbi(self, log_probs: np.ndarray, lean: float = 0.0) -> list[int]:
        """The best label sequence for the units' `log_probs`; `lean` adds to the boost of
        every boosted label."""
        if not len(log_probs):
            return []
        emit = log_probs + self.boost + lean * (self.boost != 0)
        score = self.start + emit[0]
        back = np.zeros(emit.shape, dtype=int)
        for t in range(1, len(emit)):
            cand = score[:, None] + self.transitions
            back[t] = cand.argmax(axis=0)
            score = cand.max(axis=0) + emit[t]
        path = [int(score.argmax())]
        for t in range(len(emit) - 1, 0, -1):
            path.append(int(back[t, path[-1]]))
        return path[::-1]

    def cues(self, row: Mapping[str, float], label: int, count: int = 3) -> str:
        """The features that pushed this unit furthest towards its label."""
        pulls = self.weights[label] * self.matrix([row])[0]
        order = np.argsort(-np.abs(pulls))[:count]
        return ", ".join(f"{self.features[n]} {pulls[n]:+.1f}" for n in order if pulls[n])

    def to_json(self) -> dict[str, Any]:
        # A feature that weighs nothing for any label is left out: it cannot move a score.
        keep = [n for n in range(len(self.features)) if any(rounded(self.weights[:, n]))]
        return {
            "labels": list(self.labels),
            "bias": rounded(self.bias),
            "start": rounded(self.start),
            "boost": rounded(self.boost),
            "transitions": [rounded(row) for row in self.transitions],
            "weights": {self.features[n]: rounded(self.weights[:, n]) for n in keep},
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SequenceModel:
        weights: dict[str, list[float]] = data["weights"]
        labels = tuple(data["labels"])
        return cls(
            labels=labels,
            features=tuple(weights),
            weights=np.array(list(weights.values()), dtype=float).T.reshape(len(labels), -1),
            bias=np.array(data["bias"], dtype=float),
            transitions=np.array(data["transitions"], dtype=float),
            start=np.array(data["start"], dtype=float),
            boost=np.array(data["boost"], dtype=float),
            meta=dict(data.get("meta") or {}),
        )

    def dump(self, path: Path) -> None:
        text = json.dumps(self.to_json(), indent=1, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")


def rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in values]


@dataclass(frozen=True)
class Models:
    """Every fitted model the parser uses; a `None` model means 'use the rules alone'."""

    film: LinearModel | None = None
    director: LinearModel | None = None
    turns: SequenceModel | None = None
    subject: LinearModel | None = None


M = TypeVar("M", LinearModel, SequenceModel)


def load_model(name: str, kind: type[M], root: Path = HERE) -> M | None:
    path = root / MODEL_FILES[name]
    if not path.exists():
        return None
    return kind.from_json(json.loads(path.read_text(encoding="utf-8")))


@cache
def default_models() -> Models:
    """The committed weights, loaded once per process."""
    return Models(
        film=load_model("film", LinearModel),
        director=load_model("director", LinearModel),
        turns=load_model("turns", SequenceModel),
        subject=load_model("subject", LinearModel),
    )
