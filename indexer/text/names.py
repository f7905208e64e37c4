"""Person and title names: finding them in text, matching labels to them, corpus-wide canon."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from indexer.model import Article, unique
from indexer.text.cjk import CJK_NAME

ALIASES_FILE = "aliases.json"


def capitals() -> str:
    """A character class of every capital letter of the Basic Multilingual Plane, written as
    ranges ("A-Z", "À-Ö", "Ø-Þ", "Ā", … "А-Я", "Α-Ω"): names begin with one in any script
    that has capitals."""
    letters = [
        c for c in range(0x10000) if chr(c).isupper() or unicodedata.category(chr(c)) == "Lt"
    ]
    ranges: list[tuple[int, int]] = []
    for c in letters:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    return "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]"


# A capital letter in any script ("A", "É", "Ł", "Ж", "Σ").
UPPER = capitals()
# One word of a name: "Alison", "Kore-eda", "O'Neil", "Sembène", "Émile", "Илья", an initial
# "A." or "AJ".
NAME_WORD = rf"(?:(?:{UPPER}\.){{2,3}}|{UPPER}[\w’'\-–]*[\w]|{UPPER}\.|{UPPER}{{1,3}})"
PARTICLE = r"(?:de|da|del|di|van|von|der|den|la|le|bin|al|du|dos|das)"
# A capitalised name: 2-5 words on one line, allowing particles (de, van).
NAME_RE = re.compile(
    rf"(?<![\w’'])(?:{NAME_WORD})(?:[ \t]+(?:{PARTICLE}[ \t]+)?(?:{NAME_WORD})){{1,4}}(?![\w’'])"
)
# Words that begin or end capitalised runs without being part of a person's name.
NOT_NAME_WORDS = set(
    """the a an and but so in on at of for with from by when what why how who where this that
    it i we you he she they his her my our their if as after before while mr mrs ms dr
    director directors filmmaker filmmakers first interview interviews q&a photo film films
    documentary january february march april may june july august september october
    november december monday tuesday wednesday thursday friday saturday sunday also yes no
    well festival writer actor actress star producer senior correspondent editor today there
    here then now like even news article edition exclusive review reviews preview
    discusses talks speaks says on sxsw sundance cannes berlin venice toronto tiff
    conversation chat meet q a writer/director first-time young veteran acclaimed i’m i'm
    during since until although because though unless
    whereas
    despite unlike about over under between through against among upon within without
    towards toward into onto per via ask meet see watch read says spoilers
    is are was were does did has have exits joins returns wins opens reveals explains
    remembers recalls reflects shares everyone everybody nobody someone""".split()
)
# One word of a full name as bylines write it.
# A word of a full name: capitalised, an initial, or a lower-case particle ("de", "van");
# other lower-case words ("in", "on") end a byline's name ("Ann Lee in Reviews").
FULL_NAME_WORD = re.compile(
    rf"^(?:{UPPER}[\w’'.\-]*|{UPPER}\.|de|da|das|do|dos|du|del|della|der|den|di|van|von|ter|le|la|"
    r"bin|binti|al|el|y|e|ibn|zu)$"
)
# Words in a byline that name a team or an outlet rather than a person.
NOT_PERSON_WORDS = set(
    "staff team editors editor desk admin administrator contributors contributor news "
    "magazine films reporters reporter correspondent newsroom writers webmaster".split()
)
HONORIFICS = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof|Sir|Dame)\.?\s+", re.I)


@lru_cache(maxsize=4096)  # an article's blocks, names and texts are folded many times
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key."""
    if not text.isascii():  # ASCII has no accents to take off
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def find_names(text: str) -> Counter[str]:
    """Count capitalised multi-word names in free text ("Alison Klayman’s" counts too)."""
    counts: Counter[str] = Counter()
    lower: set[str] | None = None  # the words the text writes in lower case, when needed
    for match in NAME_RE.finditer(text):
        # A possessive ends a name: "Edition’s Ousmane Sembène" holds two runs.
        for part in re.split(r"(?<=[’']s)\s+", match.group(0)):
            words = [re.sub(r"[’']s$", "", w) for w in part.split()]
            while words and words[0].lower().strip(".") in NOT_NAME_WORDS:
                words = words[1:]
            while words and words[-1].lower().strip(".") in NOT_NAME_WORDS:
                words = words[:-1]
            if len(words) >= 3:
                # A sentence's first word the text also writes in lower case opens no
                # name: "Режиссёр Илья Северов", "Regisseurin Ann Lee".
                lower = lower if lower is not None else set(re.findall(r"\b[^\W\d_]+\b", text))
                if words[0].lower() in lower and words[0].lower() != words[0]:
                    words = words[1:]
            if len(words) >= 2 and not all(len(w) <= 2 for w in words):
                counts[" ".join(words)] += 1
    return counts


def word_counts(text: str) -> Counter[str]:
    """How often each word of `text` occurs, for `mentions`."""
    return Counter(re.findall(r"\w+", text))


def mentions(word: str, text: str, words: Counter[str]) -> int:
    """How often `word` stands as a word in `text`; `words` is its `word_counts`."""
    if word.isalnum():
        return words[word]  # counted once per page, not searched once per name
    return len(re.findall(rf"\b{re.escape(word)}\b", text))


def best_name(candidates: list[str], text: str) -> str:
    """Among names a label could stand for, the one the text uses most, then the longest."""
    if not candidates:
        return ""
    return max(candidates, key=lambda c: (text.count(c) + 1 if text else 0, len(c)))


def initials(name: str) -> str:
    """'Bijan Tehrani' -> 'BT'; 'Hirokazu Kore-eda' -> 'HK' (hyphen parts count once)."""
    words = [w for w in re.split(r"\s+", HONORIFICS.sub("", name)) if w]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def initials_variants(name: str) -> set[str]:
    """Initials as writers abbreviate: every word, capitalised words only, hyphen parts."""
    words = [w for w in HONORIFICS.sub("", name).split() if w]
    every = "".join(w[0] for w in words if w[0].isalnum())
    caps = "".join(w[0] for w in words if w[0].isupper() or w[0].isdigit())
    parts = "".join(p[0] for w in words for p in w.split("-") if p and p[0].isalpha())
    camel = "".join(re.findall(r"[A-Z]", " ".join(words)))  # "IndieWire" -> "IW"
    return {v.upper() for v in (every, caps, parts, camel) if v}


def label_matches(label: str, candidates: list[str]) -> list[str]:
    """Longer candidate names this label abbreviates: initials, a surname, a first name."""
    key = fold(HONORIFICS.sub("", label))
    if not key:
        return []
    compact = key.replace(" ", "").upper()
    short_caps = " " not in key and label.replace(".", "").isupper() and len(compact) <= 5
    found = []
    for cand in candidates:
        cand_key = fold(cand)
        if not cand_key or cand_key == key or len(cand_key.split()) < 2:
            continue
        hit = f" {key} " in f" {cand_key} "
        if short_caps and not hit:
            hit = compact in initials_variants(cand)
        if hit:
            found.append(cand)
    return found


def match_label(label: str, candidates: list[str], text: str = "") -> str:
    """The name this label stands for ('' when none): most used in `text`, then longest."""
    return best_name(label_matches(label, candidates), text)


def load_aliases(corpus: Path) -> dict[str, str]:
    """The curated variant -> canonical map from `corpus/aliases.json` ({} when absent)."""
    path = corpus / ALIASES_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def canonicalize(articles: list[Article], aliases: dict[str, str]) -> None:
    """Make one spelling per person and per film across the corpus, in place.

    The curated `aliases` (variant -> canonical) and each article's own sidecar aliases win
    over the automatic choice, which prefers the most complete, most used spelling.
    """
    curated = {fold(k): v for k, v in aliases.items()}
    people = Counter(p for a in articles for p in article_people(a))
    for article in articles:
        article.films = unique(strip_quotes(f) for f in article.films)
    films = Counter(f for a in articles for f in a.films)
    # Initials, surnames and first names stand for a fuller name of the same article only
    # ("AR" on one page is nobody named on another); the corpus shares spellings.
    spelling = build_canon(people, curated, is_title=False, expand=False)
    film_map = build_canon(films, curated, is_title=True)
    for article in articles:
        own = {fold(k): v for k, v in article.aliases.items()}
        local = build_canon(Counter(article_people(article)), curated, is_title=False)

        def person(name: str, own: dict[str, str] = own, local: dict[str, str] = local) -> str:
            full = local.get(name, name)
            return own.get(fold(name)) or spelling.get(full, full)

        def film(name: str, own: dict[str, str] = own) -> str:
            return own.get(fold(name)) or film_map.get(name, name)

        article.rename(person, film)


def article_people(article: Article) -> list[str]:
    return [
        *article.directors,
        *article.interviewees,
        *article.interviewers,
        *(t.speaker for t in article.turns),
    ]


def build_canon(
    counts: Counter[str], curated: dict[str, str], is_title: bool, expand: bool = True
) -> dict[str, str]:
    """Map each variant to the most complete, most used spelling of the same name; with
    `expand` off, only to another spelling of the same folded name."""
    keys = {name: fold(name) for name in counts}
    by_key: dict[str, set[str]] = {}
    for name, key in keys.items():
        by_key.setdefault(key, set()).add(name)
    candidates = _variant_index(keys, is_title) if expand else lambda _, key: by_key[key]
    mapping: dict[str, str] = {}
    for name, key in keys.items():
        if key in curated:
            mapping[name] = curated[key]
            continue
        near = candidates(name, key)
        fuller = [o for o in near if o != name and is_variant(key, keys[o], name, o, is_title)]
        same = [o for o in near if keys[o] == key]
        longest = {keys[o] for o in fuller if len(keys[o]) > len(key)}
        if len(longest) == 1:
            # Exactly one fuller spelling ("Klayman" -> "Alison Klayman"): ambiguous
            # surnames ("Coen") are left alone.
            pool = [o for o in fuller if keys[o] in longest]
        else:
            pool = same
        target = max(pool or [name], key=lambda o: (counts[o], has_mixed_case(o), o))
        mapping[name] = curated.get(fold(target), target)
    return mapping


def _variant_index(keys: dict[str, str], is_title: bool) -> Callable[[str, str], set[str]]:
    """A lookup of the names that could be fuller spellings of a name.

    Every spelling `is_variant` accepts shares the name's folded key, contains its first
    word, or (for people) has its initials, so indexing those keeps the corpus-wide pass
    linear instead of comparing every name with every other.
    """
    by_word: dict[str, set[str]] = {}
    by_initials: dict[str, set[str]] = {}
    for name, key in keys.items():
        for word in set(key.split()) | {key}:
            by_word.setdefault(word, set()).add(name)
        if not is_title and len(key.split()) >= 2:
            for variant in initials_variants(name):
                by_initials.setdefault(variant, set()).add(name)

    def lookup(name: str, key: str) -> set[str]:
        found = set(by_word.get(key, ()))
        for folded in (key, fold(HONORIFICS.sub("", name))):
            if folded:
                found |= by_word.get(folded.split()[0], set())
                compact = folded.replace(" ", "").upper()
                if not is_title and " " not in folded and len(compact) <= 5:
                    found |= by_initials.get(compact, set())
        return found

    return lookup


def is_variant(key: str, other_key: str, name: str, other: str, is_title: bool) -> bool:
    """True when `name` is the same person or film as `other`, written more briefly."""
    if key == other_key:
        return True
    if is_title:
        return other_key.endswith(" " + key) or other_key.startswith(key + " ")
    return key in other_key.split() or match_label(name, [other]) == other


def strip_quotes(title: str) -> str:
    """'“Ai Weiwei: Never Sorry”' -> 'Ai Weiwei: Never Sorry'."""
    return re.sub(r"\s+", " ", title).strip(" \"“”‘’'«»*_.,;:")


def has_mixed_case(text: str) -> bool:
    """Prefer "Alison Klayman" over "ALISON KLAYMAN" as the displayed spelling."""
    return text != text.upper()


def looks_like_name(text: str) -> bool:
    """Two to five capitalised words, as a person's full name is written."""
    if CJK_NAME.match(text):
        return True  # "佐藤健一", "이수진"
    words = text.split()
    if words and words[0] in ("The", "A", "An", "THE"):
        return False  # "The Times", "The Editors"
    if not 2 <= len(words) <= 5 or len(text) > 60 or len(words[-1].strip(".")) < 2:
        return False  # "James W" is a handle, not a full name
    if any(w.casefold() in NOT_PERSON_WORDS for w in words):
        return False  # "IndieWire Staff", "News Desk"
    return all(FULL_NAME_WORD.match(w) for w in words) and words[0][0].isupper()


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) into one space."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()
