"""Query text before parsing: tidy it, repair syntax slips, and say what was changed."""

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
            opens_group = q[match.end() : match.end() + 1] == "("  # film:(...), -(...)
            word = token if opens_group and GROUP_PREFIX.match(token) else ""
            word = word or _repair_word(token, problems)
            if word:
                out.append(word)
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
        return f"year:[{start} TO {end}]" if end else f"year:{start}"
    if name in QUERY_FIELDS and not value:
        _note(problems, f"{name}: without a value")
        return ""
    return word


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
    if i == 0 or tokens[i] == ")" or tokens[i - 1] == "(":
        return True
    return tokens[i] == "(" and bool(GROUP_PREFIX.match(tokens[i - 1]))


def _drop_empty_groups(tokens: list[str]) -> list[str]:
    """Remove parentheses with nothing inside, however deeply nested."""
    kept: list[str] = []
    for token in tokens:
        if token == ")" and kept and kept[-1] == "(":
            kept.pop()
            if kept and GROUP_PREFIX.match(kept[-1]):
                kept.pop()  # the -, + or field: that opened it
        else:
            kept.append(token)
    return kept


def _note(problems: list[str], problem: str) -> None:
    if problem not in problems:
        problems.append(problem)
