"""Every person in every role and every film, with interviews, passages and years.

Computed once per index generation from the facet columns over live passages (numpy
over (value, article) pairs), so a director who never speaks is a person too, and an
index updated in place lists what a rebuild would.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .catalog import accentless
from .columns import Columns, FacetColumn
from .generation import Generation

# A person's roles, as pages name them, and the facet each is read from.
ROLES = {"director": "director", "interviewee": "speaker", "interviewer": "interviewer"}
NOT_LETTERS = re.compile(r"[\W_]+")


CLOSE_CUTOFF = 0.75  # how alike a name must be to be offered (difflib's ratio)


@dataclass
class LetterTable:
    """Keys with their character counts, to rule out at once those too unlike a name."""

    keys: list[str]
    columns: dict[str, int]  # character -> column of `counts`
    counts: np.ndarray  # key -> how often each character occurs in it
    lengths: np.ndarray  # key -> its length


def name_key(name: str) -> str:
    """One key for the ways a name is written: case, accents, spaces and hyphens ignored."""
    return NOT_LETTERS.sub("", accentless(name))


def sort_key(name: str) -> tuple[str, str]:
    """A-Z order, accents and case ignored."""
    return (accentless(name), name)


@dataclass
class Person:
    """Someone who directs, is interviewed, or interviews."""

    name: str  # as most passages write it
    spellings: list[str] = field(default_factory=list)  # other ways it is written
    roles: dict[str, int] = field(default_factory=dict)  # role -> interviews
    passages: int = 0  # passages they speak in
    first: int = 0  # first and last year of their interviews (0: unknown)
    last: int = 0
    films: list[str] = field(default_factory=list)  # films they directed

    @property
    def years(self) -> str:
        return year_span(self.first, self.last)


@dataclass
class Film:
    """A film and the interviews about it."""

    name: str
    directors: list[str] = field(default_factory=list)
    interviews: int = 0
    passages: int = 0
    first: int = 0
    last: int = 0

    @property
    def years(self) -> str:
        return year_span(self.first, self.last)


def year_span(first: int, last: int) -> str:
    """ "2012", "2012–2019", or "" when the years are unknown."""
    if not first:
        return ""
    return str(first) if first == last else f"{first}–{last}"


@dataclass
class Directory:
    """People and films of one generation, A-Z, with lookups by name."""

    people: list[Person]
    films: list[Film]
    articles: int  # live interviews
    person_by_key: dict[str, Person]
    film_by_key: dict[str, Film]
    pairs: dict[str, tuple[np.ndarray, np.ndarray]]  # role -> (person, article) numbers
    owners: dict[str, int]  # person key -> person number in `pairs`
    first_docs: np.ndarray  # article number -> its first live passage (docnum)
    generation: Generation  # the one these numbers belong to
    _name_keys: dict[str, list[tuple[str, str]]] | None = field(default=None, repr=False)
    _letters: LetterTable | None = field(default=None, repr=False)

    def first_meta(self, article: int) -> dict[str, Any]:
        """The metadata of an article, by its number here."""
        fields = self.generation.searcher().stored_fields(int(self.first_docs[article]))
        return dict(fields["meta"])

    def person(self, name: str) -> Person | None:
        return self.person_by_key.get(name_key(name))

    def closest(self, text: str, limit: int = 6) -> list[tuple[str, str]]:
        """("people" or "films", name) of the names nearest to `text`, as typed: case,
        accents, spaces and hyphens ignored, close spellings allowed ("koreeda")."""
        wanted = name_key(text)
        if len(wanted) < 3:
            return []
        keys = self.name_keys()
        found: list[tuple[str, str]] = []
        near = self._near(wanted, limit)
        contains = [k for k in keys if wanted in k and k not in near]
        for key in [*near, *sorted(contains, key=len)]:
            for named in keys[key]:
                if named not in found:
                    found.append(named)
        return found[:limit]

    def known_name(self, text: str) -> str:
        """The name, or the word of a name, nearest to `text` as the collection writes it
        ("koreeda": "Kore-eda"), or "" when none is near."""
        wanted = name_key(text)
        near = self._near(wanted, 1) if len(wanted) >= 3 else []
        if not near:
            return ""
        _, name = self.name_keys()[near[0]][0]
        words = [w for w in name.split() if name_key(w) == near[0]]
        return words[0] if words and name_key(name) != near[0] else name

    def _near(self, wanted: str, limit: int) -> list[str]:
        """The `limit` name keys most alike `wanted` (difflib's ratio, at least
        CLOSE_CUTOFF), best first."""
        # only keys whose letters could make them alike enough (difflib's quick_ratio,
        # an upper bound of its ratio, over every key at once); difflib decides among them
        table = self.letter_table()
        counts = np.zeros(table.counts.shape[1], dtype=np.int32)
        for char in wanted:
            column = table.columns.get(char)
            if column is not None:
                counts[column] += 1
        shared = np.minimum(table.counts, counts).sum(axis=1)
        bound = 2.0 * shared / (table.lengths + len(wanted))
        candidates = [table.keys[i] for i in np.flatnonzero(bound >= CLOSE_CUTOFF - 1e-9)]
        return difflib.get_close_matches(wanted, candidates, n=limit, cutoff=CLOSE_CUTOFF)

    def name_keys(self) -> dict[str, list[tuple[str, str]]]:
        """Every name and each of its words, as `name_key` folds them, -> ("people" or
        "films", name); built on first use."""
        keys = self._name_keys
        if keys is None:
            keys = {}
            for kind, entries in (("people", self.people), ("films", self.films)):
                for entry in entries:
                    spellings = entry.spellings if isinstance(entry, Person) else []
                    for name in [entry.name, *spellings]:
                        for key in {name_key(name), *(name_key(w) for w in name.split())}:
                            keys.setdefault(key, []).append((kind, entry.name))
            self._name_keys = keys
        return keys

    def letter_table(self) -> LetterTable:
        """How often each character occurs in each key of `name_keys`; built on first use."""
        found = self._letters
        if found is None:
            keys = list(self.name_keys())
            columns = {c: i for i, c in enumerate(sorted({c for k in keys for c in k}))}
            counts = np.zeros((len(keys), len(columns)), dtype=np.int32)
            for row, key in enumerate(keys):
                for char in key:
                    counts[row, columns[char]] += 1
            lengths = np.array([len(k) for k in keys], dtype=np.float64)
            found = self._letters = LetterTable(keys, columns, counts, lengths)
        return found

    def articles_of(self, name: str) -> dict[int, list[str]]:
        """Article number -> the roles `name` has in it."""
        owner = self.owners.get(name_key(name))
        found: dict[int, list[str]] = {}
        if owner is None:
            return found
        for role, (owners, articles) in self.pairs.items():
            for article in articles[owners == owner].tolist():
                found.setdefault(article, []).append(role)
        return found

    def film(self, name: str) -> Film | None:
        return self.film_by_key.get(name_key(name))


def _pairs(columns: Columns, column: FacetColumn) -> tuple[np.ndarray, np.ndarray]:
    """Unique (value id, article number) pairs over live passages."""
    live = columns.live[column.docs]
    ids, articles = column.ids[live].astype(np.int64), columns.article[column.docs[live]]
    width = int(columns.article.max()) + 1 if len(columns.article) else 1
    unique = np.unique(ids * width + articles)
    return unique // width, unique % width


def _years(
    owners: np.ndarray, articles: np.ndarray, year: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """First and last known year per owner (0 when none)."""
    y = year[articles]
    known = y > 0
    first = np.full(size, 10_000, dtype=np.int64)
    last = np.zeros(size, dtype=np.int64)
    np.minimum.at(first, owners[known], y[known])
    np.maximum.at(last, owners[known], y[known])
    first[first == 10_000] = 0
    return first, last


def build_directory(generation: Generation) -> Directory:
    """People and films of a generation's columns."""
    columns = generation.columns()
    seq = columns.sequence("order")
    seq = seq[columns.live[seq]]
    count = int(columns.article.max()) + 1 if len(seq) else 0
    first_docs = np.zeros(count, dtype=np.int64)
    if len(seq):
        numbers, at = np.unique(columns.article[seq], return_index=True)
        first_docs[numbers] = seq[at]
    year = columns.date[first_docs] // 10_000 if count else np.zeros(0, dtype=np.int64)

    # people: one per name key, across the three roles
    keys: dict[str, int] = {}
    spellings: list[dict[str, int]] = []
    owner_pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    passages = np.zeros(0, dtype=np.int64)
    for role, facet in ROLES.items():
        column = columns.facets[facet]
        counts = column.counts(columns.live)
        owner = np.empty(len(column.values), dtype=np.int64)
        for i, value in enumerate(column.values):
            key = name_key(value)
            owner[i] = keys.setdefault(key, len(keys))
            if owner[i] == len(spellings):
                spellings.append({})
            seen = spellings[owner[i]]
            seen[value] = seen.get(value, 0) + int(counts[i])
        ids, articles = _pairs(columns, column)
        owner_pairs[role] = (owner[ids], articles)
        if facet == "speaker":
            passages = np.bincount(owner, weights=counts, minlength=len(keys)).astype(np.int64)
    size = len(keys)
    passages = np.pad(passages, (0, size - len(passages)))
    # an interviewer speaks too: an interviewee is a speaker who does not ask in that article
    width = max(count, 1)
    spoken = np.unique(owner_pairs["interviewee"][0] * width + owner_pairs["interviewee"][1])
    asked = np.unique(owner_pairs["interviewer"][0] * width + owner_pairs["interviewer"][1])
    answered = np.setdiff1d(spoken, asked, assume_unique=True)
    owner_pairs["interviewee"] = (answered // width, answered % width)
    all_owners = np.concatenate([o for o, _ in owner_pairs.values()])
    all_articles = np.concatenate([a for _, a in owner_pairs.values()])
    first, last = _years(all_owners, all_articles, year, size)
    role_counts = {role: np.bincount(o, minlength=size) for role, (o, _) in owner_pairs.items()}

    # films: their directors come from the same articles
    film_column = columns.facets["film"]
    film_ids, film_articles = _pairs(columns, film_column)
    film_counts = film_column.counts(columns.live)
    directed: dict[int, set[int]] = {}
    directors_of: dict[int, list[int]] = {}
    director_owner, director_articles = owner_pairs["director"]
    for person, article in zip(director_owner.tolist(), director_articles.tolist(), strict=True):
        directors_of.setdefault(article, []).append(person)
    films: list[Film] = []
    film_interviews = np.bincount(film_ids, minlength=len(film_column.values))
    film_first, film_last = _years(film_ids, film_articles, year, len(film_column.values))
    film_directors: dict[int, set[int]] = {}
    for fid, article in zip(film_ids.tolist(), film_articles.tolist(), strict=True):
        for person in directors_of.get(article, []):
            film_directors.setdefault(fid, set()).add(person)
            directed.setdefault(person, set()).add(fid)

    # as most passages write it; on a tie the fuller form ("Kore-eda" over "Koreeda")
    names = [max(s, key=lambda v: (s[v], len(v), v)) for s in spellings]
    people = []
    for i, key_name in enumerate(names):
        roles = {role: int(role_counts[role][i]) for role in ROLES if role_counts[role][i]}
        if not roles:
            continue
        people.append(
            Person(
                name=key_name,
                spellings=sorted(v for v in spellings[i] if v != key_name),
                roles=roles,
                passages=int(passages[i]),
                first=int(first[i]),
                last=int(last[i]),
                films=sorted((film_column.values[f] for f in directed.get(i, ())), key=sort_key),
            )
        )
    for fid, film_name in enumerate(film_column.values):
        if not film_counts[fid]:
            continue
        films.append(
            Film(
                name=film_name,
                directors=sorted((names[p] for p in film_directors.get(fid, ())), key=sort_key),
                interviews=int(film_interviews[fid]),
                passages=int(film_counts[fid]),
                first=int(film_first[fid]),
                last=int(film_last[fid]),
            )
        )
    people.sort(key=lambda p: sort_key(p.name))
    films.sort(key=lambda f: sort_key(f.name))
    return Directory(
        people,
        films,
        count,
        {name_key(p.name): p for p in people},
        {name_key(f.name): f for f in films},
        owner_pairs,
        {name_key(n): i for i, n in enumerate(names)},
        first_docs,
        generation,
    )
