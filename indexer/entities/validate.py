"""What a facet value can never be: the vetoes every film title and director name passes.

A vetoed candidate still shows in `inspect` with its reason; it never becomes a facet
value, whatever its score.
"""

from __future__ import annotations

import re

from indexer.text.names import fold

# --- Tables -------------------------------------------------------------------------------

# Months and weekdays in the languages of the corpus: a phrase made of them is a date.
CALENDAR_WORDS = set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday janvier fevrier mars avril mai juin juillet aout septembre "
    "octobre novembre decembre lundi mardi mercredi jeudi vendredi samedi dimanche enero "
    "febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    "lunes martes miercoles jueves viernes sabado domingo gennaio febbraio aprile maggio "
    "giugno luglio settembre ottobre dicembre januar februar marz juni juli oktober dezember "
    "janeiro fevereiro marco maio junho julho setembro outubro novembro dezembro".split()
)
# Languages and nationalities: "Hindi", "Mandarin" name no film.
LANGUAGE_WORDS = set(
    "english french spanish italian german portuguese polish japanese chinese mandarin "
    "cantonese korean hindi urdu arabic persian farsi russian turkish hebrew dutch swedish "
    "danish norwegian finnish greek thai vietnamese indonesian tagalog bengali tamil telugu "
    "yoruba swahili american british mexican iranian indian african european asian".split()
)
# Page furniture and placeholders that title-like spans and labels are often made of.
PLACEHOLDER_WORDS = set(
    "interview interviews interviewer interviewee entrevista intervista entretien "
    "question questions answer answers q a p r d f pregunta respuesta domanda risposta "
    "frage antwort pergunta resposta name dob born place birth occupation nationality "
    "age height news shots page home menu share comments comment "
    "related video photo photos gallery review reviews feature features trailer "
    "subscribe newsletter advertisement sponsored credit credits source cast crew "
    "synopsis festival awards staff editor admin unknown anonymous moderator host "
    "audience member speaker narrator".split()
)
# Words that mark a role or job, never part of a person's name.
ROLE_WORDS = set(
    "director directors directed filmmaker filmmakers regisseur regisseurin regie "
    "realisateur realisatrice réalisateur réalisatrice directora director-writer "
    "diretor diretora regista reżyser producer producers writer writers screenwriter "
    "actor actress star stars cinematographer editor composer author critic journalist "
    "correspondent host moderator mr mrs ms dr prof sir dame".split()
)
# A film title runs to a dozen words at most.
MAX_TITLE_WORDS = 12
# A person's name has two to five words (or is written in a CJK script).
NAME_WORDS = (2, 5)
# "GS: What ...", "A: This ...": a speaker label and the start of a turn.
LABEL_HEAD = re.compile(r"^[A-Z]{1,4}[:.]\s")
DATE_SHAPE = re.compile(r"^\W*(\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}|\d{4})\W*$")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def film_veto(title: str, people: list[str], outlets: list[str]) -> str:
    """Why `title` can be no film title ("" when it can be)."""
    key = fold(title)
    words = key.split()
    if not words:
        return "empty"
    if DATE_SHAPE.match(title) or (set(words) & CALENDAR_WORDS and _mostly_numbers(words)):
        return "a date"
    if set(words) <= CALENDAR_WORDS | {"of", "the", "de", "del"}:
        return "a date"
    if set(words) <= LANGUAGE_WORDS:
        return "a language"
    if set(words) <= PLACEHOLDER_WORDS | {"and", "of", "with"}:  # "The Interview" may be one
        return "a section name or placeholder"
    if LABEL_HEAD.match(title):
        return "opens with a speaker label"
    if len(words) > MAX_TITLE_WORDS or _sentence(title):
        return "a sentence"
    if any(key == fold(p) for p in people if p):
        return "a person"
    if names_outlet(key, outlets):
        return "the publication"
    return ""


def director_veto(name: str, outlets: list[str], interviewers: list[str]) -> str:
    """Why `name` can be no director's name ("" when it can be)."""
    key = fold(name)
    words = key.split()
    if not words:
        return "empty"
    if CJK.search(name):
        return "" if 2 <= len(name.replace(" ", "")) <= 8 else "not a name"
    if not NAME_WORDS[0] <= len(words) <= NAME_WORDS[1]:
        return "not a full name"
    if set(words) & ROLE_WORDS:
        return "holds a role word"
    if set(words) & PLACEHOLDER_WORDS:
        return "a placeholder or profile-box key"
    if " and " in f" {key} " or "&" in name or "," in name:
        return "several people"
    if name.isupper() and len(name) > 4:
        return "a label in capitals"
    if not all(w[:1].isupper() for w in name.split() if w.lower() not in _PARTICLES):
        return "not a name"
    if names_outlet(key, outlets):
        return "the publication"
    if any(key == fold(i) for i in interviewers if i):
        return "the interviewer"
    return ""


_PARTICLES = {"de", "da", "van", "von", "del", "di", "le", "la", "du", "dos", "der", "bin", "al"}


def names_outlet(key: str, outlets: list[str]) -> bool:
    """`key` (folded) is a publication's name or its web address spelled out
    ("The Harbour Letter" for harbourletter.ie)."""
    compact = key.replace(" ", "")
    for outlet in outlets:
        name = fold(outlet)
        if name and (key == name or compact in (name.replace(" ", ""), "the" + name)):
            return True
    return False


def _mostly_numbers(words: list[str]) -> bool:
    return sum(w.isdigit() for w in words) * 2 >= len(words) - 1


def _sentence(title: str) -> bool:
    """A clause, not a title: ends like a sentence or is mostly lower-case words."""
    words = title.split()
    if len(words) >= 3 and title.rstrip().endswith((".", "!", "?")):
        return True
    lower = [w for w in words if w[:1].islower() and len(w) > 3]
    return len(words) >= 5 and len(lower) * 2 > len(words)
