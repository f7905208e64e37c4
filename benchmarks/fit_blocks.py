"""Fit the block model: P(a turn begins at this block) over the named block features.

The target comes from the annotations: a block begins a turn when an expected turn's
`starts_with` words open it (after its label, a dash or a question number). The rules'
reading of each page is computed once per run and cached, as `--loo` refits per outlet.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from benchmarks.realworld import Item
from indexer.dialogue.features import FEATURE_VERSION, NUMBERED, OPENING_DASH, block_features
from indexer.dialogue.interview import Reading, read_turns
from indexer.dialogue.labels import find_candidate
from indexer.linear import LinearModel, Models
from indexer.model import Block
from indexer.parse import page_hints
from indexer.read.extract import extract_document

# Regularisation of the logistic regression (inverse strength), and the probability at
# which the model's word overrides the rules (1 - CONFIDENT for a veto). Chosen on the
# leave-one-outlet-out figure of ../shared/realworld.
C = 3.0
CONFIDENT = 0.75

Example = tuple[list[dict[str, float]], list[int]]
_CACHE: dict[tuple[str, str], Example] = {}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_reading(item: Item) -> Reading:
    """The rules' reading of an annotated page, as the parser makes it."""
    source = item.source()
    doc = extract_document(source)
    hints, _ = page_hints(source, doc)
    return read_turns(doc, hints)


def openings(text: str) -> list[str]:
    """The ways a turn's text can begin in a block: as it is, after a label, a dash or a
    question number."""
    found = [text]
    cand = find_candidate(Block(text))
    if cand and cand.rest:
        found.append(cand.rest)
    for pattern in (OPENING_DASH, NUMBERED):
        if pattern.match(text):
            found.append(re.sub(r"^(?:[―—–-]+|\d{1,2}[.)])\s*", "", text))
    return [squash(x) for x in found]


def block_targets(reading: Reading, turns: list[dict[str, str]]) -> list[int]:
    """1 for each block an expected turn begins in, in document order, else 0."""
    heads = [openings(b.text) for b in reading.blocks]
    for s, lab in reading.labels.items():
        if lab.cand.rest:
            heads[s].append(squash(lab.cand.rest))
    targets = [0] * len(heads)
    cursor = 0
    for turn in turns:
        want = squash(turn["starts_with"])
        if not want:
            continue
        order = [*range(cursor, len(heads)), *range(0, cursor)]
        hit = next(
            (j for j in order if not targets[j] and any(h.startswith(want) for h in heads[j])),
            None,
        )
        if hit is not None:
            targets[hit] = 1
            cursor = hit + 1
    return targets


def page_examples(item: Item) -> Example:
    key = (str(item.directory), item.id)
    if key not in _CACHE:
        reading = page_reading(item)
        turns = item.expected["turns"] if item.expected["is_qa"] else []
        targets = block_targets(reading, turns)
        if 2 * sum(targets) < len(turns):
            # Most turns begin inside a block (flattened or hard-wrapped text): the blocks
            # cannot say where, so the page teaches nothing about blocks.
            _CACHE[key] = ([], [])
        else:
            _CACHE[key] = (block_features(reading), targets)
    return _CACHE[key]


def fit_blocks(items: list[Item], models: Models) -> Models:
    """Fit the block model on the pages' blocks and add it to the models."""
    from sklearn.linear_model import LogisticRegression

    rows: list[dict[str, float]] = []
    ys: list[int] = []
    for item in items:
        feats, targets = page_examples(item)
        rows += feats
        ys += targets
    names = sorted({name for row in rows for name in row})
    x = np.array([[row.get(n, 0.0) for n in names] for row in rows])
    y = np.array(ys)
    fitted = LogisticRegression(C=C, solver="lbfgs", max_iter=5000).fit(x, y)
    model = LinearModel(
        name="block",
        features=tuple(names),
        weights=fitted.coef_[0].copy(),
        bias=float(fitted.intercept_[0]),
        threshold=CONFIDENT,
        meta={"feature_version": FEATURE_VERSION, "pages": len(items), "blocks": len(rows)},
    )
    return replace(models, block=model)
