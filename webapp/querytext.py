"""Query text before parsing: tidy it, repair syntax slips, and say what was changed.

What people type is read as they mean it before Whoosh's parser sees it:

- `-word` (at the start of a word, alone or not) is `NOT word`, and `+word` is `word`
  (every word is required anyway);
- a hyphen inside a word is part of the word: `Kore-eda` finds the name however it is
  written, "Kore-eda", "Kore eda" or "Koreeda" (`("Kore eda" OR Koreeda)`);
- `year:2019-2016` is read as `year:[2016 TO 2019]`.
"""

from __future__ import annotations

import re

from indexer.schema import QUERY_FIELDS

MAX_QUERY_CHARS = 1000
OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")
YEAR_VALUE = re.compile(r"(\d{4})(?:\s*(?:-|\.\.)\s*(\d{4}))?$")
# Phrases (optionally with a field), stray quotes, parentheses, and other words.
TOKEN = re.compile(
    r'(?P<phrase>(?:[\w.]+:)?"[^"]*")|(?P<quote>")|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+)'
)
FIELD_WORD = re.compile(r"^[-+]?(\w+):(.*)$")
FIELD_PREFIX = re.compile(r"^(\w+:)?(.*)$")
BOOST = re.compile(r"^(.*?)((?:\^[\d.]*)*)$")
BOOST_ONLY = re.compile(r"^\^[\d.]+$")
WILDCARD = re.compile(r"[*?]")
PART_SYNTAX = re.compile(r"[+:\[\]{}~^'\\]")  # not part of a word joined by hyphens
GROUP_PREFIX = re.compile(r"^(?:[-+]|[-+]?\w+:)$")  # what may open a group: -( +( film:(


def repair_query(q: str) -> tuple[str, str]:
    """The query as the parser should read it, and a notice naming what was repaired."""
    q = " ".join(q.split())[:MAX_QUERY_CHARS]
    problems: list[str] = []
    out: list[str] = []
    depth = 0
    for match in TOKEN.finditer(q):
        kind, token = match.lastgroup, match.group()
        if kind == "quote":
            _note(problems, "an unmatched quote")
        elif kind == "open":
            depth += 1
            out.append(token)
        elif kind == "close":
            if depth == 0:
                _note(problems, "an unmatched parenthesis")
                continue
            depth -= 1
            out.append(token)
        elif kind == "word":
            following = q[match.end() : match.end() + 1]
            negated = token.startswith("-")
            bare = token.lstrip("+-")
            if negated and (bare or following in '("'):
                out.append("NOT")  # -word, -(group), -"phrase", -field:value
            if not bare:
                continue  # a sign alone: its NOT is out, or it was a dash between words
            if following == "(" and GROUP_PREFIX.match(bare):
                out.append(bare)  # film:(...)
                continue
            if BOOST_ONLY.match(bare) and out and out[-1].endswith('"'):
                out[-1:] = ["(", out[-1], ")" + bare]  # "a phrase"^2, boosted as a group
                continue
            out += _hyphenated(_repair_word(bare, problems))
        else:
            out.append(token)
    if depth:
        _note(problems, "an unmatched parenthesis")
        out += [")"] * depth
    while True:  # dropping an operator can empty a group, and the reverse
        tidy = _drop_dangling_operators(_drop_empty_groups(out), problems)
        if tidy == out:
            break
        out = tidy
    text = "".join(token if _glued(out, i) else " " + token for i, token in enumerate(out))
    if not problems:
        return text, ""
    reading = f"“{text}”" if text else "all passages"
    return text, f"Showing results for {reading}: the query had {', '.join(problems)}."


def _repair_word(word: str, problems: list[str]) -> str:
    match = FIELD_WORD.match(word)
    if not match:
        return word
    name, value = match.group(1), match.group(2)
    if name == "year" and value[:1] not in "[{":
        years = YEAR_VALUE.match(value)
        if not years:
            _note(problems, "a year: that is not a year such as 2012 or 2008-2012")
            return ""
        start, end = years.group(1), years.group(2)
        if end and end < start:
            start, end = end, start  # a range typed backwards is read in order
        return f"year:[{start} TO {end}]" if end else f"year:{start}"
    if name in QUERY_FIELDS and not value:
        _note(problems, f"{name}: without a value")
        return ""
    return word


def _hyphenated(word: str) -> list[str]:
    """Tokens for one word: a hyphen inside it joins its parts rather than excluding."""
    field, value = FIELD_PREFIX.match(word).groups()  # type: ignore[union-attr]
    value, boosts = BOOST.match(value).groups()  # type: ignore[union-attr]
    numbers = [b for b in boosts.split("^") if b.strip(".")]
    boost = f"^{numbers[-1]}" if numbers else ""
    # parts are words, never operators: `Jean-AND` is no conjunction
    parts = [PART_SYNTAX.sub("", p) for p in value.split("-")]
    parts = [p.lower() if p in OPERATORS else p for p in parts if p]
    if not word or field == "year:" or value.startswith("["):
        return [word] if word else []
    if "-" not in value:
        # Whoosh's parser moves the boost of a word that opens an OR group onto the whole
        # group (`camera^2 OR story`); a boosted group keeps it where it was typed.
        value = value.lower() if value in OPERATORS else value  # `AND^2` is a word
        return ["(", f"{field or ''}{value}", ")" + boost] if boost and value else [word]
    if len(parts) < 2:
        return _hyphenated(f"{field or ''}{''.join(parts)}{boost or ''}") if parts else []
    inner = (
        [" ".join(parts)]
        if WILDCARD.search(value)
        else [f'"{" ".join(parts)}"', "OR", "".join(parts)]
    )
    return [*([field] if field else []), "(", *inner, ")" + (boost or "")]


def _drop_dangling_operators(tokens: list[str], problems: list[str]) -> list[str]:
    """Remove AND/OR/NOT with nothing to join: at either end, doubled, or next to a bracket."""
    kept: list[str] = []
    for token in tokens:
        if token in OPERATORS and (not kept or kept[-1] in OPERATORS or kept[-1] == "("):
            if token != "NOT" or (kept and kept[-1] == "NOT"):
                _note(problems, f"a dangling {token}")
                continue
        if token == ")" and kept and kept[-1] in OPERATORS:
            _note(problems, f"a dangling {kept.pop()}")
        kept.append(token)
    while kept and kept[-1] in OPERATORS:
        _note(problems, f"a dangling {kept.pop()}")
    return kept


def _glued(tokens: list[str], i: int) -> bool:
    """Whether tokens[i] is written without a space before it."""
    if i == 0 or tokens[i].startswith(")") or tokens[i - 1] == "(":
        return True
    if tokens[i].startswith(("^", "~")) and tokens[i - 1].endswith((")", '"')):
        return True  # (group)^2, "phrase"^2, "phrase"~3
    return tokens[i] == "(" and bool(GROUP_PREFIX.match(tokens[i - 1]))


def _drop_empty_groups(tokens: list[str]) -> list[str]:
    """Remove parentheses with nothing inside, however deeply nested."""
    kept: list[str] = []
    for token in tokens:
        if token.startswith(")") and kept and kept[-1] == "(":
            kept.pop()
            if kept and GROUP_PREFIX.match(kept[-1]):
                kept.pop()  # the -, + or field: that opened it
        else:
            kept.append(token)
    return kept


def _note(problems: list[str], problem: str) -> None:
    if problem not in problems:
        problems.append(problem)
