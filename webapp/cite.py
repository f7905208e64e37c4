"""Citations of one passage: CSL-JSON as the data, and Chicago, MLA, APA, BibTeX and RIS
written from it. Only an http(s) original URL is ever cited."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from .provenance import provenance, provenance_note

MONTHS = (
    "January February March April May June July August September October November December"
).split()
MLA_MONTHS = "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.".split()
BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
INNER_OPEN = re.compile(r'(?:^|(?<=[\s(\[‘—–-]))"')  # a straight double quote opening a quote
FORMATS = {  # download extension -> (mimetype, what it is)
    "bib": ("application/x-bibtex", "BibTeX"),
    "ris": ("application/x-research-info-systems", "RIS"),
    "json": ("application/vnd.citationstyles.csl+json", "CSL-JSON"),
}


def web_url(url: str) -> str:
    """`url` when it is http(s), else "" (a sidecar may hold `javascript:`)."""
    return url if urlsplit(url or "").scheme in ("http", "https") else ""


@dataclass
class Source:
    """What a citation of one passage says."""

    id: str  # "<article id>-<anchor>"
    speakers: list[str]  # who answers in the passage (or the article's interviewees)
    interviewers: list[str]
    title: str
    publication: str
    date: str  # YYYY-MM-DD, YYYY-MM, YYYY or ""
    url: str  # the original, http(s) only, or ""
    archived: str  # the capture's Wayback Machine address when it came from there, or ""
    archive: str  # the web archive file an imported page came from, or ""
    # "Captured <day> (web archive <file>)[, archived at <Wayback URL>]", "Retrieved <day>"
    taken: str
    permalink: str  # this passage on this server
    anchor: str
    accessed: dt.date


def source(article: dict[str, Any], passage: dict[str, Any], permalink: str) -> Source:
    """The facts of a citation, from an article (as the API gives it) and one passage."""
    answerers = [t["speaker"] for t in passage.get("turns", []) if t["role"] != "interviewer"]
    speakers = list(dict.fromkeys(answerers)) or list(article.get("interviewees") or [])
    origin = provenance(article)
    return Source(
        id=f"{article['id']}-{passage['anchor']}",
        speakers=speakers,
        interviewers=list(article.get("interviewers") or []),
        title=article.get("title") or article["id"],
        publication=article.get("publication") or "",
        date=(article.get("date") or "")[:10],
        url=web_url(article.get("url", "")),
        archived=origin.archived if origin else "",
        archive=origin.archive if origin else "",
        taken=provenance_note(article).strip().rstrip("."),
        permalink=permalink,
        anchor=passage["anchor"],
        accessed=dt.datetime.now(dt.UTC).date(),
    )


def split_name(name: str) -> dict[str, str]:
    """CSL name parts: the last word is the family name; one word is a literal."""
    parts = name.split()
    if len(parts) < 2:
        return {"literal": name}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


def date_parts(text: str) -> list[int]:
    return [int(p) for p in text.split("-") if p.isdigit()]


def csl(s: Source) -> dict[str, Any]:
    """The passage as a CSL-JSON item (what Zotero and Mendeley import)."""
    item: dict[str, Any] = {
        "id": s.id,
        "type": "interview",
        "title": s.title,
        "author": [split_name(n) for n in s.speakers],
        "interviewer": [split_name(n) for n in s.interviewers],
        "container-title": s.publication,
        "archive": s.archive,
        "archive_location": s.archived,
        "URL": s.url or s.permalink,
        "accessed": {"date-parts": [[s.accessed.year, s.accessed.month, s.accessed.day]]},
        "note": note(s),
    }
    if s.date:
        item["issued"] = {"date-parts": [date_parts(s.date)]}
    return {k: v for k, v in item.items() if v}


def note(s: Source) -> str:
    """The passage's permalink and where the text was taken (an archive file, a capture in
    the Wayback Machine only when it came from there)."""
    parts = [f"Passage {s.anchor}: {s.permalink}"]
    if s.taken:
        parts.append(s.taken)
    return ". ".join(parts) + "."


def inverted(name: str) -> str:
    """ "Velde, Mara" for the first author of Chicago and MLA."""
    n = split_name(name)
    return f"{n['family']}, {n['given']}" if "family" in n else n["literal"]


def names(people: list[str], first_inverted: bool = True) -> str:
    shown = [inverted(people[0]) if first_inverted else people[0], *people[1:]] if people else []
    if len(shown) <= 2:
        return " and ".join(shown)
    return ", ".join(shown[:-1]) + ", and " + shown[-1]


def long_date(text: str, mla: bool = False) -> str:
    """May 4, 2012 (Chicago, APA) or 4 May 2012 (MLA), as far as the date is known."""
    parts = date_parts(text)
    if len(parts) == 3:
        y, m, d = parts
        return f"{d} {MLA_MONTHS[m - 1]} {y}" if mla else f"{MONTHS[m - 1]} {d}, {y}"
    if len(parts) == 2:
        y, m = parts
        return f"{MLA_MONTHS[m - 1] if mla else MONTHS[m - 1]} {y}"
    return str(parts[0]) if parts else ""


def where(s: Source) -> str:
    """The original, where the text was taken and the permalink, as a citation ends."""
    parts = [s.url] if s.url else []
    if s.taken:
        parts.append(s.taken)
    parts.append(f"Passage {s.anchor}: {s.permalink}")
    return ". ".join(parts) + "."


def quoted_title(title: str) -> str:
    """A headline in double quotes, ending with its period inside them: quotes it holds
    become single (“Inside ‘The Lumen Years.’”), and a question or exclamation mark stands
    for the period."""
    inner = INNER_OPEN.sub("‘", title.replace("“", "‘").replace("”", "’")).replace('"', "’")
    closing = ""
    if title.rstrip().endswith(("”", '"')):  # the period goes inside the quote it ends on
        inner, closing = inner.rstrip()[:-1], "’"
    end = "" if inner.endswith(("?", "!", ".")) else "."
    return f"“{inner}{end}{closing}”"


def chicago(s: Source) -> str:
    by = names(s.speakers)
    lead = f"{by}. " if by else ""
    asked = f" Interview by {names(s.interviewers, False)}." if s.interviewers else ""
    when = long_date(s.date)
    pub = ", ".join(p for p in (s.publication, when) if p)
    return (
        f"{lead}{quoted_title(s.title)}{asked} {pub + '. ' if pub else ''}{where(s)} "
        f"Accessed {long_date(s.accessed.isoformat())}."
    )


def mla(s: Source) -> str:
    by = names(s.speakers)
    lead = f"{by}. " if by else ""
    asked = f"Interview by {names(s.interviewers, False)}. " if s.interviewers else ""
    pub = ", ".join(p for p in (s.publication, long_date(s.date, mla=True)) if p)
    return (
        f"{lead}{quoted_title(s.title)} {asked}{pub + ', ' if pub else ''}{where(s)} "
        f"Accessed {long_date(s.accessed.isoformat(), mla=True)}."
    )


def apa_name(name: str) -> str:
    n = split_name(name)
    if "literal" in n:
        return n["literal"]
    initials = " ".join(f"{g[0]}." for g in n["given"].split())
    return f"{n['family']}, {initials}"


def apa(s: Source) -> str:
    authors = [apa_name(n) for n in s.speakers]
    by = ", ".join(authors[:-1]) + ", & " + authors[-1] if len(authors) > 1 else "".join(authors)
    parts = date_parts(s.date)
    when = str(parts[0]) if parts else "n.d."
    if len(parts) == 3:
        when += f", {MONTHS[parts[1] - 1]} {parts[2]}"
    asked = ""
    if s.interviewers:
        asked = (
            f" ({', '.join(s.interviewers)}, Interviewer{'s' if len(s.interviewers) > 1 else ''})"
        )
    lead = f"{by} ({when}). " if by else ""
    title = f"{s.title}{asked} [Interview]." if by else f"{s.title} [Interview]. ({when})."
    pub = f" {s.publication}." if s.publication else ""
    return f"{lead}{title}{pub} {where(s)}"


def bibtex_text(text: str) -> str:
    return BIBTEX_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def bibtex(s: Source) -> str:
    """One @misc entry."""
    parts = date_parts(s.date)
    fields = {
        "author": " and ".join(inverted(n) if " " in n else "{" + n + "}" for n in s.speakers),
        "title": s.title,
        "howpublished": s.publication,
        "year": str(parts[0]) if parts else "",
        "month": MONTHS[parts[1] - 1][:3].lower() if len(parts) > 1 else "",
        "url": s.url or s.permalink,
        "urldate": s.accessed.isoformat(),
        "note": (f"Interview by {names(s.interviewers, False)}. " if s.interviewers else "")
        + note(s),
    }
    key = re.sub(r"\W+", "-", s.id).strip("-") or "passage"
    lines = [f"@misc{{{key},"]
    for name, value in fields.items():
        if not value:
            continue
        if name == "month":
            lines.append(f"  {name} = {value},")
        elif name in ("url", "urldate"):
            lines.append(f"  {name} = {{{value}}},")
        else:
            lines.append(f"  {name} = {{{bibtex_text(value)}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def ris(s: Source) -> str:
    """One RIS record (lines end with CRLF, as the format asks)."""
    lines = [("TY", "ELEC")]
    lines += [("AU", inverted(n)) for n in s.speakers]
    lines += [("A2", inverted(n)) for n in s.interviewers]
    lines += [("TI", s.title), ("T2", s.publication)]
    parts = date_parts(s.date)
    if parts:
        lines.append(("PY", str(parts[0])))
        lines.append(("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
    lines += [("UR", s.url or s.permalink), ("Y2", s.accessed.isoformat()), ("N1", note(s))]
    body = "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines if value)
    return body + "ER  - \r\n"


def citations(s: Source) -> dict[str, str]:
    """The three styles a page shows."""
    return {"chicago": chicago(s), "mla": mla(s), "apa": apa(s)}


def highwire(article: dict[str, Any]) -> list[tuple[str, str]]:
    """Highwire Press `citation_*` meta tags of an article page (Zotero, Mendeley), and
    `DC.contributor` for each interviewer."""
    tags = [("citation_title", article.get("title") or article["id"])]
    tags += [("citation_author", n) for n in article.get("interviewees") or []]
    # Highwire has no interviewer: Dublin Core's contributor says who asked
    tags += [("DC.contributor", n) for n in article.get("interviewers") or []]
    if article.get("publication"):
        tags.append(("citation_journal_title", article["publication"]))
    if article.get("date"):
        tags.append(("citation_publication_date", article["date"][:10].replace("-", "/")))
    url = web_url(article.get("url", ""))
    if url:
        tags.append(("citation_public_url", url))
    if article.get("language"):
        tags.append(("citation_language", article["language"]))
    return tags


# Highwire tag -> the OpenURL key that says the same in a COinS span (Z39.88-2004, KEV
# journal format: an interview is an article in its publication)
COINS_KEYS = {
    "citation_title": "rft.atitle",
    "citation_author": "rft.au",
    "citation_journal_title": "rft.jtitle",
    "citation_publication_date": "rft.date",
    "citation_public_url": "rft_id",
    "citation_language": "rft.language",
}


def coins(article: dict[str, Any]) -> str:
    """The `title` of an article's COinS span: the Highwire facts as an OpenURL."""
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
        ("rft.genre", "article"),
    ]
    for name, content in highwire(article):
        if name not in COINS_KEYS:
            continue  # OpenURL's journal format has no contributor
        value = content.replace("/", "-") if name == "citation_publication_date" else content
        pairs.append((COINS_KEYS[name], value))
    return urlencode(pairs)
