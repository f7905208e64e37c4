"""Labels written with no separator at all ("Ethan Coen We were...", "MG I am sure ...")."""

from __future__ import annotations

from indexer.dialogue.labels import Candidate, Label
from indexer.model import Block
from indexer.text.names import fold, initials_variants


def bare_labels(
    blocks: list[Block],
    accepted: dict[int, Label],
    found: dict[int, Candidate],
    pool: list[str],
    text: str,
) -> dict[int, Label]:
    """Labels with no separator at all ("Ethan Coen We were...", "MG I am sure ...")."""
    trusted = name_forms(accepted.values())
    guesses: dict[str, str] = {}
    for name in pool[:12]:
        if name.isupper():
            continue
        guesses.setdefault(name, name)
        for variant in initials_variants(name):
            if 2 <= len(variant) <= 3:
                guesses.setdefault(variant, name)
    hits = bare_hits(blocks, {**guesses, **trusted}, accepted, found, pool)
    untrusted = [lab for lab in hits.values() if lab.cand.label not in trusted]
    if untrusted and len({fold(lab.speaker) for lab in hits.values()}) < 2:
        hits = {i: lab for i, lab in hits.items() if lab.cand.label in trusted}
    if len(hits) < 2 and not accepted:
        return {}
    if untrusted:
        # Names confirmed by full-name labels may then appear shortened ("Ethan Yeah, ...").
        forms = {**trusted, **name_forms(hits.values())}
        hits = bare_hits(blocks, forms, {**accepted, **hits}, found, pool) | hits
    return hits


def name_forms(labels: object) -> dict[str, str]:
    """Ways a labelled speaker may be written: full name, label, first name, surname."""
    forms: dict[str, str] = {}
    for lab in labels:  # type: ignore[attr-defined]
        if lab.speaker in ("Q", "A"):
            continue
        words = lab.speaker.split()
        for form in (lab.speaker, lab.cand.label, words[0], words[-1]):
            if len(form) > 1:
                forms.setdefault(form, lab.speaker)
    return forms


def bare_hits(
    blocks: list[Block],
    forms: dict[str, str],
    accepted: dict[int, Label],
    found: dict[int, Candidate],
    pool: list[str],
) -> dict[int, Label]:
    """Blocks opening with one of `forms` followed by a capitalised word or a quote."""
    hits: dict[int, Label] = {}
    start = min(accepted) if accepted else 0
    for i, block in enumerate(blocks):
        if i in found or i in accepted or i < start:
            continue
        if any(block.text.startswith(n + " ") for n in pool if n not in forms):
            continue  # "Alison Klayman is ...": a sentence about someone, no label
        for form in sorted(forms, key=len, reverse=True):
            if not block.text.startswith(form + " "):
                continue
            rest = block.text[len(form) :].strip()
            if not rest or rest.split()[0] in forms[form].split():
                continue  # "Lee Byung-hun first ..." begins with the name, not a label
            if rest[:1].isupper() or rest[:1] in '“"…':
                hits[i] = Label(i, Candidate(form, rest, "bare"), forms[form])
                break
    return hits
