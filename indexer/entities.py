"""The film(s) and director(s) an article is about, from metadata, title and text patterns."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .model import Block, unique
from .names import find_names, fold

# --- Tables -------------------------------------------------------------------------------

# A title as written in running text: capitalised words, small words and a colon between.
TITLE = (
    r"(?:[A-Z0-9¡¿][\w’'.!\-&]*)(?:(?::[ ]+|[ ]+)(?:(?:of|the|a|an|and|in|on|to|who|for|with|"
    r"at|from|is|la|le|de|del|el|du|des|et|y|or|my|no)[ ]+)*[A-Z0-9][\w’'!\-&]*){0,8}"
)
PERSON = r"[A-Z][\w’'\-]+(?:\s+(?:de|da|van|von|del|di|le|la)?\s*[A-Z][\w’'\-]+){1,3}"
FILM_WORDS = r"(?:film|documentary|doc|movie|feature|drama|thriller|comedy|debut|picture|epic)"
QUOTED = re.compile(r"[“\"‘](?P<t>[A-Z0-9][^“”\"‘’]{1,80}?)[”\"’](?![a-z])")
FILM_PATTERNS = [
    # "documentary Ai Weiwei: Never Sorry", "latest film, Zama,"
    re.compile(rf"\b{FILM_WORDS}s?,?\s+[“\"‘]?(?P<t>{TITLE})"),
    # "Ai Weiwei: Never Sorry is a documentary about", "Bellflower tells the story"
    re.compile(
        rf"(?:^|\.\s+)[“\"‘]?(?P<t>{TITLE})[”\"’]?,?\s+(?:is|was)\s+(?:a|an|the)\s+"
        rf"(?:[\w\-’']+\s+){{0,4}}{FILM_WORDS}",
        re.M,
    ),
    re.compile(
        rf"(?:^|\.\s+)[“\"‘]?(?P<t>{TITLE})[”\"’]?\s+(?:tells|follows|concerns|centers)\b", re.M
    ),
    # "Klayman’s Ai Weiwei: Never Sorry", "Martel's latest, Zama"
    re.compile(
        rf"{PERSON}[’']s\s+(?:(?:new|latest|award[- ]winning|debut|acclaimed|first|"
        rf"second|third|next|last)\s+)*(?:{FILM_WORDS}s?,?\s+)?[“\"‘]?(?P<t>{TITLE})"
    ),
]
DIRECTOR_PATTERNS = [
    re.compile(
        rf"\b(?:[Dd]irector|[Ff]ilmmaker|[Dd]irected by|[Dd]irector/writer|"
        rf"[Ww]riter[/-][Dd]irector|[Dd]ocumentarian|auteur)s?,?\s+(?P<p>{PERSON})"
    ),
    re.compile(rf"(?P<p>{PERSON}),?\s+(?:the\s+)?(?:film's\s+)?(?:director|filmmaker)\b"),
    re.compile(rf"(?P<p>{PERSON})[’']s\s+(?:(?:new|latest|debut|first)\s+)*{FILM_WORDS}"),
    re.compile(rf"(?P<p>{PERSON})\s+(?:directed|directs|helmed)\b"),
]
# Capitalised words that begin sentences and are not titles.
NOT_TITLE = set(
    "the a an this that it he she they i we you his her in on at and but so when what how "
    "why there here director film documentary my our their its one yes no if q a&q "
    "interview photo read watch also then ".split()
)


@dataclass
class Entities:
    """Films and directors with the reasons they were chosen."""

    films: list[str] = field(default_factory=list)
    directors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def normalize_title(title: str) -> str:
    """Strip quotes and stray punctuation; 'CONVENTION' -> 'Convention'."""
    title = re.sub(r"\s+", " ", title).strip(" \t\"“”‘’'«»*_.,;:!?()[]–—-")
    if title.isupper() and len(title) > 3:
        title = title.title()
    return title


def find_entities(
    title: str, blocks: list[Block], people: list[str], interviewees: list[str]
) -> Entities:
    """Guess the films and directors from the title, italics, quotes and text patterns."""
    result = Entities()
    text = "\n".join(b.text for b in blocks)
    films = film_candidates(title, blocks, text)
    if films:
        best = films.most_common(1)[0][1]
        result.films = [f for f, s in films.most_common(2) if s >= max(3, best * 0.8)][:1]
        if not result.films:
            result.films = [films.most_common(1)[0][0]]
        top = dict(films.most_common(3))
        result.notes.append(f"film {result.films} from title/text patterns (scores {top})")
    directors = director_candidates(title + "\n" + text, people, interviewees)
    if directors:
        best = directors.most_common(1)[0][1]
        result.directors = [d for d, s in directors.most_common(3) if s >= best * 0.6]
        result.notes.append(f"director {result.directors} from text patterns")
    return result


def film_candidates(title: str, blocks: list[Block], text: str) -> Counter[str]:
    """Score candidate titles: evidence from patterns, then how often each recurs."""
    evidence: Counter[str] = Counter()
    for match in QUOTED.finditer(title):
        evidence[normalize_title(match.group("t"))] += 4
    for match in re.finditer(r"\(([A-Z][A-Z0-9 :’'\-]{2,60})\)", title):
        evidence[normalize_title(match.group(1))] += 4
    for block in blocks:
        for phrase in block.italics:
            if phrase[:1].isupper() and len(phrase) < 80 and len(phrase.split()) <= 10:
                evidence[normalize_title(phrase)] += 2
    for match in QUOTED.finditer(text):
        t = match.group("t")
        if len(t.split()) <= 8 and not t.rstrip().endswith((".", ",", "?", "!")):
            evidence[normalize_title(t)] += 1
    for source in (title, text):
        for pattern in FILM_PATTERNS:
            for match in pattern.finditer(source):
                evidence[trim_title(match.group("t"))] += 2 if source is text else 4
    scores: Counter[str] = Counter()
    haystack = fold(title + " " + text)
    for cand, ev in evidence.items():
        if not cand or fold(cand) in NOT_TITLE or len(cand) < 2:
            continue
        if fold(cand.split()[0]) in NOT_TITLE and len(cand.split()) == 1:
            continue
        mentions = len(re.findall(rf"\b{re.escape(fold(cand))}\b", haystack))
        scores[cand] = ev + mentions
    return merge_variants(scores)


def trim_title(title: str) -> str:
    """Cut a pattern match back to the title: drop trailing small words and possessives."""
    words = normalize_title(title).split()
    while words and words[-1].lower() in {"of", "the", "a", "an", "and", "in", "on", "to"}:
        words.pop()
    return normalize_title(" ".join(words))


def merge_variants(scores: Counter[str]) -> Counter[str]:
    """'Never Sorry' counts for 'Ai Weiwei: Never Sorry'; keep the fuller spelling."""
    merged: Counter[str] = Counter()
    keys = sorted(scores, key=lambda c: -len(c))
    for cand in keys:
        key = fold(cand)
        target = cand
        for longer in keys:
            lk = fold(longer)
            if len(lk) > len(key) and (lk.endswith(" " + key) or lk.startswith(key + " ")):
                if scores[longer] >= 3:
                    target = longer
                    break
        merged[target] += scores[cand]
    return merged


def director_candidates(text: str, people: list[str], interviewees: list[str]) -> Counter[str]:
    """Score people named as directors, resolved to the fullest spelling in the text."""
    found: Counter[str] = Counter()
    for pattern in DIRECTOR_PATTERNS:
        for match in pattern.finditer(text):
            name = clean_person(match.group("p"))
            if name:
                found[name] += 2
    pool = unique([*people, *find_names(text)])
    scores: Counter[str] = Counter()
    for name, score in found.items():
        full = fuller_name(name, pool)
        bonus = 2 if any(fold(full) == fold(i) for i in interviewees) else 0
        scores[full] += score + bonus
    return scores


def clean_person(name: str) -> str:
    words = name.split()
    while words and fold(words[0]) in NOT_TITLE:
        words = words[1:]
    return " ".join(words) if len(words) >= 2 else ""


def fuller_name(name: str, pool: list[str]) -> str:
    """The longest name in the pool that contains this one word for word."""
    key = fold(name)
    best = name
    for cand in pool:
        ck = fold(cand)
        if f" {key} " in f" {ck} " and len(ck) > len(fold(best)):
            best = cand
    return best
