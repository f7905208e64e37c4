"""Fit the turn model: a label per unit (other, continues, asks, answers) over the named
unit features, and the scores of one label following another.

The targets come from the annotations: a unit begins a turn when an expected turn's
`starts_with` words open it (after its label, a dash or a question number), asking or
answering by the turn's role; the units after a start continue it, the units before the
first start are other. A page whose turns mostly begin inside a unit (run-together text)
cannot say where its units belong and teaches nothing. Each labelled plain-text page is
also taught a second time with its labels taken out (`unlabelled`): the same interview as
a page whose questions and answers carry none, the layout the labelled pages teach least.
The readings of the pages are cached per run, as `--loo` refits once per outlet.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np

from benchmarks.parse_accuracy import squash
from benchmarks.realworld import ROOT, Item, load_items
from indexer.dialogue.features import FEATURE_VERSION, unit_features
from indexer.dialogue.interview import Reading, read_turns
from indexer.dialogue.labels import find_candidate
from indexer.dialogue.questions import TURN_MARK
from indexer.dialogue.sequence import ANSWERS, ASKS, CLASSES, CONTINUES, OTHER
from indexer.linear import LinearModel, Models, SequenceModel
from indexer.model import INTERVIEWER, Block
from indexer.parse import page_hints
from indexer.read.extract import extract_document

# Inverse regularisation strength of the logistic regression, and the weight of the
# transition scores against the emissions; chosen by leave-one-outlet-out on
# ../shared/realworld.
C = 1.0
TRANSITION_WEIGHT = 1.0
BOOST = 0.5  # added to the log-probabilities of the labels that begin a turn
SMOOTHING = 1.0  # added to every transition count
# A labelled page is taught unlabelled when at least this share of its turns' labels were
# found at the start of a line and taken out (the rest would leave a mixed page).
STRIPPED_SHARE = 0.8
UNLABELLED_STYLES = ("unlabeled_questions", "narrative")  # pages with no labels to take out

DEVSET = ROOT / "tests" / "fixtures" / "devset"

Example = tuple[list[dict[str, float]], list[int]]
_CACHE: dict[tuple[str, str], Example] = {}


def page_reading(item: Item, subject: LinearModel | None = None) -> Reading:
    """The rules' reading of an annotated page, as the parser makes it."""
    source = item.source()
    doc = extract_document(source)
    hints, _ = page_hints(source, doc)
    return read_turns(doc, hints, subject)


def openings(text: str) -> list[str]:
    """The ways a turn's text can begin in a unit: as it is, after a label, a dash or a
    question number."""
    found = [text]
    cand = find_candidate(Block(text))
    if cand and cand.rest:
        found.append(cand.rest)
    if TURN_MARK.match(text):
        found.append(TURN_MARK.sub("", text))
    return [squash(x) for x in found]


def unit_targets(reading: Reading, turns: list[dict[str, str]]) -> list[int]:
    """The label of each unit, from the expected turns in document order."""
    heads = [openings(b.text) for b in reading.blocks]
    for s, lab in reading.found.items():
        if lab.cand.rest:
            heads[s].append(squash(lab.cand.rest))
    targets = [OTHER] * len(heads)
    cursor = 0
    for turn in turns:
        want = squash(turn["starts_with"])
        if not want:
            continue
        order = [*range(cursor, len(heads)), *range(0, cursor)]
        hit = next(
            (j for j in order if targets[j] == OTHER and any(h.startswith(want) for h in heads[j])),
            None,
        )
        if hit is not None:
            targets[hit] = ASKS if turn["role"] == INTERVIEWER else ANSWERS
            cursor = hit + 1
    started = False
    for j, target in enumerate(targets):
        if target in (ASKS, ANSWERS):
            started = True
        elif started:
            targets[j] = CONTINUES
    return targets


def page_examples(item: Item, subject: LinearModel | None) -> Example:
    """The units' features and targets; cached per page (the subject model, which one
    feature reads, is the first one seen)."""
    key = (str(item.directory), item.id)
    if key not in _CACHE:
        reading = page_reading(item, subject)
        turns = item.expected["turns"] if item.expected["is_qa"] else []
        targets = unit_targets(reading, turns)
        if 2 * sum(t in (ASKS, ANSWERS) for t in targets) < len(turns):
            _CACHE[key] = ([], [])
        else:
            _CACHE[key] = (unit_features(reading), targets)
    return _CACHE[key]


def unlabelled(item: Item) -> Item | None:
    """A labelled plain-text page with the labels that begin its turns taken out ("Q:",
    "Ann Moss:", a label alone on its line), or None when the page has none to take out."""
    expected = item.expected
    text = item.data.get("text")
    if not text or not expected["is_qa"] or expected["label_format"] in UNLABELLED_STYLES:
        return None
    wants = [w for w in (squash(t["starts_with"]) for t in expected["turns"]) if w]
    lines = text.split("\n")
    kept: list[str] = []
    taken = 0
    for k, line in enumerate(lines):
        body = line.strip()
        cand = find_candidate(Block(body)) if body else None
        if cand and cand.rest and starts_turn(cand.rest, wants):
            kept.append(line[: len(line) - len(line.lstrip())] + cand.rest)
            taken += 1
        elif cand and not cand.rest and starts_turn(next_line(lines, k), wants):
            taken += 1
        else:
            kept.append(line)
    if not wants or taken < STRIPPED_SHARE * len(wants):
        return None
    data = {**item.data, "id": f"{item.id}+unlabelled", "text": "\n".join(kept)}
    data["expected"] = {**expected, "label_format": "unlabeled_questions"}
    return Item(data, item.directory)


def next_line(lines: list[str], k: int) -> str:
    """The first line after line `k` with text on it."""
    return next((x.strip() for x in lines[k + 1 :] if x.strip()), "")


def starts_turn(line: str, wants: list[str]) -> bool:
    """The line opens one of the expected turns (`wants`, squashed)."""
    return any(squash(line).startswith(w) for w in wants)


def pages_hash(items: list[Item]) -> str:
    """A digest of the annotated pages fitted on, so a stale weights file is caught."""
    digest = hashlib.sha256()
    for item in sorted(items, key=lambda i: i.id):
        for path in sorted(item.directory.glob(f"{item.id}.*")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def fit_turns(items: list[Item], models: Models) -> Models:
    """Fit the turn model on the pages' units (each labelled one also unlabelled), and on
    the development set's invented pages, and add it to the models."""
    import sklearn
    from sklearn.linear_model import LogisticRegression

    pages = [*items, *load_items(DEVSET)]
    copies = [u for u in map(unlabelled, items) if u is not None]
    rows: list[dict[str, float]] = []
    ys: list[int] = []
    counts = np.full((len(CLASSES), len(CLASSES)), SMOOTHING)
    first = np.full(len(CLASSES), SMOOTHING)
    for item in [*pages, *copies]:
        feats, targets = page_examples(item, models.subject)
        rows += feats
        ys += targets
        if targets:
            first[targets[0]] += 1
        for a, b in zip(targets, targets[1:], strict=False):
            counts[a, b] += 1
    names = sorted({name for row in rows for name in row})
    index = {n: k for k, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for r, row in enumerate(rows):
        for name, value in row.items():
            x[r, index[name]] = value
    fitted = LogisticRegression(C=C, solver="lbfgs", max_iter=5000).fit(x, np.array(ys))
    weights = np.zeros((len(CLASSES), len(names)))
    bias = np.zeros(len(CLASSES))
    for k, label in enumerate(fitted.classes_):
        weights[label], bias[label] = fitted.coef_[k], fitted.intercept_[k]
    transitions = np.log(counts / counts.sum(axis=1, keepdims=True))
    boost = np.zeros(len(CLASSES))
    boost[[ASKS, ANSWERS]] = BOOST
    model = SequenceModel(
        labels=CLASSES,
        features=tuple(names),
        weights=weights,
        bias=bias,
        transitions=TRANSITION_WEIGHT * transitions,
        start=TRANSITION_WEIGHT * np.log(first / first.sum()),
        boost=boost,
        meta={
            "feature_version": FEATURE_VERSION,
            "pages": len(pages),
            "unlabelled_copies": len(copies),
            "pages_sha256": pages_hash(pages),
            "units": len(rows),
            "scikit_learn": sklearn.__version__,
            "C": C,
        },
    )
    return replace(models, turns=model)
