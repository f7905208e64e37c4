"""Weigh candidates with a fitted model, veto the impossible, keep only confident values."""

from __future__ import annotations

from collections.abc import Callable

from indexer.linear import LinearModel
from indexer.model import Guess

Features = dict[str, dict[str, float]]


def rank(
    candidates: Features, model: LinearModel | None, veto: Callable[[str], str]
) -> list[Guess]:
    """Every candidate that passes the vetoes, best first, scored by the model (or, with no
    model, by the rules' own share of the evidence)."""
    guesses = []
    for value, features in candidates.items():
        if veto(value):
            continue
        if model is None:
            score, cue = features.get("rule_share", 0.0), "rules"
        else:
            score, cue = model.probability(features), strongest_cue(model, features)
        guesses.append(Guess(value, score, cue, features))
    return sorted(guesses, key=lambda g: (-g.score, g.value))


def strongest_cue(model: LinearModel, features: dict[str, float]) -> str:
    """The feature that pushed this candidate up the most."""
    contributions = {
        f: w * features.get(f, 0.0) for f, w in zip(model.features, model.weights, strict=True)
    }
    best = max(contributions, key=lambda f: contributions[f], default="")
    return best if contributions.get(best, 0.0) > 0 else ""


def confident(guesses: list[Guess], model: LinearModel | None, limit: int) -> list[str]:
    """The values to put in the facet: those at or above the model's threshold."""
    if model is None:
        return []
    return [g.value for g in guesses[:limit] if g.score >= model.threshold]


def explain(what: str, guesses: list[Guess], chosen: list[str], model: LinearModel | None) -> str:
    """One line for `inspect`: what was chosen and why, or why the facet stays empty."""
    if chosen:
        best = guesses[0]
        return f"{what} {chosen} chosen by the model (p={best.score:.2f}, cue: {best.cue})"
    if not guesses:
        return f"{what}: no candidate survived the checks"
    best = guesses[0]
    threshold = f" below the threshold {model.threshold:.2f}" if model else ""
    return f"{what} left empty: best guess {best.value!r} at p={best.score:.2f}{threshold}"
