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
    pages = [(x, right) for x, right in pages if len(right)]  # none is sure: no loss
    x_all = np.vstack([x for x, _ in pages]) if pages else np.zeros((0, dims))
    right_all = np.concatenate([r for _, r in pages]).astype(float) if pages else np.zeros(0)
    sizes = np.array([len(r) for _, r in pages])
    page_of = np.repeat(np.arange(len(pages)), sizes)
    has_right = np.array([bool(r.any()) for _, r in pages])

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        z = x_all @ w + b
        top = np.zeros(len(pages))  # each page's largest score, at least none's 0
        np.maximum.at(top, page_of, z)
        e = np.exp(z - top[page_of])
        none = np.exp(-top)
        total_e = none + np.bincount(page_of, weights=e, minlength=len(pages))
        q = e / total_e[page_of]
        q_none = none / total_e
        right_mass = np.bincount(page_of, weights=q * right_all, minlength=len(pages))
        mass = np.where(has_right, right_mass, q_none)
        total = 0.5 * l2 * float(w @ w) - float(np.log(np.maximum(mass, 1e-300)).sum())
        # d loss / d z: q minus the right candidates' share of the right mass
        target = np.where(has_right[page_of], q * right_all / np.maximum(mass[page_of], 1e-300), 0)
        diff = q - target
        grad = np.concatenate([l2 * w + x_all.T @ diff, [diff.sum()]])
        return total, grad

    start = np.zeros(dims + 1)
    result = minimize(loss, start, jac=True, method="L-BFGS-B")
    return result.x[:-1], float(result.x[-1])


def choice_probabilities(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    z = x @ w + b
    top = max(0.0, float(z.max(initial=0.0)))
    e = np.exp(z - top)
    return np.asarray(e / (np.exp(-top) + e.sum()))


def matrix(rows: list[dict[str, float]], names: list[str]) -> np.ndarray:
    """Candidates' named features as a matrix with a column per name."""
    return np.array([[row.get(n, 0.0) for n in names] for row in rows]).reshape(-1, len(names))


def best_threshold(chosen: list[tuple[float, bool, int]]) -> float:
    """The probability at or above which the top candidates, (probability, right, weight)
    on pages a model was not fitted on, make the most right choices less wrong ones."""
    best, best_gain = 1.0, 0
    for cut in sorted({p for p, _, _ in chosen}):
        gain = sum(n if ok else -n for p, ok, n in chosen if p >= cut)
        if gain > best_gain:
            best, best_gain = cut, gain
    return best


def out_of_fold(
    pages: Pages, groups: list[str], weights: list[int], dims: int, l2: float, folds: int = 10
) -> list[tuple[float, bool, int]]:
    """The top candidate of each page with its probability, whether it is right and the
    page's weight, from models fitted without the page's group (`folds` folds)."""
    fold_of = {g: k % folds for k, g in enumerate(sorted(set(groups)))}
    chosen: list[tuple[float, bool, int]] = []
    for k in range(folds):
        train = [p for p, g in zip(pages, groups, strict=True) if fold_of[g] != k]
        w, b = fit_choice(train, dims, l2)
        for (x, right), g, n in zip(pages, groups, weights, strict=True):
            if fold_of[g] == k and len(right):
                p = choice_probabilities(x, w, b)
                top = int(np.argmax(p))
                chosen.append((float(p[top]), bool(right[top]), n))
    return chosen
