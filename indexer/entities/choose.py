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
    kept = {value: features for value, features in candidates.items() if not veto(value)}
    if model is None:
        scores = [f.get("rule_share", 0.0) for f in kept.values()]
    else:
        scores = model.probabilities(list(kept.values()))
    guesses = [
        Guess(value, score, strongest_cue(model, features) if model else "rules", features)
        for (value, features), score in zip(kept.items(), scores, strict=True)
    ]
    return sorted(guesses, key=lambda g: (-g.score, g.value))


def strongest_cue(model: LinearModel, features: dict[str, float]) -> str:
    """The feature that pushed this candidate up the most."""
    contributions = {
        f: w * features.get(f, 0.0) for f, w in zip(model.features, model.weights, strict=True)
    }
    best = max(contributions, key=lambda f: contributions[f], default="")
    return best if contributions.get(best, 0.0) > 0 else ""


# In a choice model, co-directors share the probability: a runner-up with at least this
# share of the best candidate's probability goes with it.
SHARED = 0.5


def select(scores: list[float], limit: int) -> tuple[list[int], float]:
    """For a choice model's scores, best first: the best candidate and the runners-up that
    share its probability (co-directors do), and the probability they hold together."""
    if not scores:
        return [], 0.0
    chosen = [k for k, s in enumerate(scores[:limit]) if s >= SHARED * scores[0]]
    return chosen, sum(scores[k] for k in chosen)


def confident(guesses: list[Guess], model: LinearModel | None, limit: int) -> list[str]:
    """The values to put in the facet: those the model is confident of."""
    if model is None:
        return []
    if not model.choice:
        return [g.value for g in guesses[:limit] if g.score >= model.threshold]
    chosen, mass = select([g.score for g in guesses], limit)
    return [guesses[k].value for k in chosen] if mass >= model.threshold else []


def explain(what: str, guesses: list[Guess], chosen: list[str], model: LinearModel | None) -> str:
    """One line for `inspect`: what was chosen and why, or why the facet stays empty."""
    if chosen:
        best = guesses[0]
        return f"{what} {chosen} chosen by the model (p={best.score:.2f}, cue: {best.cue})"
    if not guesses:
        return f"{what}: no candidate survived the checks"
    best = guesses[0]
    if model and best.score >= model.threshold:
        return f"{what} left empty: best guess {best.value!r} at p={best.score:.2f} unconfirmed"
    threshold = f" below the threshold {model.threshold:.2f}" if model else ""
    return f"{what} left empty: best guess {best.value!r} at p={best.score:.2f}{threshold}"
