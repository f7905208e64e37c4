"""The same question, different answers: near-duplicate questions across interviews.

Each question is a TF-IDF vector of its indexed words (stemmed, accents folded, stop words
left out, as the index holds them), read from the postings of the `question` field, and two
questions are alike by the cosine of their vectors. Only live passages that an interviewee
answers count. Pairs from two different interviews at least SIMILAR alike ask the same
question; a group of them is every question joined to another by such pairs. Computed
once per index generation: at start-up (`SearchService.warm`) or on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh.searching import Searcher

from indexer.schema import FACETS

from .columns import Columns

if TYPE_CHECKING:
    from .generation import Generation

FIELD = "question"
# Set on the 162 answered questions of 78 real interview pages beside the project
# (`python benchmarks/similar_questions.py --show 0.3`): the pairs of two interviews from
# 0.5 up ask the same thing ("where did the idea for <film> come from?"); of the four
# from 0.4 to 0.5, two do and two only share words ("tell us about your ..."); below 0.4,
# most share a name or a phrase and little else. Precision first: 0.5. On the 183 answered
# questions of the development set (tests/fixtures/devset), 44 pairs reach it, all but two
# the same question ("what's next?", "what do you want audiences to take away?").
SIMILAR = 0.5
MIN_WORDS = 3  # indexed words a question needs to be compared ("And then?" says too little)
MAX_SHARE = 0.05  # words in more of the questions than this share are left out...
MIN_CAP = 50  # ...once they are in more than this many questions (sklearn's max_df)
# Pairs of questions sharing a word are summed in memory (16 bytes each): past this many,
# the most common words are left out too, so a large collection stays within ~0.5 GB.
PAIR_BUDGET = 10_000_000
NEIGHBOURS = 5  # other interviews' answers shown beside a passage
MOST_ASKED = 50  # groups listed on /questions


@dataclass
class SimilarQuestions:
    """Alike questions of one generation, by document number."""

    neighbours: dict[int, list[tuple[int, float]]]  # the most alike first
    groups: list[list[int]]  # most interviews first; each group in (article, ordinal) order

    @classmethod
    def load(cls, searcher: Searcher, columns: Columns) -> SimilarQuestions:
        """Compare every answered question of the index with every other, once."""
        eligible = answered(columns)
        docs, terms, freqs = question_postings(searcher, eligible)
        first, second, alike = pairs(docs, terms, freqs)
        apart = columns.article[first] != columns.article[second]
        keep = apart & (alike >= SIMILAR)
        first, second, alike = first[keep], second[keep], alike[keep]
        neighbours: dict[int, list[tuple[int, float]]] = {}
        for a, b, s in zip(first.tolist(), second.tolist(), alike.tolist(), strict=True):
            neighbours.setdefault(a, []).append((b, s))
            neighbours.setdefault(b, []).append((a, s))
        for found in neighbours.values():
            found.sort(key=lambda pair: (-pair[1], int(columns.order[pair[0]])))
        return cls(neighbours, _groups(first, second, columns))


def answered(columns: Columns) -> np.ndarray:
    """A mask of the live passages an interviewee answers."""
    mask = columns.facets["speaks"].select(["answers"], columns.size)
    mask &= columns.live
    return mask


def question_postings(
    searcher: Searcher, eligible: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(document, term number, frequency) of every question word of an eligible passage."""
    docs: list[int] = []
    terms: list[int] = []
    freqs: list[float] = []
    reader = searcher.reader()
    if FIELD not in searcher.schema:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    for number, text in enumerate(reader.lexicon(FIELD)):
        for sub, offset in searcher.leaf_searchers():
            sub_reader = sub.reader()
            if (FIELD, text) not in sub_reader:
                continue
            m = sub_reader.postings(FIELD, text)
            while m.is_active():
                docnum = m.id() + offset
                if eligible[docnum]:
                    docs.append(docnum)
                    terms.append(number)
                    freqs.append(m.weight())
                m.next()
    return np.array(docs, np.int64), np.array(terms, np.int64), np.array(freqs, np.float64)


def pairs(
    docs: np.ndarray, terms: np.ndarray, freqs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of documents sharing a word, with the cosine of their TF-IDF vectors.

    (docs, terms, freqs) list each document's words; documents with fewer than
    MIN_WORDS words are left out, and so are words too common to tell questions apart.
    """
    distinct = np.bincount(docs, minlength=int(docs.max(initial=-1)) + 1)
    keep = distinct[docs] >= MIN_WORDS
    docs, terms, freqs = docs[keep], terms[keep], freqs[keep]
    count = len(np.unique(docs))
    df = np.bincount(terms, minlength=int(terms.max(initial=-1)) + 1)
    keep = df[terms] <= common_cap(df, max(MIN_CAP, MAX_SHARE * count))
    docs, terms, freqs = docs[keep], terms[keep], freqs[keep]
    weights = (1 + np.log(freqs)) * (np.log((1 + count) / (1 + df[terms])) + 1)
    norms = np.sqrt(np.bincount(docs, weights=weights**2))
    weights = weights / norms[docs]
    order = np.lexsort((docs, terms))
    docs, terms, weights = docs[order], terms[order], weights[order]
    starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]])
    ends = np.r_[starts[1:], len(terms)]
    keys: list[np.ndarray] = []
    products: list[np.ndarray] = []
    size = int(docs.max(initial=0)) + 1
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if end - start < 2:
            continue
        i, j = np.triu_indices(end - start, 1)
        keys.append(docs[start + i] * size + docs[start + j])
        products.append(weights[start + i] * weights[start + j])
    if not keys:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    unique, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    cosine = np.bincount(inverse, weights=np.concatenate(products))
    return unique // size, unique % size, np.minimum(cosine, 1.0)


def common_cap(df: np.ndarray, cap: float) -> float:
    """The most questions a kept word may be in: `cap`, or lower to keep within PAIR_BUDGET."""
    sizes = np.sort(df[(df >= 2) & (df <= cap)])
    total = np.cumsum(sizes * (sizes - 1) // 2)
    if not len(total) or total[-1] <= PAIR_BUDGET:
        return cap
    over = int(np.searchsorted(total, PAIR_BUDGET, side="right"))
    return float(sizes[over]) - 1  # every word as common as the first one over is left out


def _groups(first: np.ndarray, second: np.ndarray, columns: Columns) -> list[list[int]]:
    """Documents joined by alike pairs, the groups spanning most interviews first."""
    if not len(first):
        return []
    label = np.arange(columns.size)
    while True:  # each document takes the lowest label it is joined to, until none changes
        low = np.minimum(label[first], label[second])
        fresh = label.copy()
        np.minimum.at(fresh, first, low)
        np.minimum.at(fresh, second, low)
        fresh = fresh[fresh]
        if np.array_equal(fresh, label):
            break
        label = fresh
    members = np.unique(np.r_[first, second])
    groups: dict[int, list[int]] = {}
    for docnum in members[np.argsort(columns.order[members], kind="stable")].tolist():
        groups.setdefault(int(label[docnum]), []).append(docnum)
    return sorted(
        groups.values(),
        key=lambda g: (-len({int(columns.article[d]) for d in g}), -len(g), columns.order[g[0]]),
    )


def passage(searcher: Searcher, docnum: int, similarity: float | None = None) -> dict[str, Any]:
    """One passage of a group or a panel: where it is, who asked and answered, and what."""
    fields = searcher.stored_fields(docnum)
    meta = fields["meta"]
    turns = fields.get("turns") or []
    return {
        "article_id": fields["article_id"],
        "anchor": fields["anchor"],
        "title": meta.get("title", ""),
        "publication": meta.get("publication", ""),
        "date": meta.get("date", ""),
        "films": list(meta.get("films") or []),
        "speakers": list(fields.get(FACETS["speaker"]) or ()),
        "answerers": list(dict.fromkeys(t["speaker"] for t in turns if t["role"] != "interviewer")),
        "question": fields.get("question", ""),
        "answer": fields.get("answer", ""),
        **({"similarity": round(similarity, 3)} if similarity is not None else {}),
    }


def answers_elsewhere(state: Generation, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """For each passage of an article (by anchor), other interviews' answers to its question."""
    similar, searcher = state.similar_questions(), state.searcher()
    found: dict[str, list[dict[str, Any]]] = {}
    for docnum in searcher.document_numbers(article_id=article_id):
        near = similar.neighbours.get(docnum)
        if near:
            anchor = searcher.stored_fields(docnum)["anchor"]
            found[anchor] = [passage(searcher, d, alike) for d, alike in near[:NEIGHBOURS]]
    return found


def most_asked(state: Generation, limit: int = MOST_ASKED) -> dict[str, Any]:
    """The questions asked in most interviews, each with every answer to it."""
    similar, searcher = state.similar_questions(), state.searcher()
    listed = []
    for group in similar.groups[:limit]:
        # worded as the question most alike to the others of its group
        central = max(group, key=lambda d: sum(alike for _, alike in similar.neighbours[d]))
        passages = [passage(searcher, docnum) for docnum in group]
        listed.append(
            {
                "question": searcher.stored_fields(central).get("question", ""),
                "interviews": len({p["article_id"] for p in passages}),
                "passages": passages,
            }
        )
    return {"ok": True, "total": len(similar.groups), "questions": listed}
