"""Fit the film and director models: logistic regression over each candidate's features.

A candidate is positive when it is one of the page's annotated films (or their aliases) or
directors. The threshold for naming a facet value is set on out-of-fold scores (folds by
outlet) as the lowest score at which the pages named so far, best first, are still right
at `TARGET_PRECISION`: precision first, a missing value being better than a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from benchmarks.choice import choice_probabilities, fit_choice
from benchmarks.realworld import Item, fold
from indexer.entities.choose import select
from indexer.entities.decide import MAX_DIRECTORS, MAX_FILMS
from indexer.linear import LinearModel, Models
from indexer.model import Article, Guess
from indexer.parse import parse_source
from indexer.read.sources import SourceError

# The precision the threshold is set for, above the target so that unseen pages keep it.
TARGET_PRECISION = 0.97
# Inverse regularisation strength: small data, many correlated features.
C = 0.5
L2 = 1.0
# Resamples for the threshold's estimate (fixed seed: the same pages give the same file).
BOOTSTRAP = 200
FOLDS = 5


def fit_entities(items: list[Item], models: Models) -> Models:
    """Add film and director models fitted on `items` to `models`."""
    articles = [(item, a) for item in items if (a := parsed(item)) is not None]
    film = fit_page_choice(
        "film", articles, lambda a: a.film_candidates, lambda i: i.films(), MAX_FILMS
    )
    director = fit_one(
        "director",
        articles,
        lambda a: a.director_candidates,
        lambda i: i.directors(),
        MAX_DIRECTORS,
    )
    return Models(film=film, director=director, block=models.block)


# Pages parsed for fitting, once per page. Candidates are read with the rules' turns alone:
# the block model changes few turns, and leave-one-outlet-out refits then reuse one parse.
PARSED: dict[str, Article | None] = {}


def parsed(item: Item) -> Article | None:
    """The page parsed with the rules choosing, every candidate keeping its features."""
    key = str(item.directory / item.id)
    if key not in PARSED:
        try:
            PARSED[key] = parse_source(item.source(), Models(), explain=True)
        except SourceError:
            PARSED[key] = None
    return PARSED[key]


def fit_one(
    name: str,
    articles: list[tuple[Item, Article]],
    candidates: Callable[[Article], list[Guess]],
    wanted: Callable[[Item], set[str]],
    limit: int,
) -> LinearModel | None:
    features = sorted({f for _, a in articles for g in candidates(a) for f in g.features})
    rows, labels, groups, owners = [], [], [], []
    for n, (item, article) in enumerate(articles):
        want = wanted(item)
        for guess in candidates(article):
            rows.append([guess.features.get(f, 0.0) for f in features])
            labels.append(fold(guess.value) in want)
            groups.append(item.outlet)
            owners.append(n)
    x, y = np.array(rows, dtype=float), np.array(labels, dtype=int)
    if len(set(labels)) < 2:
        return None
    scores = np.zeros(len(y))
    splits = min(FOLDS, len(set(groups)))
    for train, test in GroupKFold(n_splits=splits).split(x, y, groups):
        if len(set(y[train])) == 2:
            scores[test] = classifier().fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    threshold = pick_threshold(scores, y, np.array(owners), len(articles), limit)
    model = classifier().fit(x, y)
    return LinearModel(
        name=name,
        features=tuple(features),
        weights=model.coef_[0].astype(float),
        bias=float(model.intercept_[0]),
        threshold=threshold,
        meta={"pages": len(articles), "candidates": len(y), "target_precision": TARGET_PRECISION},
    )


def fit_page_choice(
    name: str,
    articles: list[tuple[Item, Article]],
    candidates: Callable[[Article], list[Guess]],
    wanted: Callable[[Item], set[str]],
    limit: int,
) -> LinearModel:
    """A choice model over each page's candidates, its threshold set out of fold."""
    features = sorted({f for _, a in articles for g in candidates(a) for f in g.features})
    pages = []
    for item, article in articles:
        guesses = candidates(article)
        x = np.array([[g.features.get(f, 0.0) for f in features] for g in guesses], dtype=float)
        x = x.reshape(len(guesses), len(features))
        right = np.array([fold(g.value) in wanted(item) for g in guesses], dtype=bool)
        pages.append((x, right))
    groups = [item.outlet for item, _ in articles]
    named: list[tuple[float, int]] = []
    splits = min(FOLDS, len(set(groups)))
    for train, test in GroupKFold(n_splits=splits).split(pages, groups=groups):
        w, b = fit_choice([pages[k] for k in train], len(features), L2)
        for k in test:
            x, right = pages[k]
            if len(right):
                p = choice_probabilities(x, w, b)
                order = np.argsort(-p, kind="stable")
                chosen, mass = select([float(p[k]) for k in order], limit)
                named += [(mass, int(right[order[k]])) for k in chosen]
    w, b = fit_choice(pages, len(features), L2)
    return LinearModel(
        name=name,
        features=tuple(features),
        weights=w,
        bias=b,
        threshold=threshold_for(named),
        choice=True,
        meta={"pages": len(pages), "target_precision": TARGET_PRECISION, "l2": L2},
    )


def threshold_for(named: list[tuple[float, int]]) -> float:
    """The median over bootstrap resamples of `lowest_threshold`: one error more or less
    among a few dozen pages moves a single estimate a long way, the median far less."""
    if not named:
        return 1.0
    rng = np.random.default_rng(0)
    picks = rng.integers(0, len(named), size=(BOOTSTRAP, len(named)))
    return float(np.median([lowest_threshold([named[k] for k in pick]) for pick in picks]))


def lowest_threshold(named: list[tuple[float, int]]) -> float:
    """The lowest score whose values, best first, are still right at the target precision."""
    named = sorted(named, key=lambda pair: -pair[0])
    threshold, right = 1.0, 0
    for count, (score, label) in enumerate(named, 1):
        right += label
        if right / count >= TARGET_PRECISION:
            threshold = score
    return threshold


def classifier() -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=2000)


def pick_threshold(
    scores: np.ndarray, labels: np.ndarray, owners: np.ndarray, pages: int, limit: int
) -> float:
    """The lowest threshold whose named values, best first, stay right at the target."""
    named: list[tuple[float, int]] = []
    for page in range(pages):
        mine = np.where(owners == page)[0]
        top = mine[np.argsort(-scores[mine])][:limit]
        named += [(float(scores[k]), int(labels[k])) for k in top]
    return threshold_for(named)
