"""Who is who: the interviewer, the guest, and each labelled speaker's role."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from indexer.dialogue.labels import Label, asking_role, question_like
from indexer.dialogue.questions import IMPERATIVE_QUESTION
from indexer.entities.films import film_candidates, patterned_titles
from indexer.model import INTERVIEWEE, INTERVIEWER, Block
from indexer.text.cjk import directed_names
from indexer.text.names import find_names, fold, initials_variants, looks_like_name

# --- Tables -------------------------------------------------------------------------------

# A host's phrases: welcoming the guest, thanking the audience or the guest for their time
# (a guest thanks the host "for having me", which is not among them).
HOST_CUE = re.compile(
    r"\b(?:please (?:join me in )?welcom|join me in welcoming|thank you (?:all )?for coming|"
    r"welcome (?:back )?to|our (?:special )?guest|let['’]s open (?:it|this) up|"
    r"thank(?:s| you)(?: so much| very much)? for (?:talking|speaking|taking (?:the )?time|"
    r"your time|joining|allowing|agreeing|sitting down)|(?:allowing|letting) me (?:to )?interview)",
    re.I,
)
# "spoke with X", "director X": phrases that introduce the person interviewed.
SUBJECT_CUE = re.compile(
    r"(?:with|to|interviewed|met|director|filmmaker|actor|actress|star|writer|"
    r"producer|artist|guest|welcoming)\s+(?:the\s+)?(?:(?:director|filmmaker|actor|actress)\s+)?"
    r"(?P<name>[A-Z][\w’'\-–]+(?:\s+[A-Z][\w’'\-–]+){1,3})"
)
# "Marta Quell on Winter Bees", "Lucía Ferrand's documentary": the guest, named first.
SUBJECT_POSITION = re.compile(
    r"(?:^|\n|:\s)(?P<name>[A-Z][\w’'\-–]+(?:\s+[A-Z][\w’'\-–]+){1,3})"
    r"(?:\s+(?:on|talks|discusses|reflects|explains|remembers)\b|[’']s\s+(?:\w+\s+)?"
    r"(?:film|documentary|movie|debut|feature|drama))"
)


@dataclass
class Hints:
    """Facts known before reading the turns (from the sidecar and metadata)."""

    title: str = ""
    slug: str = ""  # the last part of the page's web address, folded
    publication: str = ""
    authors: list[str] = field(default_factory=list)
    interviewers: list[str] = field(default_factory=list)
    interviewees: list[str] = field(default_factory=list)


# Prepositions of place before a name, in the languages of film journalism.
# Capitalised words after a preposition of place ("in New York", "aus Berlin"), in the
# languages of film journalism.
PLACED = re.compile(
    r"\b(?:in|at|from|to|near|en|à|au|de|desde|em|no|na|nel|nach|aus|im|w|v|u)\s+"
    r"(?P<name>[A-ZÀ-Ý][\w’'\-]*(?:\s[A-ZÀ-Ý][\w’'\-]*)*)"
)


def interviewer_name(hints: Hints, host: str) -> str:
    """Who asks when questions carry no personal label: the named author, else the outlet."""
    if len(hints.interviewers) == 1:
        return hints.interviewers[0]
    people = [a for a in hints.authors if looks_like_name(a)]
    if len(people) == 1 or (not people and host):
        return people[0] if people else host
    # Questions put jointly by several named writers are the publication's.
    return re.sub(r"\s*\([^)]*\)$", "", hints.publication)


def subject_name(
    hints: Hints, blocks: list[Block], interviewer: str, askers: set[str] | None = None
) -> str:
    """The person interviewed: sidecar, else the name most prominent in title and text."""
    if hints.interviewees:
        return hints.interviewees[0]
    text = "\n".join(b.text for b in blocks)
    scores: Counter[str] = Counter()
    for name in find_names(hints.title):
        scores[name] += 6
    cued: set[str] = set()
    for match in SUBJECT_POSITION.finditer(hints.title + "\n" + text):
        for name in find_names(match.group("name")):
            scores[name] += 5  # "Marta Quell on Winter Bees", "Lucía Ferrand's film"
            cued.add(fold(name))
    for name, count in find_names(text).items():
        scores[name] += count
    for name, count in directed_names(hints.title + "\n" + text).items():
        scores[name] += 5 + count  # "山田花子監督", "김민준 감독"
        cued.add(fold(name))
    for match in SUBJECT_CUE.finditer(hints.title + "\n" + text):
        for name in find_names(match.group("name")):
            scores[name] += 4
            cued.add(fold(name))
    skip = {fold(interviewer), fold(hints.publication), *(fold(a) for a in hints.authors)}
    skip |= {fold(a) for a in askers or set()}
    films = film_candidates(hints.title, blocks, text)
    patterned = patterned_titles(hints.title, text)
    # The film, not the guest ("Copper Rain, the debut feature of ...").
    skip |= ({fold(f) for f, _ in films.most_common(2)} & patterned) - cued
    quoted = {fold(q) for q in re.findall(r"[“\"]([^”\"]{2,60})[”\"]", text)}
    italic = {fold(i) for b in blocks for i in b.italics}
    address = f" {hints.slug} "
    places = Counter(m.group("name") for m in PLACED.finditer(text))
    words = Counter(re.findall(r"\w+", text))
    for name in list(scores):
        surname = name.split()[-1]
        if not surname.isupper():  # "Superhero TV": capitals make an acronym, not a surname
            scores[name] += mentions(surname, text, words) // 2
        key = fold(name)
        if f" {key} " in address:  # the web address names the page's subject, as a headline
            scores[name] += 6
        if key in skip or key in fold(hints.publication) or key in quoted or key in italic:
            del scores[name]
        elif titled(key, quoted | italic) or squashed(key) in squashed(hints.publication):
            del scores[name]  # part of a quoted title ("Ako zrno ne umre"), or the outlet
        elif located(name, text, places):
            del scores[name]  # "in New York", "from Los Angeles": a place, not a guest
    return scores.most_common(1)[0][0] if scores else ""


def titled(key: str, titles: set[str]) -> bool:
    """The name is a part of a quoted or italic title of two words or more."""
    return " " in key and any(f" {key} " in f" {t} " for t in titles if t != key)


def squashed(text: str) -> str:
    return fold(text).replace(" ", "")


def mentions(word: str, text: str, words: Counter[str]) -> int:
    """How often `word` stands as a word in `text`; `words` counts the text's words."""
    if word.isalnum():
        return words[word]  # counted once per page, not searched once per name
    return len(re.findall(rf"\b{re.escape(word)}\b", text))


def located(name: str, text: str, places: Counter[str]) -> bool:
    """Most mentions of the name follow a preposition of place: a city, not a person.
    `places` counts the capitalised words after such prepositions in `text`."""
    placed = sum(n for p, n in places.items() if p == name or p.startswith(name + " "))
    return 2 * placed >= text.count(name) > 0


def speaker_roles(
    labels: dict[int, Label],
    blocks: list[Block],
    hints: Hints,
    subject: str,
    interviewer: str,
    questions: list[int] | None = None,
) -> dict[str, str]:
    """Role per labelled speaker: Q/outlet/author ask; whoever answers most is asked."""
    turns_by: dict[str, list[str]] = {}
    rests: dict[str, list[str]] = {}  # the labelled line alone, without what follows
    order = sorted(labels)
    # A labelled turn ends at the next label or at the next unlabelled question.
    stops = sorted({*order, *(questions or []), len(blocks)})
    for i in order:
        end = next(s for s in stops if s > i)
        text = " ".join([labels[i].cand.rest, *(b.text for b in blocks[i + 1 : end])])
        turns_by.setdefault(labels[i].speaker, []).append(text)
        rests.setdefault(labels[i].speaker, []).append(labels[i].cand.rest)
    first = labels[order[0]].speaker if order else ""
    asking = {fold(n) for n in [*hints.authors, *hints.interviewers, interviewer] if n}
    answering = {fold(n) for n in hints.interviewees}
    title = fold(hints.title)
    outlet_asks = any(
        s == "Q" or fold(s) in asking or is_outlet(s, hints.publication) for s in turns_by
    )
    scores: dict[str, float] = {}
    for speaker, texts in turns_by.items():
        key = fold(speaker)
        asked = sum(1 for t in texts if "?" in t[-200:] or IMPERATIVE_QUESTION.match(t))
        asked = max(asked, sum(question_like(r) for r in rests.get(speaker, [])))
        score = 4 * (asked / len(texts) - 0.5)
        if speaker == "Q" or key in asking or is_outlet(speaker, hints.publication):
            score += 10
        elif asking_role(key):
            score += 10  # "Moderator:", "Audience member:"
        if speaker == "A" or key in answering:
            score -= 6
        elif key == fold(subject):
            score -= 2  # a guess from the text, weaker than the sidecar
        if any(HOST_CUE.search(t) for t in texts):
            score += 3
        elif " " in key and f" {key} " in f" {title} " and key not in asking:
            # Named in the headline: a guest, unless they alone ask the questions.
            score -= 3 if outlet_asks else 3 * (1 - asked / len(texts))
        score += 0.5 if speaker == first else 0
        # The guest is the one the others address or mention by name.
        others = " ".join(t for s, ts in turns_by.items() if s != speaker for t in ts)
        names = {w for w in speaker.split() if len(w) > 2 and w[0].isupper()}
        score -= min(3.0, 1.5 * sum(others.count(w) for w in names))
        scores[speaker] = score
    roles = {s: INTERVIEWER if sc > 0 else INTERVIEWEE for s, sc in scores.items()}
    if len(roles) >= 2 and INTERVIEWER not in roles.values() and not questions:
        # Someone labelled must ask, unless unlabelled questions do the asking.
        roles[max(scores, key=lambda s: scores[s])] = INTERVIEWER
    if len(roles) >= 2 and INTERVIEWEE not in roles.values():
        roles[min(scores, key=lambda s: scores[s])] = INTERVIEWEE
    return roles


def is_outlet(label: str, publication: str) -> bool:
    """The label is the publication's name or its abbreviation ("H2N": 2 reads "to")."""
    if not publication:
        return False
    publication = re.sub(r"\s*\([^)]*\)$", "", publication)
    key, pub = fold(label), fold(publication)
    pub_bare = re.sub(r"^the ", "", pub)
    if key in (pub, pub_bare) or (len(key) > 3 and pub.startswith(key)):
        return True
    if len(pub_bare) > 3 and key.startswith(pub_bare + " "):
        return True  # "Cineaste Magazine" for the publication "Cineaste"
    words = re.sub(r"^the ", "", key).split()
    if key.startswith("the ") and words and set(words) <= set(pub_bare.split()):
        return True  # "The Times" for "The New York Times"
    short = label.replace(".", "").replace("2", "T").replace("4", "F").upper()
    return label.isupper() and short in initials_variants(publication)


def describe_style(labels: dict[int, Label], questions: list[int], hints: Hints) -> str:
    """A curator's summary of how the turns are marked ("initials (bold), ...")."""
    kinds: list[str] = []
    for lab in labels.values():
        label, how = lab.cand.label, lab.cand.how
        if lab.speaker in ("Q", "A"):
            kind = "Q/A"
        elif is_outlet(label, hints.publication) or is_outlet(lab.speaker, hints.publication):
            kind = "outlet"
        elif label.isupper() and len(label) <= 4:
            kind = "initials" if lab.speaker != label else "abbreviation"
        elif " " in label:
            kind = "full names"
        else:
            kind = "surnames or first names"
        marks = {
            "bold": "bold",
            "bold-alone": "bold, alone on a line",
            "heading": "headings",
            "bare": "no separator",
            "timestamp": "with timestamps",
            "dash": "dash",
            "alone": "alone on a line",
            "initials-alone": "initials alone on a line",
        }
        kinds.append(f"{kind} ({marks[how]})" if how in marks else kind)
    if questions:
        kinds.append("unlabelled questions")
    return ", ".join(dict.fromkeys(kinds)) or "none"
