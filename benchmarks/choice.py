"""Fit a choice model: one softmax per page over its candidates and a "none" option.

Each page contributes -log P(a right candidate), or -log P(none) when none of its candidates
is right; an L2 penalty keeps the weights small. Minimised with L-BFGS from zero, so the
same pages always give the same weights.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

# Pages as (feature matrix of the candidates, boolean vector of the right ones).
Pages = list[tuple[np.ndarray, np.ndarray]]


def fit_choice(pages: Pages, dims: int, l2: float = 1.0) -> tuple[np.ndarray, float]:
    """Weights and bias maximising the chance of picking a right candidate (or none)."""

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        total = 0.5 * l2 * float(w @ w)
        grad = np.concatenate([l2 * w, [0.0]])
        for x, right in pages:
            z = x @ w + b
            top = max(0.0, float(z.max(initial=0.0)))
            e = np.exp(z - top)
            none = np.exp(-top)
            q = e / (none + e.sum())
            q_none = none / (none + e.sum())
            if right.any():
                target = q * right
                mass = target.sum()
            else:
                target = np.zeros_like(q)
                mass = q_none
            total -= float(np.log(max(mass, 1e-300)))
            r = target / mass if right.any() else target
            diff = q - r  # d loss / d z
            grad[:-1] += x.T @ diff
            grad[-1] += diff.sum()
        return total, grad

    start = np.zeros(dims + 1)
    result = minimize(loss, start, jac=True, method="L-BFGS-B")
    return result.x[:-1], float(result.x[-1])


def choice_probabilities(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    z = x @ w + b
    top = max(0.0, float(z.max(initial=0.0)))
    e = np.exp(z - top)
    return np.asarray(e / (np.exp(-top) + e.sum()))
