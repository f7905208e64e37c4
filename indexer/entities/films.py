"""The film(s) and director(s) an article is about, from metadata, title and text patterns."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.entities.filmhints import comma_title, release_patterns, sentence_quote, subject_titles
from indexer.model import Block, unique
from indexer.text.cjk import cjk_titles, director_names
from indexer.text.names import NOT_NAME_WORDS, UPPER, find_names, fold, looks_like_name
from indexer.text.sentences import question_like

# --- Tables -------------------------------------------------------------------------------

# A title as written in running text: capitalised words, small words and a colon between.
TITLE = (
    rf"(?:(?:[0-9¡¿]|{UPPER})[\w’'!\-&]*)(?:(?::[ ]+|[ ]+)(?:(?:of|the|a|an|and|in|on|to|who|"
    rf"for|with|at|from|is|la|le|de|del|el|du|des|et|y|or|my|no|&)[ ]+)*"
    rf"(?:[0-9]|{UPPER})[\w’'!\-&]*){{0,8}}"
)
PERSON = r"[A-Z][\w’'\-–]+(?:[ ]+(?:(?:de|da|van|von|del|di|le|la)[ ]+)?[A-Z][\w’'\-–]+){1,3}"
FILM_WORDS = r"(?:film|documentary|doc|movie|feature|drama|thriller|comedy|debut|picture|epic)"
# After a film's title, its translation in brackets: "Ceniza (Ash)".
GLOSS = re.compile(rf"[”\"’]?\s+\([“\"‘]?(?P<b>{TITLE})[”\"’]?\)")
# Who a film belongs to, up to where its title begins: "Klayman’s “", "Jane Doe's new ",
# "her debut feature, ". REACH bounds how far before the title such words are sought.
OWNER = re.compile(
    r"(?P<p>[A-Z][\w’'\-]+(?:[ ]+[A-Z][\w’'\-]+){0,3})[’']s\s+(?:new |latest |debut )?[“\"‘]?\Z"
)
PRONOUN_OWNER = re.compile(
    rf"\b(?:[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w\-]+\s+){{0,2}}{FILM_WORDS},?\s+[“\"‘]?\Z"
)
REACH = 300
QUOTED = re.compile(
    r"(?:[“\"‘„]|«\s?|(?<![\w])')(?P<t>[A-Z0-9][^“”\"‘’«»]{1,80}?)(?:[”\"’“]|\s?»|'(?!\w))(?![a-z])"
)
# Patterns that point at a capitalised phrase without a film word or a credit: what a
# headline says this way is not yet said to be a film.
# "their latest film, “Inside Llewyn Davis”", "Netflix's newest, Blue Hour"
LATEST = re.compile(
    rf"\b(?:latest|new|newest|upcoming|recent|last)\s*,?\s+(?:{FILM_WORDS}s?\s*)?,?\s*[“\"‘]?"
    rf"(?P<t>{TITLE})"
)
# "Bellflower tells the story"
TELLS = re.compile(
    rf"(?:^|\.\s+)[“\"‘]?(?P<t>{TITLE})[”\"’]?\s+(?:tells|follows|concerns|centers)\b", re.M
)
# "Klayman’s Ai Weiwei: Never Sorry", "Martel's latest, Zama"
OWNED = re.compile(
    rf"{PERSON}[’']s\s+(?:(?:new|latest|award[- ]winning|debut|acclaimed|first|"
    rf"second|third|next|last)\s+)*(?:{FILM_WORDS}s?,?\s+)?[“\"‘]?(?P<t>{TITLE})"
)
LOOSE_PATTERNS = (LATEST, TELLS, OWNED)
FILM_PATTERNS = [
    # "The Glass Orchard, his film about", "Wild Rose, her second feature", "Salt, a drama"
    re.compile(
        rf"[“\"‘]?(?P<t>{TITLE})[”\"’]?,\s+(?:his|her|their|the|your|my|a|an)\s+"
        rf"(?:[\w\-]+\s+){{0,2}}{FILM_WORDS}s?\b"
    ),
    # "Ruben Osei directed The Ferryman's Daughter", "co-directed Salt"
    re.compile(rf"\b(?:directed|co-directed|directs|helmed)\s+[“\"‘]?(?P<t>{TITLE})"),
    LATEST,
    # "directors of The Night Sitter", "on the Making of Zama"
    re.compile(
        rf"\b(?i:director|directors|writer|writers|maker|makers|star|screening|premiere|"
        rf"making|release|set) of\s+[“\"‘]?(?P<t>{TITLE})"
    ),
    # "documentary Ai Weiwei: Never Sorry", "latest film, Zama,"
    re.compile(rf"\b{FILM_WORDS}s?,?[ ]+[“\"‘]?(?P<t>{TITLE})"),
    # "Ai Weiwei: Never Sorry is a documentary about", "Bellflower tells the story"
    re.compile(
        rf"(?:^|\.\s+)[“\"‘]?(?P<t>{TITLE})[”\"’]?,?\s+(?:is|was)\s+(?:a|an|the)\s+"
        rf"(?:[\w\-’']+\s+){{0,4}}{FILM_WORDS}",
        re.M,
    ),
    TELLS,
    # "Spoilers for Shoplifters ahead", "spoiler warning for The Night Sitter"
    re.compile(rf"\b[Ss]poilers?(?: warning| alert)?:?\s+(?:for|about)\s+[“\"‘]?(?P<t>{TITLE})"),
    OWNED,
]
FILM_PATTERNS += release_patterns(TITLE)
# The word for a film in the languages of the corpus, before the title it names: "der Film
# „Die Kommune“", "o novo longa ‘BR 716’", "rediteljem filma "Ako zrno ne umre"". Written
# in lower case, it may name a title in capitals; any case names a title in quotation marks.
FOREIGN_FILM_WORDS = (
    r"(?:filme|filma|filmu|filmie|filmul|filmen|filmet|filmom|película|pelicula|documental|"
    r"documentaire|documentário|documentario|dokumentarfilm|dokumentär|spielfilm|långfilm|"
    r"spillefilm|speelfilm|pellicola|longa|longa-metragem|long-métrage|court-métrage|"
    r"cortometraje|curta|kurzfilm|ópera prima|opera prima|фильм[аеуы]?|ταινία|סרטו|סרטה|הסרט)"
)
FILM_PATTERNS += [
    re.compile(
        rf"(?<!\w)(?:(?i:{FOREIGN_FILM_WORDS})|Film),?[ ]+[“\"‘„«][ ]?"
        r"(?P<t>[^“”\"‘’«»„\n]{1,80}?)[ ]?[”\"’“»]"
    ),
    re.compile(rf"(?<!\w){FOREIGN_FILM_WORDS}[ ]+(?P<t>{TITLE})"),
    # Turkish writes the word after the title: "Abluka filmi", "Kumun Tadı filminin".
    re.compile(rf"(?P<t>{TITLE})[”\"’]?[ ]+film(?:i|ini|inin|inde|iyle|inden|indeki)\b"),
]
# "Ceniza (Ash)", "Los Años Mudos (The Mute Years)": a title with its translation.
TRANSLATED = re.compile(rf"(?P<a>{TITLE})[”\"’]?\s+\([“\"‘]?(?P<b>{TITLE})[”\"’]?\)")
ARTICLES = ("The ", "A ", "An ")
SMALL_WORDS = set("of the a an and in on to at for from with or".split())
DIRECTOR_PATTERNS = [
    re.compile(
        rf"\b(?:[Dd]irector|[Ff]ilmmaker|[Dd]irected by|[Dd]irector/writer|[Hh]elmer|"
        rf"[Ww]riter[/-][Dd]irector|[Dd]ocumentarian|auteur|[Dd]irected and written by|"
        rf"[Ww]ritten and directed by)s?[,:]?\s+(?P<p>{PERSON})"
    ),
    re.compile(
        rf"(?P<p>{PERSON}),?\s+(?:the\s+)?(?:film['’]s\s+)?(?:writer[/-])?"
        rf"(?:director|filmmaker|writer[/-]director)\b(?!\s+[A-Z])"  # not "X, director Y"
    ),
    re.compile(rf"(?P<p>{PERSON})[’']s\s+(?:(?:new|latest|debut|first)\s+)*{FILM_WORDS}"),
    re.compile(rf"(?P<p>{PERSON})\s+(?:directed|directs|helmed|co-directed)\b"),
    # "Mae Okafor and Jonas Brill co-directed", "John Rocco and Abiel Bruhn, the directors"
    re.compile(
        rf"(?P<p>{PERSON})\s+and\s+(?P<q>{PERSON}),?\s+(?:co-directed|directed|"
        rf"the\s+(?:co-)?directors|(?:the\s+)?writers and directors|who directed)"
    ),
    re.compile(rf"(?P<p>{PERSON})[^.]{{0,60}}\bdirectorial\b"),
    re.compile(rf"(?P<p>{PERSON})[^.]{{0,40}}\bturns director\b"),
]
# Capitalised words that begin sentences and are not titles.
NOT_TITLE = set(
    "the a an this that it he she they i we you his her in on at and but so when what how "
    "why there here director film documentary my our their its one yes no if q a&q "
    "interview photo read watch also then "
    "cannes sundance venice berlin berlinale toronto tiff sxsw tribeca hollywood netflix "
    "oscar oscars academy golden globe globes palme bafta festival browse home news "
    "reviews features interviews articles latest trailer video photos spoilers ".split()
)
# Articles, in the languages of the corpus, that may open a title but are never one alone.
ARTICLE_WORDS = set("the a an il lo la le les l el los las un una une der die das ein eine".split())
NOT_TITLE |= ARTICLE_WORDS


@dataclass
class Entities:
    """Films and directors with the reasons they were chosen."""

    films: list[str] = field(default_factory=list)
    directors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def normalize_title(title: str) -> str:
    """Strip quotes and stray punctuation; 'CONVENTION' -> 'Convention'."""
    title = re.sub(r"\s+", " ", title).strip(" \t\"“”‘’'«»*_.,;:!?()[]–—-").replace(" & ", " and ")
    if title.isupper() and len(title) > 3:
        title = title.title()
    return title


def find_entities(
    title: str, blocks: list[Block], people: list[str], interviewees: list[str], url: str = ""
) -> Entities:
    """Guess the films and directors from the title, italics, quotes and text patterns."""
    result = Entities()
    text = "\n".join(b.text for b in blocks)
    directors = director_candidates(title + "\n" + text, people, interviewees)
    if directors:
        best = directors.most_common(1)[0][1]
        result.directors = [d for d, s in directors.most_common(3) if s >= best * 0.5]
        result.notes.append(f"director {result.directors} from text patterns")
    elif interviewees:
        # An interview with no credit line: the guest is usually the director.
        result.directors = interviewees[:1]
        result.notes.append(f"director {result.directors}: the interviewee (no credit found)")
    people = [*people, *directors]
    films = film_candidates(title, blocks, text, url, people)
    if films:
        ranked = films.most_common(3)
        result.films = [english_title(ranked[0][0], blocks, text)]
        result.notes.append(f"film {result.films} from title/text patterns (scores {dict(ranked)})")
    elif title_is_name(title, people):
        result.films = [normalize_title(title)]
        result.notes.append("film: the page's title is a bare film name (a film page)")
    elif subjects := subject_titles(blocks, people):
        result.films = [normalize_title(subjects[0])]
        result.notes.append("film: the subject of the lead's opening sentences")
    if not result.directors and result.films:
        owner = possessive_director(result.films[0], title + "\n" + text, people)
        owner = owner or pronoun_director(result.films[0], title, text)
        if owner:
            result.directors = [owner]
            result.notes.append(f"director {owner!r}: the text calls the film theirs")
    return result


@dataclass
class FilmEvidence:
    """What a page's headline and body say for each span that may be its film, whoever the
    page names and wherever it lives: read once, scored for each caller's people and URL."""

    title: str
    blocks: list[Block]
    text: str  # the body, the headline left out
    evidence: Counter[str]
    delimited: set[str]  # set off by quotes, italics or brackets: whole titles

    def reads(self, title: str, blocks: list[Block], text: str) -> bool:
        """This is the evidence `film_evidence(title, blocks, text)` would find."""
        return (
            title == self.title
            and body_text(title, blocks, text) == self.text
            and (blocks == self.blocks)
        )


def body_text(title: str, blocks: list[Block], text: str) -> str:
    """The text evidence is read from: the body without the headline when there is one."""
    return without_headline(title, blocks) if title else text


def without_headline(title: str, blocks: list[Block]) -> str:
    """The blocks' text; the headline often opens the body too: count it once, as the
    headline."""
    return "\n".join(b.text for b in blocks if fold(b.text) != fold(title))


def film_candidates(
    title: str,
    blocks: list[Block],
    text: str,
    url: str = "",
    people: list[str] | None = None,
    evidence: FilmEvidence | None = None,
) -> Counter[str]:
    """Score candidate titles: evidence from patterns, then how often each recurs.

    `evidence`, when it is what the page says (`film_evidence`), is not read again."""
    if evidence is None or not evidence.reads(title, blocks, text):
        evidence = film_evidence(title, blocks, text)
    return score_films(evidence, url, people or [])


def film_evidence(title: str, blocks: list[Block], text: str) -> FilmEvidence:
    """The evidence of the headline's shapes, italics, quotes and film patterns for every
    span, before the page's address and people are weighed."""
    evidence: Counter[str] = Counter()
    delimited: set[str] = set()
    text = body_text(title, blocks, text)
    for quoted in headline_quotes(title):
        evidence[quoted] += 5
        delimited.add(quoted)
    for source, weight in ((title, 5), (text, 2)):
        for found in cjk_titles(source):
            evidence[normalize_title(found)] += weight  # 『夏の終わりの灯台』, 영화 '밤의 항구'
            delimited.add(normalize_title(found))
    for match in re.finditer(rf"\b(?:on|about|talks|discusses|of)\s+[“\"‘]?(?P<t>{TITLE})", title):
        evidence[trim_title(match.group("t"))] += 3  # "Oren Vast on The Glass Orchard"
    for match in re.finditer(TITLE, title):
        evidence[trim_title(match.group(0))] += 1
    for match in re.finditer(r"\(([A-Z][^()]{1,60})\)", title):
        evidence[normalize_title(match.group(1))] += 4
        delimited.add(normalize_title(match.group(1)))
    for part in re.split(r"\s+[–—|-]\s+|:\s+", title)[1:]:
        if 0 < len(part.split()) <= 6 and not re.search(r"[“”\"‘’]| on | with ", part):
            evidence[normalize_title(part)] += 2  # "Interview with X – A Touch of Sin"
    for italic in italic_titles(blocks):
        evidence[italic] += 2
        delimited.add(italic)
    for quoted in spans_of(QUOTED, text):
        t = comma_title(quoted) or quoted
        if len(t.split()) <= 8 and not t.rstrip().endswith((".", ",", "?", "!")):
            evidence[normalize_title(t)] += 1
            delimited.add(normalize_title(t))
    for source in (title, text):
        for pattern in FILM_PATTERNS:
            for span in spans_of(pattern, source):
                evidence[trim_title(span)] += 2 if source is text else 4
    add_translations(text, evidence, delimited)
    return FilmEvidence(title, blocks, text, evidence, delimited)


@lru_cache(maxsize=128)  # a page asks about 32 (pattern, text) pairs
def spans_of(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    """What `pattern` points at in `text` (its group "t"), in order: the film evidence and
    the cue counts both ask, and the page is read once."""
    return tuple(match.group("t") for match in pattern.finditer(text))


def headline_quotes(title: str) -> list[str]:
    """The titles the headline quotes, not the quotations it opens or closes with."""
    found = []
    quotes = list(QUOTED.finditer(title))
    for match in quotes:
        before, after = title[: match.start()].strip(), title[match.end() :].strip()
        if (before.endswith(":") and not after) or (not before and after.startswith(":")):
            continue  # "Name: “a quotation”", "“A quotation”: Name on ...": not a title
        if len(quotes) > 1 and sentence_quote(match.group("t")):
            continue  # "“I never went home” – X on “Blue Hour”": the quote is the guest's
        found.append(normalize_title(match.group("t")))
    return found


def italic_titles(blocks: list[Block]) -> list[str]:
    """The italic phrases shaped like a title."""
    found = []
    for block in blocks:
        for phrase in block.italics:
            if phrase == block.text or question_like(phrase):
                continue  # a whole italic paragraph is a question or a note, not a title
            if phrase[:1].isupper() and len(phrase) < 80 and len(phrase.split()) <= 10:
                found.append(normalize_title(phrase))
    return found


def add_translations(text: str, evidence: Counter[str], delimited: set[str]) -> None:
    """ "Los Años Mudos (The Mute Years)": the English title a film database lists weighs
    what its original title does, and more."""
    for match in TRANSLATED.finditer(text):
        words, english = match.group("a").split(), normalize_title(match.group("b"))
        tails = [normalize_title(" ".join(words[k:])) for k in range(len(words))]
        original = next((t for t in tails if evidence[t]), "")
        if original and (english in delimited or english.startswith(ARTICLES)):
            evidence[english] += evidence[original] + 2
            delimited.add(english)


def score_films(found: FilmEvidence, url: str, people: list[str]) -> Counter[str]:
    """The page's evidence with its address's, less the spans that are its people's names,
    plus how often each span recurs."""
    title, text, delimited = found.title, found.text, found.delimited
    evidence = Counter(found.evidence)
    slug = " " + fold(re.sub(r"[-_/]+", " ", url.rsplit("/", 2)[-2] if url.count("/") > 3 else url))
    slug += " " + fold(re.sub(r"[-_/]+", " ", url)) + " "
    full = title + "\n" + text
    for phrase in slug_phrases(url, text):
        # A recurring capitalised phrase that is also in the page's address.
        if count_exact(phrase, text) >= 1:
            evidence[phrase] += 1
    persons = {fold(p) for p in people}
    person_words = {w for p in persons for w in p.split()}
    scores: Counter[str] = Counter()
    counted: dict[str, int] = {}
    for cand, ev in evidence.items():
        key = fold(cand)
        if not key or key in NOT_TITLE or len(cand) < 2 or set(key.split()) <= person_words:
            continue  # a person's name, or part of one, is not a film title
        if any(f" {p} " in f" {key} " for p in persons if " " in p):
            continue  # "Oren Vast on The Glass Orchard" is a headline, not a title
        if key.replace(" ", "").isdigit():
            continue
        body_mentions = count_exact(cand, text)
        if ev <= 1 and body_mentions == 0:
            continue  # only a capitalised phrase of the headline, never used in the text
        first = fold(cand.split()[0])
        if first in NOT_TITLE and (len(cand.split()) == 1 or first not in ARTICLE_WORDS):
            continue
        mentions = count_exact(cand, full)
        in_url = 3 if f" {key} " in slug else 0
        scores[cand] = ev + min(mentions, 8) + in_url
        counted[cand] = mentions
    return merge_variants(scores, counted, delimited)


def title_is_name(title: str, people: list[str]) -> bool:
    """A short headline that is only a capitalised name, not a sentence or a person."""
    words = title.split()
    if not 1 <= len(words) <= 6 or re.search(r"[:?!|–—]", title):
        return False
    if looks_like_name(title) and not (fold(words[0]) in ARTICLE_WORDS or SMALL_WORDS & set(words)):
        return False  # "Harriet Vane" is a profile of a person
    if fold(title) in {fold(p) for p in people} or fold(words[0]) in NOT_TITLE - ARTICLE_WORDS:
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w in SMALL_WORDS for w in words)


def english_title(film: str, blocks: list[Block], text: str) -> str:
    """The translation given in brackets after the film's original title, if any."""
    glossed = (GLOSS.match(text, at + len(film)) for at in occurrences(film, text))
    match = next((m for m in glossed if m), None)
    if not match:
        return film
    english = normalize_title(match.group("b"))
    italic = any(english == normalize_title(i) for b in blocks for i in b.italics)
    return english if italic or english.startswith(ARTICLES) else film


def patterned_titles(title: str, text: str) -> set[str]:
    """Folded titles that some film pattern or quotation marks point at, in the headline
    or the body (`text`, the headline left out)."""
    found: set[str] = set()
    for source in (title, text):
        found |= {fold(quoted) for quoted in spans_of(QUOTED, source)}
        for pattern in FILM_PATTERNS:
            found |= {fold(trim_title(span)) for span in spans_of(pattern, source)}
    return found


def count_exact(phrase: str, text: str) -> int:
    """Occurrences of a title as written (case-sensitive, whole words, any quotes).

    Plain string search: a regex per phrase would crowd the compiled-pattern cache."""
    count = 0
    for start in occurrences(phrase, text):
        end = start + len(phrase)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        count += not _word(before) and not _word(after)
    return count


def ending_at(pattern: re.Pattern[str], phrase: str, text: str) -> re.Match[str] | None:
    """The first match of `pattern` (which ends in \\Z) that ends where `phrase` begins
    in `text`: the pattern followed by the phrase, without a regex compiled per phrase."""
    for at in occurrences(phrase, text):
        if match := pattern.search(text, max(0, at - REACH), at):
            return match
    return None


def occurrences(phrase: str, text: str) -> Iterator[int]:
    """Where `phrase` starts in `text`, overlaps included."""
    start = text.find(phrase) if phrase else -1
    while start >= 0:
        yield start
        start = text.find(phrase, start + 1)


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def slug_phrases(url: str, text: str) -> list[str]:
    """Capitalised phrases of the text whose words also make up part of the URL's slug."""
    path = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] if "/" in url else url
    words = [w for w in fold(re.sub(r"\.\w+$", "", path)).split() if not w.isdigit()]
    flat = f" {fold(text)} "  # what no folded text holds, no pattern below can match
    found = []
    for size in range(5, 0, -1):
        for k in range(len(words) - size + 1):
            gram = words[k : k + size]
            if size == 1 and (len(gram[0]) < 3 or gram[0] in NOT_TITLE):
                continue
            if f" {' '.join(gram)} " not in flat:
                continue
            pattern = r"\b" + r"[\s:’',]+".join(re.escape(w) for w in gram) + r"\b"
            for match in re.finditer(pattern, text, re.I):
                phrase = match.group(0)
                caps = [w for w in phrase.split() if w.lower() not in NOT_TITLE or w == phrase[:1]]
                if caps and all(w[:1].isupper() or w[:1].isdigit() for w in caps):
                    found.append(normalize_title(phrase))
                    break
    return found


def trim_title(title: str) -> str:
    """Cut a pattern match back to the title: drop trailing small words and possessives,
    and a trailing place ("Ran at the New York Film Festival")."""
    words = normalize_title(title).split()
    for k, word in enumerate(words[1:], start=1):
        if word[:1].isupper() and fold(word) in NOT_TITLE:
            joiners = [j for j in range(1, k) if words[j].islower()]
            if joiners:
                words = words[: joiners[0]]
            break
    while words and words[-1].lower() in {"of", "the", "a", "an", "and", "in", "on", "to"}:
        words.pop()
    return normalize_title(" ".join(words))


def merge_variants(
    scores: Counter[str], mentions: dict[str, int], delimited: set[str] | None = None
) -> Counter[str]:
    """'Never Sorry' counts for 'Ai Weiwei: Never Sorry' when the fuller title recurs."""
    merged: Counter[str] = Counter()
    keys = sorted(scores, key=lambda c: -len(c))
    for cand in keys:
        key = fold(cand)
        target = cand
        for longer in keys:
            lk = fold(longer)
            inside = f" {key} " in f" {lk} " and longer in (delimited or set())
            if len(lk) > len(key) and (
                lk.endswith(" " + key) or lk.startswith(key + " ") or inside
            ):
                # "Ai Weiwei" and "Never Sorry" are short for "Ai Weiwei: Never Sorry".
                colon = fold(longer.split(":")[0]) == key or fold(longer.split(":")[-1]) == key
                if mentions.get(longer, 0) >= 2 or (colon and ":" in longer) or inside:
                    target = longer
                    break
        merged[target] += scores[cand]
    return merged


def director_candidates(text: str, people: list[str], interviewees: list[str]) -> Counter[str]:
    """Score people named as directors, resolved to the spelling the text uses most."""
    found: Counter[str] = Counter()
    for pattern in DIRECTOR_PATTERNS:
        for match in pattern.finditer(text):
            for group in ("p", "q"):
                if group in pattern.groupindex and (name := clean_person(match.group(group))):
                    found[name] += 2
    for name, count in director_names(text).items():
        found[name] += 2 * count  # "山田花子監督", "김민준 감독"
    pool = unique([*people, *find_names(text)])
    scores: Counter[str] = Counter()
    for name, score in found.items():
        full = canonical_person(name, pool, text)
        bonus = 2 if any(fold(full) == fold(i) for i in interviewees) else 0
        scores[full] += score + bonus
    return scores


def canonical_person(name: str, pool: list[str], text: str) -> str:
    """The pool name sharing this one's surname that the text uses most ("Ask Damien
    Chazelle" -> "Damien Chazelle")."""
    last = fold(name).split()[-1]
    words = name.split()
    tails = [" ".join(words[k:]) for k in range(len(words) - 1)]
    same = [p for p in pool if fold(p).split()[-1:] == [last] and len(fold(p).split()) >= 2]
    same += tails
    same = [p for p in same if fold(p) in fold(name) or fold(name) in fold(p)] or [name]
    return max(same, key=lambda p: (text.count(p), len(p)))


def possessive_director(film: str, text: str, people: list[str]) -> str:
    """ "Klayman’s “Never Sorry”", "Jane Doe's The Long Winter": the owner directed it."""
    variants = {film, *(part.strip() for part in film.split(":") if len(part.strip()) > 3)}
    for variant in sorted(variants, key=len, reverse=True):
        match = ending_at(OWNER, variant, text)
        if match:
            name = match.group("p")
            pool = unique([*people, *find_names(text)])
            full = canonical_person(name, pool, text) if " " in name else ""
            if not full:
                same = [p for p in pool if fold(p).split()[-1:] == [fold(name)]]
                full = max(same, key=text.count) if same else ""
            if full and fold(full) not in NOT_TITLE:
                return full
    return ""


def pronoun_director(film: str, title: str, text: str) -> str:
    """ "Her debut feature, Drift Season": the film belongs to the person the piece is about,
    the one its headline names (else the one the text names most)."""
    if not ending_at(PRONOUN_OWNER, film, text):
        return ""
    named = [n for n in find_names(title) if n in text] or [
        n for n, _ in find_names(text).most_common(1)
    ]
    return clean_person(named[0]) if named else ""


def clean_person(name: str) -> str:
    """Drop capitalised non-name words around a name ("Ask Damien Chazelle Interview")."""
    name = re.split(r"[’']s\b", name)[0]  # "Hanna Kowalczyk’s The Night Orchard"
    words = name.split()
    if words and fold(words[0]) in ARTICLE_WORDS:
        return ""  # "The Orange Groves" is a title, not a person
    while words and (fold(words[0]) in NOT_TITLE or fold(words[0]) in NOT_NAME_WORDS):
        words = words[1:]
    while words and (fold(words[-1]) in NOT_TITLE or fold(words[-1]) in NOT_NAME_WORDS):
        words = words[:-1]
    return " ".join(words) if len(words) >= 2 else ""
