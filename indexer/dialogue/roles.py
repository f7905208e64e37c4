"""Who is who: the interviewer, the guest, and each labelled speaker's role."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from indexer.dialogue.labels import Label, answering_role, asking_role
from indexer.dialogue.questions import IMPERATIVE_QUESTION
from indexer.model import INTERVIEWEE, INTERVIEWER, Block
from indexer.text.names import fold, initials_variants, looks_like_name
from indexer.text.sentences import question_like

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


@dataclass
class Hints:
    """Facts known before reading the turns (from the sidecar and metadata)."""

    title: str = ""
    slug: str = ""  # the last part of the page's web address, folded
    publication: str = ""
    authors: list[str] = field(default_factory=list)
    interviewers: list[str] = field(default_factory=list)
    interviewees: list[str] = field(default_factory=list)
    # The page's likeliest films, folded: worked out only when asked (the subject needs it).
    films: Callable[[], set[str]] = field(default=set)


def interviewer_name(hints: Hints, host: str) -> str:
    """Who asks when questions carry no personal label: the named author, else the outlet."""
    if len(hints.interviewers) == 1:
        return hints.interviewers[0]
    people = [a for a in hints.authors if looks_like_name(a)]
    if len(people) == 1 or (not people and host):
        return people[0] if people else host
    # Questions put jointly by several named writers are the publication's.
    return re.sub(r"\s*\([^)]*\)$", "", hints.publication)


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
        if speaker == "A" or key in answering or answering_role(key):
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
