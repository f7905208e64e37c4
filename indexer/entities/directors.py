"""Director candidates and the named features a model weighs to choose among them."""

from __future__ import annotations

import re
from collections import Counter

from indexer.entities.films import (
    PERSON,
    canonical_person,
    clean_person,
    director_candidates,
    possessive_director,
    pronoun_director,
)
from indexer.entities.titles import Page, log_count
from indexer.model import INTERVIEWEE, Turn, unique
from indexer.text.names import find_names, fold, mentions, word_counts

# --- Tables -------------------------------------------------------------------------------

# Recorded in director.weights.json: bump when a director feature's meaning changes, so
# weights fitted on the old meaning are caught (refit with `python -m benchmarks.fit_parser`).
FEATURE_VERSION = 3

# Credit phrases before a name, in the languages of the corpus: "réalisé par X", "Regie: X".
CREDIT_BEFORE = re.compile(
    rf"\b(?:[Dd]irected by|[Dd]irector|[Ff]ilmmaker|[Rr]éalisé par|[Rr]éalisation|"
    rf"[Rr]éalisateur|[Rr]éalisatrice|[Rr]egie|[Rr]egisseur(?:in)?|[Dd]irigid[ao] por|"
    rf"[Dd]irector[a]?|[Dd]iretor[a]?|[Rr]egia di|[Rr]egista|[Rr]eżyser(?:ia)?|"
    rf"[Ii]n regia|[Uu]n film di|[Uu]n film de|[Uu]ne film de|[Ee]in Film von|"
    rf"[Uu]m filme de|[Uu]na película de|[Ff]ilm by)\s*[,:]?\s+(?P<p>{PERSON})"
)
# A name followed by its credit: "Céline Sciamma, réalisatrice", "X (director)".
CREDIT_AFTER = re.compile(
    rf"(?P<p>{PERSON}),?\s+\(?(?:the\s+)?(?:director|filmmaker|réalisateur|réalisatrice|"
    rf"cinéaste|regisseur|regisseurin|director[a]?|diretor[a]?|regista|reżyser)\b"
)

# Role words near a name, in the languages of the corpus. Directing words make the person
# likelier the director; acting and other crew words make them likelier someone else.
ROLE_NEAR = {
    "directing": re.compile(
        r"(?i)\b(?:director|directora|directed|directs|filmmaker|film-maker|réalisateur|"
        r"réalisatrice|cinéaste|cineasta|regisseur|regisseurin|regista|diretor|diretora|"
        r"reżyser|helmer|auteur|documentarian|documentarist|監督|감독)"
    ),
    "acting": re.compile(
        r"(?i)\b(?:actor|actress|actors|star|stars|starring|plays|played|cast|actriz|actor|"
        r"attrice|attore|actrice|acteur|comédien(?:ne)?|schauspieler(?:in)?|"
        r"(?:haupt)?darsteller(?:in|innen)?|spielt|ator|atriz|aktor|aktorka|"
        r"俳優|女優|배우)\b"
    ),
    "crew": re.compile(
        r"(?i)\b(?:cinematographer|DP|producer|editor|composer|screenwriter|writer|author|"
        r"novelist|programmer|curator|critic|festival director|artistic director)\b"
    ),
}
# How far from a mention of the name a role word counts, in characters.
NEAR = 60
# The page's own word that someone directed: a credit ("directed by X", "X, director"), a
# director pattern of the text, or the film called theirs ("X's new film"). A director is
# named only with one of them: being interviewed, or named often, an actor is too.
DIRECTOR_CUES = ("credit", "rule_score", "owner")


def near_roles(name: str, text: str) -> dict[str, float]:
    """For each role family, the share of the name's mentions with such a word nearby."""
    spans = []
    start = text.find(name) if name else -1
    while start >= 0:  # each mention, not overlapping (a regex per name would crowd its cache)
        spans.append((start, start + len(name)))
        start = text.find(name, start + len(name))
    found = {}
    for family, pattern in ROLE_NEAR.items():
        hits = sum(bool(pattern.search(text[max(0, a - NEAR) : b + NEAR])) for a, b in spans)
        found[f"near_{family}"] = hits / len(spans) if spans else 0.0
    return found


# How a guest and the questions put to them speak of the work: as its maker ("my film",
# "how did you cast") or as one of its cast or crew ("my character", "the director").
TALK = {
    "talks_directing": re.compile(
        r"(?i)\b(?:my (?:film|movie|documentary|feature|script|crew|cast|actors|editor)|"
        r"your (?:film|movie|documentary|feature|actors|cast|crew|script)|"
        r"(?:I|we) (?:shot|filmed|directed|cast|edited|wanted to make|were shooting|"
        r"was shooting|were making|was making)|"
        r"you (?:shot|filmed|directed|cast|made (?:the|this|a) (?:film|movie))|"
        r"(?:make|making|direct|directing|shoot|shooting) (?:this|the|a) (?:film|movie)|"
        r"in the edit|editing room|the shoot\b|casting|"
        r"mon film|mes acteurs|j'ai tourné|votre film|le tournage|"
        r"mi película|mis actores|rodé|el rodaje|su película|tu película|"
        r"meu filme|filmei|seu filme|as filmagens|"
        r"mein(?:em)? Film|Ihr(?:em)? Film|gedreht|Dreharbeiten|"
        r"il mio film|ho girato|il suo film|le riprese|mój film|twój film|zdjęcia|"
        r"私の映画|撮影)"
    ),
    "talks_acting": re.compile(
        r"(?i)\b(?:my (?:character|role|part|co-?stars?)|your (?:character|role|part)|"
        r"the (?:character|role) of|(?:the|our|a great) director|"
        r"play(?:ing|ed|s)? (?:him|her|this (?:role|character)|the role)|audition|"
        r"mon personnage|mon rôle|votre personnage|le rôle|el papel|o papel|"
        r"(?:le|la|notre) réalisat(?:eur|rice)|"
        r"mi personaje|mi papel|tu personaje|su personaje|(?:el|la|nuestro) director[a]?|"
        r"meu personagem|meu papel|(?:o|a) diretor[a]?|meine (?:Rolle|Figur)|"
        r"Ihre (?:Rolle|Figur)|(?:der|die) Rolle|(?:der|die|unser) Regisseur(?:in)?|"
        r"il mio personaggio|"
        r"il mio ruolo|il regista|moja rola|moją postać|reżyser(?:a|em)?|役柄|監督が)"
    ),
}


def talk(name: str, turns: list[Turn]) -> dict[str, float]:
    """For each way of speaking of the work, the share of a guest's answers (each with
    the question before it) that speak so; zero for someone who does not answer."""
    exchanges = [
        f"{turns[i - 1].text if i else ''} {turn.text}"
        for i, turn in enumerate(turns)
        if turn.role == INTERVIEWEE and turn.speaker == name
    ]
    if not exchanges:
        return dict.fromkeys(TALK, 0.0)
    return {
        way: sum(bool(pattern.search(text)) for text in exchanges) / len(exchanges)
        for way, pattern in TALK.items()
    }


def supported(features: dict[str, float]) -> bool:
    """The page itself says this person directed (DIRECTOR_CUES)."""
    return any(features.get(cue, 0.0) > 0 for cue in DIRECTOR_CUES)


def director_features(
    page: Page,
    turns: list[Turn],
    interviewees: list[str],
    interviewers: list[str],
    film: str,
    film_named: bool = True,
) -> dict[str, dict[str, float]]:
    """Every person who might have directed `film` (the page's film, or its best guess
    when `film_named` is false), with named features."""
    text, full = page.text, page.full
    rules = director_candidates(full, page.people, interviewees)
    credits: Counter[str] = Counter()
    for pattern in (CREDIT_BEFORE, CREDIT_AFTER):
        for match in pattern.finditer(full):
            if name := clean_person(match.group("p")):
                credits[name] += 1
    pool = page.names
    owner = ""
    if film:
        owner = possessive_director(film, full, page.people) or pronoun_director(
            film, page.title, text
        )
    names = unique(
        [
            *rules,
            *(canonical_person(n, pool, full) for n in credits),
            *interviewees,
            *find_names(page.title),
            owner,
        ]
    )
    answers = Counter(t.speaker for t in turns if t.role == INTERVIEWEE)
    total_answers = sum(answers.values()) or 1
    best_rule = max(rules.values(), default=0)
    lead, folded = page.lead, fold(full)
    words = word_counts(folded)
    found: dict[str, dict[str, float]] = {}
    for name in names:
        key = fold(name)
        surname = key.split()[-1] if key else ""
        credited = sum(c for n, c in credits.items() if fold(n) in key or key in fold(n))
        found[name] = {
            "rule_score": log_count(rules.get(name, 0)),
            "rule_share": rules.get(name, 0) / best_rule if best_rule else 0.0,
            "credit": log_count(credited),
            "interviewee": float(any(fold(i) == key for i in interviewees)),
            "answers": answers.get(name, 0) / total_answers,
            "interviewer": float(any(fold(i) == key for i in interviewers)),
            "in_title": float(f" {surname} " in f" {fold(page.title)} "),
            "owner": float(bool(owner) and fold(owner) == key),
            "mentions": log_count(full.count(name)),
            "surname_mentions": log_count(mentions(surname, folded, words)),
            "in_lead": float(name in lead),
            "film_unsure": float(not film_named),
            **near_roles(name, full),
            **talk(name, turns),
        }
    for name, values in found.items():
        # Someone else credited as director makes this person likelier a guest of the film.
        others = [v for n, v in found.items() if n != name]
        values["other_credited"] = float(any(v["credit"] > 0 for v in others))
        values["other_near_directing"] = max((v["near_directing"] for v in others), default=0.0)
    return found
