"""Who an interview is with: every name the page gives, described by named features and
weighed by a fitted choice model (`subject.weights.json`), or by the rules' own weights
when no model is given.

A name is a candidate when the headline, the web address, a cue ("spoke with X", "X on
Y", "山田監督") or the text names it; the interviewer, the authors and whoever only asks are
never one. A candidate is chosen when the model is sure enough; otherwise nobody is.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

from indexer.dialogue.roles import Hints
from indexer.linear import LinearModel
from indexer.model import Block
from indexer.text.cjk import directed_names
from indexer.text.names import UPPER, find_names, fold, mentions, word_counts
from indexer.text.scripts import script_of

# "spoke with X", "director X", "the debut feature of X", "un film de X": phrases that
# introduce the person interviewed.
SUBJECT_CUE = re.compile(
    r"(?:\b(?:interviewed|welcoming)|"
    r"\b(?i:interview|q&a|conversation|spoke|speak|speaking|talk|talks|talked|talking|chat|"
    r"chats|chatted|chatting|sat down|sits down|caught up|catches up|met|meets)\s+(?:with|to)|"
    r"\b(?i:entrevista|conversa|conversación|charla|intervista)\s+(?:con|com|a)|"
    r"\b(?i:entretien|rencontre|conversation)\s+avec|\b(?i:interview|gespräch)\s+mit|"
    r"\b(?i:rozmowa\s+z|rozhovor\s+s)|"
    r"\b(?i:director|filmmaker|actor|actress|star|writer|producer|artist|guest|réalisateur|"
    r"réalisatrice|cinéaste|cineasta|regisseur|regisseurin|regista|directora|diretor|diretora|"
    r"reżyser|režisér|režiser|rendező|yönetmen|ohjaaja)|"
    r"(?:film|feature|debut|documentary|movie|drama|película|filme)\s+(?:of|by|de|von|di|van))"
    r"\s+(?:the\s+)?(?:(?:director|filmmaker|actor|actress)\s+)?"
    rf"(?P<name>{UPPER}[\w’'\-–]+(?:\s+{UPPER}[\w’'\-–]+){{1,3}})"
)
# "Marta Quell on Winter Bees", "Lucía Ferrand's documentary": the guest, named first.
SUBJECT_POSITION = re.compile(
    rf"(?:^|\n|:\s)(?P<name>{UPPER}[\w’'\-–]+(?:\s+{UPPER}[\w’'\-–]+){{1,3}})"
    r"(?:\s+(?:on|talks|discusses|reflects|explains|remembers)\b|[’']s\s+(?:\w+\s+)?"
    r"(?:film|documentary|movie|debut|feature|drama))"
)
# Capitalised words after a preposition of place ("in New York", "aus Berlin"), in the
# languages of film journalism.
PLACED = re.compile(
    r"\b(?:in|at|from|to|near|en|à|au|de|desde|em|no|na|nel|nach|aus|im|w|v|u)\s+"
    rf"(?P<name>{UPPER}[\w’'\-]*(?:\s{UPPER}[\w’'\-]*)*)"
)
# A work, not a person: "the film Citizen Kane", "Septic Tank (2010)".
WORK = re.compile(
    r"\b(?i:film|movie|documentary|series|book|novel|album|play|película|filme|documentaire|"
    r"documental|documentário|dokumentarfilm)\s+[“\"«„‘']?"
    rf"(?P<work>{UPPER}[\w’'\-–]*(?:\s+{UPPER}[\w’'\-–]*)*)|"
    rf"(?P<dated>{UPPER}[\w’'\-–]*(?:\s+{UPPER}[\w’'\-–]*)*)[”\"»’']?\s*\((?:19|20)\d\d\)"
)
# Words that name an institution, a place or a post rather than a person, in the languages
# of film journalism: "New York University", "Programming Coordinator", "Daily Alerts".
OFFICE_WORDS = set(
    "festival festivals university universidad université universität università college "
    "school academy institute institut museum center centre cinema cinemas cinémathèque "
    "cineteca kino theatre theater studio studios pictures productions entertainment media "
    "magazine news press times post radio tv television awards award international "
    "national city street avenue coordinator programmer programming curator manager editor "
    "president department office society foundation fund council alerts notifications "
    "newsletter review reviews interview interviews".split()
)
# A lower-case letter run straight into a capital ("DraginaAko"): words glued together by
# the page's extraction, not one name.
CAMEL = re.compile(r"(?<=[a-zà-ÿ]{3})(?=[A-ZÀ-Ý])")  # not "McDonald", "DiCaprio", "MacKay"
EARLY_CHARS = 600  # the opening of the text, where an intro names its guest
FEATURE_VERSION = 3  # bump when a candidate feature's meaning changes

# The rules' weights, used when no fitted model is given: the headline, a cue and the web
# address count most, then how often the name and its surname recur; a quoted or italic
# title, the outlet, a place or the page's film is never the guest.
RULE_WEIGHTS = {
    "title": 6.0,
    "position_cue": 5.0,
    "directed": 5.0,
    "role_cue": 4.0,
    "address": 6.0,
    "mentions": 6.0,
    "surname": 1.0,
    "quoted": -50.0,
    "italic": -50.0,
    "titled": -50.0,
    "outlet": -50.0,
    "located": -50.0,
    "film": -50.0,
}
RULES = LinearModel(
    name="subject",
    features=tuple(RULE_WEIGHTS),
    weights=np.array(list(RULE_WEIGHTS.values())),
    bias=-1.0,
    threshold=0.0,
    choice=True,
)


def subject_candidates(
    hints: Hints,
    blocks: list[Block],
    skip: Iterable[str],
    labels: Mapping[str, float],
    answers: str = "",
) -> dict[str, dict[str, float]]:
    """Each name the page could be interviewing, with its named features. `skip` holds who
    asks; `labels` maps each labelled speaker to the share of their turns that ask;
    `answers` is the text read as answers (the guest rarely names themself there)."""
    text = "\n".join(b.text for b in blocks)
    head = hints.title + "\n" + text
    found: dict[str, dict[str, float]] = {}
    written: dict[str, Counter[str]] = {}  # each folded name's spellings ("EMİN ALPER")

    def add(names: Iterable[str], feature: str) -> None:
        for name in map(unglued, names):
            key = fold(name)
            found.setdefault(key, {})[feature] = 1.0
            written.setdefault(key, Counter())[name] += 1

    counts = find_names(text)
    directed = directed_names(head)
    add(counts, "in_text")
    add(find_names(hints.title), "title")
    add(cued_names(SUBJECT_POSITION, head), "position_cue")
    add(directed, "directed")
    add(cued_names(SUBJECT_CUE, head), "role_cue")
    add(addressed_names(hints.slug, head), "address")
    add(labels, "label")
    skipped = {fold(s) for s in skip if s} | {fold(hints.publication)}
    asks = {fold(n): share for n, share in labels.items()}
    quoted = {fold(q) for q in re.findall(r"[“\"]([^”\"]{2,60})[”\"]", text)}
    italic = {fold(i) for b in blocks for i in b.italics}
    places = Counter(m.group("name") for m in PLACED.finditer(text))
    works = {fold(m.group("work") or m.group("dated")) for m in WORK.finditer(head)}
    words = word_counts(text)
    lower = {w for w in words if w.islower()}
    address = f" {hints.slug} "
    publication = fold(hints.publication)
    films = hints.films()
    folded_text = fold(text)
    firsts = sorted(found, key=lambda k: folded_text.find(k) % (len(folded_text) + 1))
    result: dict[str, dict[str, float]] = {}
    for rank, key in enumerate(firsts):
        if not key or key in skipped:
            continue
        spellings = written[key]
        # The commonest spelling, mixed case before capitals ("Emin Alper", "EMİN ALPER").
        name = max(spellings, key=lambda n: (not n.isupper(), spellings[n]))
        f = found[key]
        parts = name.split()
        surname = parts[-1]
        times = sum(text.count(n) for n in spellings)
        f["mentions"] = math.log1p(times)
        f["in_answers"] = math.log1p(sum(answers.count(n) for n in spellings))
        if not surname.isupper():  # "Superhero TV": capitals make an acronym, not a surname
            f["surname"] = math.log1p(mentions(surname, text, words)) / 2
        f["address"] = max(f.get("address", 0.0), float(f" {key} " in address))
        f["early"] = float(0 <= folded_text.find(key) < EARLY_CHARS)
        f["first_named"] = 1.0 / (1 + rank)
        f["one_word"] = float(len(parts) == 1)
        f["long_name"] = float(len(parts) >= 4)
        f["upper"] = float(name.isupper())
        f["common_words"] = sum(w.lower() in lower for w in parts) / len(parts)
        f["label_asks"] = asks.get(key, 0.0)
        f["film"] = float(key in films and not cued(f))
        f["quoted"] = float(key in quoted)
        f["italic"] = float(key in italic)
        f["titled"] = float(titled(key, quoted | italic))
        f["outlet"] = float(key in publication or squashed(key) in squashed(hints.publication))
        f["located"] = float(located(name, text, places))
        f["work"] = float(key in works)
        f["office"] = sum(w.casefold() in OFFICE_WORDS for w in parts) / len(parts)
        result[name] = f
    return result


def addressed_names(slug: str, text: str) -> list[str]:
    """Two or three words of the web address that the text writes as a capitalised name
    ("/interview-dibakar-banerjee" finds "Dibakar Banerjee" in "Yashraj-Dibakar Banerjee")."""
    words = [w for w in slug.split() if len(w) > 1 and not w.isdigit()]
    flat = " ".join(text.casefold().split())
    found: list[str] = []
    for size in (3, 2):
        for k in range(len(words) - size + 1):
            if " ".join(words[k : k + size]) not in flat:
                continue  # most of an address is not in the text: no pattern to compile
            run = r"\s+".join(re.escape(w) for w in words[k : k + size])
            for match in re.finditer(rf"(?<!\w){run}(?!\w)", text, re.I):
                if all(w[:1].isupper() for w in match.group(0).split()):
                    found.append(" ".join(match.group(0).split()))
    return found


def choose_subject(candidates: dict[str, dict[str, float]], model: LinearModel | None) -> str:
    """The candidate the model finds likeliest, when at or above its threshold."""
    name, p = likeliest(candidates, model)
    return name if p >= (model or RULES).threshold else ""


def likeliest(
    candidates: dict[str, dict[str, float]], model: LinearModel | None
) -> tuple[str, float]:
    """The candidate the model (by default the rules) finds likeliest, with its probability."""
    names = list(candidates)
    if not names:
        return "", 0.0
    p = (model or RULES).probabilities([candidates[n] for n in names])
    best = max(range(len(names)), key=lambda i: p[i])
    return names[best], p[best]


def unglued(name: str) -> str:
    """The name without what extraction ran into it: "Tigmanshu Dhuliaआप" is "Tigmanshu
    Dhulia", "Siniše DraginaAko" is "Siniše Dragina"."""
    kept: list[str] = []
    for word in name.split():
        head = CAMEL.split(word, maxsplit=1)[0]
        script = [script_of(c) for c in head if c.isalpha()]
        cut = next((k for k in range(1, len(script)) if script[k] != script[0]), None)
        if cut is not None:
            letters = [i for i, c in enumerate(head) if c.isalpha()]
            head = head[: letters[cut]]
        kept.append(head)
        if head != word:
            break
    return " ".join(kept)


def cued_names(cue: re.Pattern[str], text: str) -> list[str]:
    return [n for m in cue.finditer(text) for n in find_names(m.group("name"))]


def cued(features: dict[str, float]) -> bool:
    return any(features.get(k) for k in ("position_cue", "directed", "role_cue"))


def titled(key: str, titles: set[str]) -> bool:
    """The name is a part of a quoted or italic title of two words or more."""
    return " " in key and any(f" {key} " in f" {t} " for t in titles if t != key)


def squashed(text: str) -> str:
    return fold(text).replace(" ", "")


def located(name: str, text: str, places: Counter[str]) -> bool:
    """Most mentions of the name follow a preposition of place: a city, not a person.
    `places` counts the capitalised words after such prepositions in `text`."""
    placed = sum(n for p, n in places.items() if p == name or p.startswith(name + " "))
    return 2 * placed >= text.count(name) > 0
