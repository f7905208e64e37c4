"""The publication date a page prints: htmldate for HTML, datelines and bylines for text."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

from htmldate import find_date

from indexer.read.toplines import split_top

# --- Tables -------------------------------------------------------------------------------

DATE_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")

# Month names of the corpus' languages (English, French, Spanish, Italian, German, Portuguese,
# Polish, Dutch), lower-cased; Polish dates use the genitive ("3 marca 2019").
MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            "january jan janvier janv enero ene gennaio genn januar jänner janeiro styczeń "
            "stycznia januari",
            "february feb février fevrier févr fevr febrero febbraio februar fevereiro fev "
            "luty lutego februari",
            "march mar mars marzo märz maerz mär março marco marca maart",
            "april apr avril avr abril aprile kwiecień kwietnia",
            "may mai mayo maggio maio mag maj maja mei",
            "june jun juin junio giugno juni junho czerwiec czerwca",
            "july jul juillet juil julio luglio juli julho lipiec lipca",
            "august aug août aout agosto ago sierpień sierpnia augustus",
            "september sep sept septembre septiembre settembre set setembro wrzesień września",
            "october oct octobre octubre ottobre ott oktober okt outubro out październik "
            "października",
            "november nov novembre noviembre novembro listopad listopada",
            "december dec décembre decembre déc diciembre dic dicembre dezember dez dezembro "
            "grudzień grudnia",
        ],
        start=1,
    )
    for name in names.split()
}
MONTH = r"(?P<month>[^\W\d_]{3,12})\.?"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°)?\.?"
YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
ANY_YEAR = re.compile(YEAR)
# Date shapes, each tried on a line; a match is kept only when its month name is in MONTHS.
DATE_PATTERNS = [
    re.compile(rf"\b{YEAR}-(?P<mm>[01]?\d)-(?P<dd>[0-3]?\d)\b"),  # 2019-03-03
    re.compile(rf"\b{YEAR}[./](?P<mm>[01]?\d)[./](?P<dd>[0-3]?\d)\b"),  # 2019.03.03
    re.compile(rf"{YEAR}\s*[年년]\s*(?P<mm>[01]?\d)\s*[月월]\s*(?:(?P<dd>[0-3]?\d)\s*[日일])?"),
    re.compile(rf"\b(?P<dd>[0-3]?\d)\.(?P<mm>[01]?\d)\.{YEAR}\b"),  # 03.03.2019
    re.compile(rf"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/{YEAR}\b"),  # 03/03/2019, order unknown
    re.compile(rf"\b{MONTH}\s+{DAY},?\s+{YEAR}\b", re.I),  # March 3, 2019
    re.compile(rf"\b{DAY}\s+(?:de\s+)?{MONTH},?\s+(?:de\s+)?{YEAR}\b", re.I),  # 3 mars 2019
    re.compile(rf"\b{MONTH},?\s+(?:de\s+)?{YEAR}\b", re.I),  # January 1998
]
# A line holding a date and one of these is a byline or a publication line: its date is the
# article's. Matched at a word boundary, case-insensitively.
PUBLISHED_WORDS = re.compile(
    r"\b(?:by|posted|published|updated|par|publié|publiée|mis à jour|por|publicado|"
    r"publicada|di|pubblicato|von|veröffentlicht|przez|opublikowano|door)\b|\s[/•|·]\s",
    re.I,
)
# "Today: July 21, 2024" is the day the page was saved, not the day it was published.
TODAY_WORDS = re.compile(
    r"^\W*(?:today|hoy|aujourd'hui|aujourd’hui|heute|oggi|hoje|dziś|dzisiaj|vandaag)\b", re.I
)
# A line about a birth or a death ("Born: March 3, 1930", "Geboren am …", "né le …") in a
# profile box dates a life, never the article.
LIFE_WORDS = re.compile(
    r"\b(?:born|birth|died|d\.o\.b|né|née|naissance|nacid[oa]|nacimiento|nat[oa]|"
    r"nascit[ao]|nascid[oa]|nascimento|geboren|gestorben|urodzon[ya]|zmarł[a]?|narozen[aá]?|"
    r"rođen[a]?|född|født|syntynyt|doğum|doğdu|родил(?:ся|ась)|род\.|出生|生まれ|출생)(?!\w)",
    re.I,
)
# A date within the first characters of the body is a dateline or a byline run into it.
DATELINE_CHARS = 40

LOGGER = logging.getLogger(__name__)


@dataclass
class DateSpan:
    """A date found in a line: where it sits and its ISO form (YYYY-MM-DD, YYYY-MM or YYYY)."""

    start: int
    end: int
    iso: str


# --- Public API -----------------------------------------------------------------------------


def html_date(html: str, url: str = "", saved: str = "", extensive: bool = False) -> str:
    """The page's original publication date by htmldate, or "" when the page gives none.

    `saved` is when the page was captured or fetched (ISO 8601): no later date is its
    publication date (a day's leeway allows for time zones)."""
    latest = latest_date(saved) or None
    try:
        # Bytes, never str: htmldate downloads a str that looks like a URL.
        found = find_date(
            html.encode("utf-8", "replace"),
            extensive_search=extensive,
            original_date=True,
            outputformat="%Y-%m-%d",
            url=url or None,
            max_date=latest,
        )
    except Exception as exc:  # htmldate must not stop a parse: an undated page stays undated
        LOGGER.debug("htmldate failed: %s", exc)
        return ""
    return found or ""


def latest_date(saved: str) -> str:
    """The latest publication date a page saved at `saved` (ISO 8601) can have, or ""."""
    if not DATE_ISO.match(saved):
        return ""
    return (date.fromisoformat(saved[:10]) + timedelta(days=1)).isoformat()


def not_after(found: str, saved: str) -> str:
    """`found` (YYYY[-MM[-DD]]) unless it is later than the page was saved."""
    latest = latest_date(saved)
    return "" if latest and found[: len(latest)] > latest[: len(found)] else found


def text_date(text: str) -> str:
    """The dateline or byline date near the top of a plain text, or ""."""
    top = split_top(text)
    best: tuple[int, int, str] | None = None
    lines = [*top.head, top.body]
    for n, line in enumerate(lines):
        spans = date_spans(line)
        key = lines[n - 1] if n and is_key(lines[n - 1]) else ""  # "Born" above the date
        if not spans or TODAY_WORDS.match(line) or LIFE_WORDS.search(f"{key} {line}"):
            continue
        rest = remove_spans(line, spans)
        rest_words = [w for w in rest.split() if any(c.isalpha() for c in w)]
        if n == len(top.head):
            # A dateline or byline opens the body: "November 11, 2010, Los Angeles – If you
            # are ...", "by Ann Lee April 11, 2018 Her films ..."
            rank = 1 if spans[0].start <= DATELINE_CHARS else 0
        elif PUBLISHED_WORDS.search(rest):
            rank = 3
        elif len(rest_words) <= 2:
            rank = 2  # the line is a date ("Wednesday, 13 August 2014", "Paris, January 1998")
        else:
            rank = 0  # a date inside a headline or a sentence is not the publication date
        if rank and (best is None or rank > best[0]):
            best = (rank, -n, spans[0].iso)
    return best[2] if best else ""


def dates_a_life(iso: str, text: str) -> bool:
    """The text prints the date `iso` only on lines about a birth or a death (the line, or
    the key on the line before it: "Born" above "March 3, 1930")."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    printed = [
        f"{lines[n - 1] if n and is_key(lines[n - 1]) else ''} {line}"
        for n, line in enumerate(lines)
        if iso[:4] in line and any(s.iso == iso for s in date_spans(line))
    ]
    return bool(printed) and all(LIFE_WORDS.search(line) for line in printed)


def is_key(line: str) -> bool:
    """A profile box's key on its own line ("Born", "Date of birth:")."""
    return len(line.split()) <= 3 and not any(c.isdigit() for c in line)


def date_spans(text: str) -> list[DateSpan]:
    """Every date written in `text` (in the languages of MONTHS), left to right."""
    if not ANY_YEAR.search(text):
        return []  # every date shape holds a year: most lines hold none
    spans: list[DateSpan] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(s.start < match.end() and match.start() < s.end for s in spans):
                continue  # a longer shape tried earlier already holds it
            iso = iso_from_match(match)
            if iso is not None:
                # An impossible day ("31 February 2019") holds its place, as no date.
                spans.append(DateSpan(match.start(), match.end(), iso))
    spans = [s for s in spans if s.iso]
    return sorted(spans, key=lambda s: s.start)


def remove_spans(text: str, spans: list[DateSpan]) -> str:
    """`text` without the given date spans."""
    for span in sorted(spans, key=lambda s: -s.start):
        text = text[: span.start] + " " + text[span.end :]
    return text


# --- Helpers --------------------------------------------------------------------------------


def iso_from_match(match: re.Match[str]) -> str | None:
    """ISO date of a DATE_PATTERNS match: None when it names no month, "" when its day
    cannot be."""
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("month"):
        month = MONTHS.get(groups["month"].casefold().rstrip("."), 0)
    elif groups.get("mm"):
        month = int(groups["mm"])
    else:
        first, second = int(groups["a"]), int(groups["b"])
        if first > 12 >= second:
            month, groups["day"] = second, str(first)
        elif second > 12 >= first:
            month, groups["day"] = first, str(second)
        else:
            return str(year)  # 03/04/2019: day and month cannot be told apart
    day_text = groups.get("day") or groups.get("dd")
    day = int(day_text) if day_text else 0
    if not 1 <= month <= 12:
        return None
    if not day:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""  # "31 February"
