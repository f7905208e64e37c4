"""A brute-force reference for the search: the engine is never its own reference.

It reads every live passage's stored fields, analyses their text with the schema's
analyzer (the one thing it shares with the engine, because the contract is about analysed
words), and evaluates a query *tree* directly, so it needs neither Whoosh's query parser
nor any code of `webapp`. Query trees render as the text a user types (`Node.text()`);
the engine parses that text, the oracle evaluates the tree, and the two must agree.

The contract it writes out (the engine's module `webapp/vector.py` states the same):
BM25F over live passages (idf = ln(N / (df + 1)) + 1, the average of the stored
one-byte field lengths, B = 0.75, K1 = 1.2, title words weigh 1.5); `year:`, `kind:`
and ranges score 1; phrases score the sum of their words; AND and OR sum what matches;
negations add nothing; boosts multiply; by relevance, interviewees' answers come first,
then passages of questions alone, then intros and narrative, each by score, ties by
(article id, ordinal); undated passages sort last by date either way; facet counts are
disjunctive and case-blind. Grouped by article, each article shows its first passage in
that relevance order, articles follow their shown passages (by relevance) or their
dates (ties by article id), and the other matches follow in reading order.

One interview saved twice counts once: two articles whose texts (their passages'
questions and answers, in order) share at least SAME of their runs of SHINGLE words
(lower-cased `\\w+` words; Jaccard over the sets of runs) are copies, copies of copies
too; of each group, the copy that arrived first (the `arrived` column), then the lowest
source path, then id, is counted and the other copies' passages are not live. The oracle
compares every pair of articles exactly; the engine estimates (MinHash), so the tests'
copies are far from the threshold either way.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.schema import FACET_TABLE, facet_term, fold_words, text_analyzer, written_analyzer

TEXT = ("answer", "question", "title")
BOOST = {"title": 1.5}
B, K1 = 0.75, 1.2
PREFIX_LIMIT = 64
SHINGLE, SAME = 5, 0.6
# the query fields that are not stored as such, rebuilt as the builder writes them
JOINED = {"film": "film_f", "director": "director_f", "speaker": "speaker_f"}
JOINED |= {"interviewer": "interviewer_f", "publication": "publication_f"}

ANALYZER = text_analyzer()
WRITTEN = written_analyzer()


def analyse(text: str) -> list[tuple[str, int]]:
    """(word, position) of every indexed word of a text."""
    return [(t.text, t.pos) for t in ANALYZER(text, positions=True)]


def words_of(text: str) -> list[str]:
    return [t.text for t in ANALYZER(text)]


@dataclass
class Passage:
    docnum: int
    pid: str
    key: tuple[str, int]
    kind: str
    date: int
    year: int | None
    words: dict[str, list[tuple[str, int]]]  # field -> analysed words with positions
    written: dict[str, set[str]]  # field -> its words as written (folded, not stemmed)
    facets: dict[str, list[str]]  # facet name -> values as stored
    tier: int = 0  # 0 an interviewee answers, 1 only the interviewer speaks, 2 intro/narrative


def speaks(kind: str, turns: list[dict[str, str]]) -> str:
    """Who speaks in a passage, read from its stored kind and turns."""
    if kind in ("intro", "narrative"):
        return "intros"
    if any(t["role"] == "interviewee" for t in turns):
        return "answers"
    return "questions"


TIERS = {"answers": 0, "questions": 1, "intros": 2}


class Oracle:
    """Every live passage of an index, and queries evaluated over them by brute force."""

    def __init__(self, searcher: Any) -> None:
        self.passages: list[Passage] = []
        documents = list(searcher.reader().iter_docs())
        self.copies = uncounted_copies(searcher.reader(), documents)
        for docnum, stored in documents:
            if stored["article_id"] in self.copies:
                continue
            texts = {name: stored.get(name, "") or "" for name in TEXT}
            for name, facet_field in JOINED.items():
                texts[name] = " ".join(stored.get(facet_field) or [])
            date = stored["meta"].get("date", "") or ""
            self.passages.append(
                Passage(
                    docnum=docnum,
                    pid=stored["pid"],
                    key=(stored["article_id"], stored["ordinal"]),
                    kind=stored["kind"],
                    date=int(date[:10].replace("-", "").ljust(8, "0")) if date else 0,
                    year=stored.get("year"),
                    words={name: analyse(text) for name, text in texts.items()},
                    written={name: {t.text for t in WRITTEN(text)} for name, text in texts.items()},
                    facets={f.name: list(stored.get(f.field) or []) for f in FACET_TABLE},
                    tier=TIERS[speaks(stored["kind"], stored.get("turns") or [])],
                )
            )
        self.count = len(self.passages)
        self.average = {
            name: sum(self.length(p, name) for p in self.passages) / (self.count or 1) or 1.0
            for name in (*TEXT, *JOINED)
        }

    @staticmethod
    def length(p: Passage, name: str) -> int:
        n = len(p.words[name])
        return byte_to_length(length_to_byte(n)) if n else 0

    # -- leaves ------------------------------------------------------------------------

    def term(self, name: str, word: str) -> dict[int, float]:
        """BM25F of one analysed word in one field, for every passage holding it."""
        tf = {p.docnum: Counter(w for w, _ in p.words[name])[word] for p in self.passages}
        tf = {d: n for d, n in tf.items() if n}
        if not tf:
            return {}
        idf = math.log(self.count / (len(tf) + 1)) + 1
        by_doc = {p.docnum: p for p in self.passages}
        scores = {}
        for d, n in tf.items():
            weight = n * BOOST.get(name, 1.0)
            norm = (1 - B) + B * self.length(by_doc[d], name) / self.average[name]
            scores[d] = idf * (weight * (K1 + 1)) / (weight + K1 * norm)
        return scores

    def phrase(self, name: str, words: list[str]) -> dict[int, float]:
        """Passages with `words` at consecutive positions; the sum of their scores."""
        if not words:
            return {}
        found = set()
        for p in self.passages:
            at = {(w, pos) for w, pos in p.words[name]}
            starts = [pos for w, pos in p.words[name] if w == words[0]]
            if any(all((w, s + i) in at for i, w in enumerate(words)) for s in starts):
                found.add(p.docnum)
        total: dict[int, float] = {d: 0.0 for d in found}
        for w in words:
            scores = self.term(name, w)
            for d in found:
                total[d] += scores[d]
        return total

    def starting(self, start: str, names: tuple[str, ...]) -> set[int]:
        """Passages with a word written with `start` in one of the fields `names`."""
        return {
            p.docnum
            for p in self.passages
            if any(w.startswith(start) for name in names for w in p.written[name])
        }

    def prefix(self, name: str, start: str) -> dict[int, float]:
        """Of the stems of every word written with `start` (in any field of any passage),
        the PREFIX_LIMIT held by most passages in `name`, OR-ed."""
        stems = {
            stem
            for p in self.passages
            for words in p.written.values()
            for w in words
            if w.startswith(start)
            for stem in words_of(w)
        }
        df: Counter[str] = Counter()
        for p in self.passages:
            df.update({w for w, _ in p.words[name] if w in stems})
        chosen = sorted(df, key=lambda w: (-df[w], w))[:PREFIX_LIMIT]
        return union(self.term(name, w) for w in chosen)

    def constant(self, matches: set[int]) -> dict[int, float]:
        return {d: 1.0 for d in matches}

    def all(self) -> set[int]:
        return {p.docnum for p in self.passages}

    # -- results -----------------------------------------------------------------------

    def ranked(self, scores: dict[int, float] | None, docs: set[int]) -> list[int]:
        """Docs by score (None: all alike), ties by (article id, ordinal)."""
        by_doc = {p.docnum: p for p in self.passages}
        return sorted(
            docs,
            key=lambda d: (by_doc[d].tier, -(scores or {}).get(d, 0.0), by_doc[d].key),
        )

    def grouped(
        self, scores: dict[int, float] | None, docs: set[int], sort: str
    ) -> list[tuple[int, int, list[int]]]:
        """(shown passage, matching passages, the others in reading order) per article."""
        by_doc = {p.docnum: p for p in self.passages}
        articles: dict[str, list[int]] = {}
        for d in self.ranked(scores, docs):
            articles.setdefault(by_doc[d].key[0], []).append(d)
        order = list(articles)  # by each article's first passage in relevance order
        if sort != "relevance":
            dated = sorted(
                (a for a in order if by_doc[articles[a][0]].date),
                key=lambda a: (
                    -by_doc[articles[a][0]].date
                    if sort == "newest"
                    else by_doc[articles[a][0]].date,
                    a,
                ),
            )
            order = dated + sorted(a for a in order if not by_doc[articles[a][0]].date)
        found = []
        for a in order:
            shown, *others = articles[a]
            others.sort(key=lambda d: by_doc[d].key)
            found.append((shown, len(articles[a]), others))
        return found

    def by_date(self, docs: set[int], newest: bool) -> list[int]:
        by_doc = {p.docnum: p for p in self.passages}
        dated = sorted(
            (d for d in docs if by_doc[d].date),
            key=lambda d: (-by_doc[d].date if newest else by_doc[d].date, by_doc[d].key),
        )
        undated = sorted((d for d in docs if not by_doc[d].date), key=lambda d: by_doc[d].key)
        return dated + undated

    def facet_docs(self, name: str, values: list[str]) -> set[int]:
        terms = {facet_term(v) for v in values}
        return {p.docnum for p in self.passages if terms & {facet_term(v) for v in p.facets[name]}}

    def facet_counts(self, name: str, docs: set[int]) -> dict[str, int]:
        """Passages of `docs` per value (case ignored), keyed by the most written form."""
        counts: Counter[str] = Counter()
        spellings: dict[str, Counter[str]] = {}
        for p in self.passages:
            for v in p.facets[name]:
                spellings.setdefault(facet_term(v), Counter())[v.strip()] += 1
            if p.docnum in docs:
                counts.update({facet_term(v) for v in p.facets[name]})
        shown = {t: min(c, key=lambda v: (-c[v], v)) for t, c in spellings.items()}
        return {shown[t]: n for t, n in counts.items() if n}


def shingles(text: str) -> set[tuple[str, ...]]:
    """Every run of SHINGLE words of a text (all of it, when shorter)."""
    words = re.findall(r"\w+", text.casefold())
    width = min(SHINGLE, len(words))
    return {tuple(words[i : i + width]) for i in range(len(words) - width + 1)} if words else set()


def uncounted_copies(reader: Any, documents: list[tuple[int, dict[str, Any]]]) -> set[str]:
    """The ids of the articles that are copies of an interview counted elsewhere."""
    arrived = list(reader.column_reader("arrived")) if reader.has_column("arrived") else []
    texts: dict[str, list[tuple[int, str]]] = {}
    rank: dict[str, tuple[int, str, str]] = {}
    for docnum, stored in documents:
        key = stored["article_id"]
        text = f"{stored.get('question', '') or ''}\n{stored.get('answer', '') or ''}"
        texts.setdefault(key, []).append((stored["ordinal"], text))
        when = arrived[docnum] if arrived else 0
        rank[key] = (when, stored["meta"].get("source", ""), key)
    runs = {k: shingles("\n".join(t for _, t in sorted(v))) for k, v in texts.items()}
    runs = {k: r for k, r in runs.items() if r}
    group = {k: {k} for k in runs}
    keys = sorted(runs)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if len(runs[a] & runs[b]) / len(runs[a] | runs[b]) >= SAME and group[a] is not group[b]:
                joined = group[a] | group[b]
                for k in joined:
                    group[k] = joined
    return {k for k, g in group.items() if k != min(g, key=rank.__getitem__)}


def union(parts: Any) -> dict[int, float]:
    total: dict[int, float] = {}
    for part in parts:
        for d, s in part.items():
            total[d] = total.get(d, 0.0) + s
    return total


# -- query trees ---------------------------------------------------------------------------


@dataclass
class Node:
    """A query as a tree: `text()` is what a user types, `match()` what it finds."""

    def text(self) -> str:
        raise NotImplementedError

    def match(self, o: Oracle) -> dict[int, float]:
        raise NotImplementedError


@dataclass
class Word(Node):
    word: str
    field: str = ""  # "" searches the text fields
    sign: str = ""  # "+" is the same as none

    def text(self) -> str:
        return f"{self.sign}{self.field + ':' if self.field else ''}{self.word}"

    def match(self, o: Oracle) -> dict[int, float]:
        names = [self.field] if self.field else TEXT
        return union(o.term(n, w) for n in names for w in words_of(self.word))


@dataclass
class Phrase(Node):
    words: list[str]

    def text(self) -> str:
        return '"' + " ".join(self.words) + '"'

    def match(self, o: Oracle) -> dict[int, float]:
        analysed = [w for word in self.words for w in words_of(word)]
        return union(o.phrase(n, analysed) for n in TEXT)


@dataclass
class Hyphenated(Node):
    """`Kore-eda`: the words in a row, or written as one word."""

    parts: list[str]

    def text(self) -> str:
        return "-".join(self.parts)

    def match(self, o: Oracle) -> dict[int, float]:
        joined = words_of("".join(self.parts))
        together = union(o.term(n, w) for n in TEXT for w in joined)
        apart = [w for part in self.parts for w in words_of(part)]
        return union([together, union(o.phrase(n, apart) for n in TEXT)])


@dataclass
class Prefix(Node):
    start: str

    def text(self) -> str:
        return f"{self.start}*"

    def match(self, o: Oracle) -> dict[int, float]:
        return union(o.prefix(n, fold_words(self.start)) for n in TEXT)


@dataclass
class Year(Node):
    start: int
    end: int | None = None  # a range, possibly typed backwards

    def text(self) -> str:
        return f"year:{self.start}" + (f"-{self.end}" if self.end is not None else "")

    def match(self, o: Oracle) -> dict[int, float]:
        low, high = sorted((self.start, self.start if self.end is None else self.end))
        return o.constant({p.docnum for p in o.passages if p.year and low <= p.year <= high})


@dataclass
class Kind(Node):
    kind: str

    def text(self) -> str:
        return f"kind:{self.kind}"

    def match(self, o: Oracle) -> dict[int, float]:
        return o.constant({p.docnum for p in o.passages if p.kind == self.kind.lower()})


@dataclass
class Boost(Node):
    node: Node
    boost: float

    def text(self) -> str:
        inner = self.node.text()
        if not isinstance(self.node, Word | Phrase):
            inner = f"({inner})"
        return f"{inner}^{self.boost:g}"

    def match(self, o: Oracle) -> dict[int, float]:
        return {d: s * self.boost for d, s in self.node.match(o).items()}


@dataclass
class Not(Node):
    node: Node
    style: str = "NOT"  # or "-"

    def text(self) -> str:
        inner = self.node.text()
        if not isinstance(self.node, Word | Phrase | Year | Kind):
            inner = f"({inner})"
        return f"NOT {inner}" if self.style == "NOT" else f"-{inner}"

    def match(self, o: Oracle) -> dict[int, float]:
        excluded = self.node.match(o)
        return {d: 0.0 for d in o.all() - set(excluded)}


@dataclass
class And(Node):
    nodes: list[Node] = field(default_factory=list)

    def text(self) -> str:
        return " ".join(_grouped(n) for n in self.nodes)

    def match(self, o: Oracle) -> dict[int, float]:
        positive = [n for n in self.nodes if not isinstance(n, Not)]
        negative = [n for n in self.nodes if isinstance(n, Not)]
        found = {d: 0.0 for d in o.all()}
        for n in positive:
            part = n.match(o)
            found = {d: s + part[d] for d, s in found.items() if d in part}
        for n in negative:
            excluded = set(n.node.match(o))
            found = {d: s for d, s in found.items() if d not in excluded}
        return found


@dataclass
class Or(Node):
    nodes: list[Node] = field(default_factory=list)

    def text(self) -> str:
        return "(" + " OR ".join(_grouped(n) for n in self.nodes) + ")"

    def match(self, o: Oracle) -> dict[int, float]:
        return union(n.match(o) for n in self.nodes)


def _grouped(node: Node) -> str:
    return f"({node.text()})" if isinstance(node, And) else node.text()
