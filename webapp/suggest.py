"""Spelling correction ("did you mean") and search-box suggestions from the indexed words.

Words count by the live passages holding them (never the index's own document
frequencies, which include passages `--update` deleted), and a suggestion's count is what
searching it finds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice

from whoosh import query
from whoosh.support.levenshtein import distance

from indexer.schema import FACETS, QUERY_FIELDS, TEXT_FIELDS, WRITTEN, fold_words, stem_word
from indexer.segments import prefix_frequencies

from .catalog import FacetCatalog
from .generation import Generation
from .parsing import query_parser
from .querytext import MAX_QUERY_CHARS, OPERATORS
from .search import SearchService

# Where the words of each searchable field can be read back as written: the stored text
# fields themselves, or the stored facet values for film, director, speaker...
SOURCES = {name: name for name in TEXT_FIELDS} | {
    name: FACETS[name] for name in QUERY_FIELDS if name in FACETS
}
COMPLETION_FIELDS = ("answer", "question")
# a word did-you-mean may correct: sign and field (group 1), field (2), the word (3)
PLAIN_WORD = re.compile(r"^([-+]?(?:(\w+):)?)([^\W\d_][^\W_]*)$")
MIN_PREFIX = 2  # shortest word completed from the index's terms
MAX_PREFIX_SCAN = 2000  # terms read while looking for the most frequent completions
CANDIDATES_PER_SLOT = 4  # completions read per suggestion shown, some failing the phrase test
MAX_CORRECTED_CHARS = 30  # a longer word is no misspelling worth looking up
MAX_CORRECTED_WORDS = 8  # unknown words looked up per query; the rest are left as typed


@dataclass
class Suggestion:
    """One completion for the search box: the text, what it is, and where it leads."""

    text: str
    kind: str  # "film", "person" or "word"
    count: int
    params: dict[str, str]  # search URL parameters that choosing it applies


def correct(service: SearchService, q: str, state: Generation | None = None) -> str:
    """The query as typed with unknown words replaced by the closest live ones, or "".

    Only plain words are corrected (`word`, `-word`, `speaker:word`, in or out of
    parentheses); phrases, prefixes, numbers, operators and hyphenated words are left as
    typed, so the suggestion reads as the user wrote it. The work is bounded: words longer
    than MAX_CORRECTED_CHARS, and unknown words past the first MAX_CORRECTED_WORDS, are
    left as typed too. Words are looked up in `state` (the current generation unless given).
    """
    state = state or service.current()
    found = state.corrections.get(q)  # a generation's words do not change: once each
    if found is None:
        found = _correct(service, q, state)
        state.corrections.put(q, found)
    return found


def _correct(service: SearchService, q: str, state: Generation) -> str:
    tokens = " ".join(q.split())[:MAX_QUERY_CHARS].split(" ")
    changed = False
    quotes = 0
    looked_up = 0
    with state.searcher() as searcher:
        parser = query_parser(searcher.schema)
        for i, token in enumerate(tokens):
            inside, quotes = quotes % 2 == 1, quotes + token.count('"')
            core = token.lstrip("(").rstrip(")")
            plain = PLAIN_WORD.match(core)
            if inside or plain is None or plain.group(3) in OPERATORS:
                continue
            if len(plain.group(3)) > MAX_CORRECTED_CHARS or looked_up >= MAX_CORRECTED_WORDS:
                continue
            try:
                parsed = parser.parse(core.lstrip("+-"), normalize=False)
            except Exception:  # noqa: BLE001 - an unreadable word gets no correction
                continue
            terms = [t for found in _words(parsed).values() for t in found]
            if not terms or any(service.live_frequency(name, word, state) for name, word in terms):
                continue  # a stop word, or in a live passage under one of its fields
            looked_up += 1
            better = _closest(service, state, terms)
            if better:
                lead = token[: len(token) - len(token.lstrip("("))]
                trail = token[len(lead) + len(core) :]
                tokens[i] = f"{lead}{plain.group(1)}{better}{trail}"
                changed = True
    return " ".join(tokens) if changed else ""


def _words(parsed: query.Query) -> dict[tuple[int, int], list[tuple[str, str]]]:
    """Plain words of the query by position, each with the (field, term)s it searches."""
    words: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for leaf in parsed.leaves():
        start, end = getattr(leaf, "startchar", None), getattr(leaf, "endchar", None)
        if type(leaf) is not query.Term or start is None or end is None:
            continue  # phrases, prefixes and ranges are left as typed
        if leaf.fieldname in SOURCES and not any(c.isdigit() for c in leaf.text):
            words.setdefault((start, end), []).append((leaf.fieldname, leaf.text))
    return words


def _closest(service: SearchService, state: Generation, terms: list[tuple[str, str]]) -> str:
    """The most frequent live word within a small edit distance, as people write it."""
    searcher = state.searcher()
    reader = searcher.reader()
    best: tuple[int, int, str, str] | None = None
    for fieldname, term in terms:
        maxdist = 1 if len(term) <= 4 else 2
        for candidate in sorted(reader.terms_within(fieldname, term, maxdist, prefix=1)):
            if candidate == term:
                continue
            count = service.live_frequency(fieldname, candidate, state)
            if not count:
                continue  # only in passages an update deleted
            key = (distance(term, candidate), -count)
            if best is None or key < best[:2]:
                best = (*key, fieldname, candidate)
    return surface_form(service, state, best[2], best[3]) if best else ""


def surface_form(service: SearchService, state: Generation, fieldname: str, term: str) -> str:
    """A word as written that an analysed (stemmed, folded) term came from: its commonest
    spelling in live passages, with the accents of one of them."""
    searcher = state.searcher()
    spelt = _commonest_spelling(service, state, term)
    field, word = (WRITTEN, spelt) if spelt else (fieldname, term)
    docnum = searcher.document_number(**{field: word})
    if docnum is None:
        return spelt or term
    stored = searcher.stored_fields(docnum)
    names = SOURCES.values() if spelt else [SOURCES.get(fieldname, fieldname)]
    analyzer = searcher.schema[field].analyzer
    for name in names:
        value = stored.get(name) or ""
        text = value if isinstance(value, str) else " ".join(value)
        for token in analyzer(text, chars=True, removestops=False):
            if token.text == word:
                return text[token.startchar : token.endchar].lower()
    return spelt or term


def _commonest_spelling(service: SearchService, state: Generation, stem: str) -> str:
    """Of the words written in live passages that stem to `stem`, the one most of them
    hold (ties alphabetically), or "" when none is found."""
    searcher = state.searcher()
    if WRITTEN not in searcher.schema or not stem:
        return ""
    reader = searcher.reader()
    written = searcher.schema[WRITTEN]
    # a stem differs from its words in its last letter at most ("happi": happy, happiness)
    start = written.to_bytes(stem[: max(1, len(stem) - 1)])
    terms = islice(reader.expand_prefix(WRITTEN, start), MAX_PREFIX_SCAN)
    words = [w for w in map(written.from_bytes, terms) if stem_word(w) == stem]
    best = service.most_frequent(WRITTEN, words, 1)
    return best[0][0] if best else ""


def suggest(
    service: SearchService, catalog: FacetCatalog, q: str, limit: int = 8
) -> list[Suggestion]:
    """Films, people and frequent words completing what has been typed so far."""
    q = " ".join(q.split())[:200]
    if not q:
        return []
    found = [
        Suggestion(e.name, "film", e.count, {"film": e.name})
        for e in catalog.matching("film", q, limit // 3 or 1)
    ]
    found += [
        Suggestion(e.name, "person", e.count, {"speaker": e.name})
        for e in catalog.matching("speaker", q, limit // 3 or 1)
    ]
    head, _, last = q.rpartition(" ")
    before = head.rpartition(" ")[2]
    # after a plain word, only completions that follow it somewhere: "ai we" -> "ai weiwei"
    follows = bool(re.fullmatch(r"[^\W_]+", before)) and before.upper() not in OPERATORS
    # spellings of one stem ("film", "filmed") search the same: the commonest stands for all
    for word in _completions(service, last, (limit - len(found)) * CANDIDATES_PER_SLOT):
        if len(found) >= limit:
            break
        text = f"{head} {word}" if head else word
        if text.lower() == q.lower() and found:
            continue
        if follows and not service.count(f'"{before} {word}"'):
            continue
        # the count is what searching the suggestion finds, all of its words together
        count = service.count(text)
        if count:
            found.append(Suggestion(text, "word", count, {"q": text}))
    return found[:limit]


def _completions(service: SearchService, prefix: str, limit: int) -> list[str]:
    """The most frequent question and answer words starting with `prefix`, one per stem in
    its commonest spelling; words mixing letters and digits ("family16") are left out."""
    if len(prefix) < MIN_PREFIX or limit <= 0 or not prefix.isalnum():
        return []
    with service.searcher() as searcher:
        if WRITTEN not in searcher.schema:
            return []
        reader = searcher.reader()
        written = searcher.schema[WRITTEN]
        start = written.to_bytes(fold_words(prefix))
        found = prefix_frequencies(reader, WRITTEN, start, MAX_PREFIX_SCAN)
        if found is None:
            terms = islice(reader.expand_prefix(WRITTEN, start), MAX_PREFIX_SCAN)
            found = [(t, reader.doc_frequency(WRITTEN, t)) for t in terms]
        words = [w for w in (written.from_bytes(t) for t, _ in found) if w.isalpha()]
        spelt = service.most_frequent(WRITTEN, words, len(words))  # live counts, most first
        spellings: dict[str, str] = {}  # stem -> its commonest spelling
        for word, _ in spelt:
            spellings.setdefault(stem_word(word), word)
        counts: Counter[str] = Counter()
        for fieldname in COMPLETION_FIELDS:
            for stem, count in service.most_frequent(fieldname, sorted(spellings), limit * 2):
                counts[stem] += count
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], spellings[kv[0]]))[:limit]
    return [spellings[stem] for stem, _ in ranked]
