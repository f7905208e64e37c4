"""The headline a page shows: candidates from metadata, headings and top lines, compared.

A headline usually appears twice, declared in the head (og:title, JSON-LD, <title>) and
shown as the page's first heading; the site's name is what the declared titles and the
page's branding share. Candidates of shapes that are never headlines are dropped first."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from indexer.read.dates import date_spans, remove_spans
from indexer.read.metadata import Head
from indexer.read.toplines import split_top
from indexer.text.names import fold, normalize_space
from indexer.text.scripts import main_script

# --- Tables -------------------------------------------------------------------------------

# What stands between a <title>'s headline and the site's name or section.
TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—»·•~-]|::|--)\s+")
# Shapes that are never a headline, each with the reason given in the notes. Checked on a
# candidate after markup residue, list numbering and mail headers have been stripped.
REJECTED_SHAPES: dict[str, re.Pattern[str]] = {
    # "Page 1", "P. 190", "Seite 3", "1 / 4"
    "page number": re.compile(
        r"^(?:page|p\.|pp\.|pag\.|pág\.|página|pagina|seite|strona|s\.)\s*\d+\b|^\d+\s*/\s*\d+$",
        re.I,
    ),
    # "Photo: ...", "Foto: Reprodução vídeo", "Crédit photo : ...", "Photo by Ann Lee",
    # "(Allen J. Schaben/LA Times)"; not "Source Code: ..." or "Picture This: ...".
    "caption or credit": re.compile(
        r"^(?:photo(?:graph)?s?|fotos?|fotografia|fot\.|images?|pictures?|credits?|courtesy|"
        r"source|crédits?|bild|zdjęcie|imagen|immagine|写真|画像)"
        r"(?:\s+(?:credit|photo|courtesy))?\s*[:：]|"
        r"^(?:photo(?:graph)?|foto|picture|image)s?\s+(?:by|courtesy|de|di|von|par)\s|"
        r"\b(?:photo(?:graph)?s?\s+(?:by|courtesy|credit)|fotos?\s+(?:de|di|von))\s|"
        r"^\(.*\)$|^\[.*\]$",
        re.I,
    ),
    # "By Ann Lee", "by Intern Ariana | May 2", "Posted by admin on ...", "Publié le ... par"
    "byline": re.compile(
        r"^(?i:by|par|por|von|di|przez)\s+[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}"
        r"(?:\s*$|\s*[,|•·/–—-]|\s+(?i:on|le|el|am|il|the)\b|\s+\d)|"
        r"^(?i:written by|words by|interview by|text by|posted|published|publié|publicado|"
        r"pubblicato|veröffentlicht|opublikowano)\b",
    ),
    # "Home > Features > Interviews", "News | Reviews | Interviews"
    "breadcrumb or navigation": re.compile(
        r"^home\s*[>›»/]|(?:\s[>›»|•·]\s.*){2,}|^[>›»|•·*-]\s",
        re.I,
    ),
    # A page's controls and section furniture rather than an article's title (the whole
    # line, so that "Search Party star ..." stays a headline).
    "page furniture": re.compile(
        r"^(?:(?:skip to|back to|you will be redirected|this browser|download|browse|"
        r"read more|subscribe|sign (?:in|up)|log in)\b.*|top of page|latest posts|"
        r"related(?: posts| articles| stories)?|share(?: this(?: article)?| on \w+)?|"
        r"search(?: this (?:blog|site))?|menu|advertisement|anúncio|anuncio|publicidad|"
        r"pubblicità|werbung|reklama)$",
        re.I,
    ),
    # "date: 1960", "interviewer: Robert Robinson", "Tag: rwrb movie": a profile box or tag
    # line (a lower-case key, or a lower-case value); "Interview: Jane Doe" is a headline.
    "key and value": re.compile(r"^[a-z][\w ]{0,24}[:：]\s*\S|^[\w ]{1,25}[:：]\s*[a-z][^A-Z]*$"),
    "file name": re.compile(r"\.(?:png|jpe?g|gif|webp|svg|pdf|mp[34])$", re.I),
    "web address": re.compile(r"https?://|www\.|^\S+\.(?:com|org|net|co\.\w\w|de|fr|it|es)\b"),
    # A sentence of the body (a caption, a standfirst) ends with a full stop; so does a label.
    "sentence or label": re.compile(r"(?<!\.\.)(?<!\b[A-Z])\.[\"”’»)]?$|[:：]$"),
}
# Stripped off a candidate's start: list numbers ("3. ") and mail or document headers.
LEADING_JUNK = re.compile(
    r"^(?:\d{1,2}[.)]\s+|(?:subject|title|headline|titre|título|titolo|betreff|tytuł)\s*:\s*)",
    re.I,
)
NUMBERED_QUESTION = re.compile(r"^(?:\d{1,2}[.)]|Q\d{0,2}[.:)]?)\s+.*[?？]$")
# A trailing web address glued to a headline ("... of Zama slantmagazine.com/features/...").
TRAILING_ADDRESS = re.compile(r"\s+(?:https?://)?[\w-]+(?:\.[\w-]+)+/\S*$")
# Elements naming the site itself: its logo, its home link, its title.
SITE_BRAND = (
    "[rel=home], .logo, .site-title, .site-name, .site-branding, .brand, #logo, "
    "header .title, [class*=branding]"
)
# Headings that may show the headline, in order of preference (blog posts often use h3).
HEADING_TAGS = ("h1", "h2", "h3")
HIDDEN_CLASS = re.compile(r"hidden|sr-only|screen-reader|visually", re.I)
# A name spelled like the URL's host names the site when it covers this share of it.
HOST_SHARE = 0.6
# Two candidates agree when this share of the shorter one's words is in the longer one.
AGREEMENT = 0.6
# A plain-text headline counts this many words at most in its favour (longer is no better).
HEADLINE_WORDS = 12
# A line longer than this is a paragraph: the longest headline seen runs to about twenty.
MAX_HEADLINE_WORDS = 30
# A top line printed again (the page repeats its headline) gains this many words' worth.
ECHO_BONUS = 4


@dataclass
class Headline:
    """The chosen headline and the cue that chose it ("" when no candidate was good)."""

    text: str
    cue: str


@dataclass
class Context:
    """What a page says about itself, to tell its headline from its site's name."""

    sites: list[str]  # og:site_name, publisher, sidecar publication, branding
    host: str  # the URL's host without "www." and suffix, letters only ("rollingstone")
    slug: str  # the URL's last path segment, folded ("stand up guys")


# --- Public API -----------------------------------------------------------------------------


def html_headline(
    soup: BeautifulSoup, url: str = "", publication: str = "", head: Head | None = None
) -> Headline:
    """The headline of an HTML page: a visible heading the head's titles agree with, else
    the declared title, else the first plausible heading. `head` is the page's `Head`,
    when already read."""
    head = head or Head.read(soup)
    ctx = page_context(soup, url, publication, head)
    raw = [
        (cue, normalize_space(html.unescape(text)))
        for cue, text in [
            ("og:title", head.meta("og:title")),
            ("JSON-LD headline", ld_headline(head)),
            ("twitter:title", head.meta("twitter:title")),
            ("<title>", title_tag(soup)),
        ]
        if text
    ]
    # og:title "Cinema Daily" beside <title> "Ann Lee Talks X | Cinema Daily": a declared
    # title that is only the last part of another one is the site's name.
    for _, text in raw:
        for _, other in raw:
            parts = TITLE_SEPARATOR.split(other)
            if len(parts) > 1 and fold(text) == fold(parts[-1]) != fold(parts[0]):
                ctx.sites.append(text)
    declared = [(cue, clean_title(text, ctx)) for cue, text in raw]
    declared = [(cue, text) for cue, text in declared if text and not rejected(text, ctx)]
    headings = [h for h in visible_headings(soup) if not rejected(h, ctx)]
    for heading in headings:
        for cue, text in declared:
            if agree(heading, text):
                shown = text if fold(text) == fold(heading) else heading
                return Headline(shown, f"headline: the page's heading agrees with its {cue}")
    if declared:
        cue, text = declared[0]
        return Headline(text, f"headline from {cue} (no visible heading agrees)")
    if headings:
        return Headline(headings[0], "headline: the page's first heading (no title declared)")
    return Headline("", "")


def text_headline(text: str, url: str = "", publication: str = "") -> Headline:
    """The headline of a plain text: the fullest line above the body, preferring one the
    page prints twice; captions, datelines, bylines and navigation never count."""
    ctx = Context(sites=[publication] if publication else [], **url_parts(url))
    # A numbered question ("1. What made you...?") opens the interview, not the page, and
    # so does a question below the byline or dateline.
    head = [line for line in split_top(text).head if not NUMBERED_QUESTION.match(line)]
    credited = [rejected(h, ctx) in ("byline", "date") for h in head]
    while head and head[-1].endswith(("?", "？")) and any(credited[: len(head) - 1]):
        head.pop()
    lines = [line for line in (clean_title(clean_line(h), ctx) for h in head) if line]
    script = main_script(text[:3000])
    ok = [
        line
        for line in lines
        if 2 <= len(words(line)) <= MAX_HEADLINE_WORDS
        and not rejected(line, ctx)
        and main_script(line) == script
    ]
    # A name or film title inside a longer candidate is a tag or a kicker.
    ok = [c for c in ok if len(words(c)) > 4 or not any(contained(c, other) for other in ok)]
    keys = [fold(line) for line in lines]
    best: tuple[int, int, str] | None = None
    for line in ok:
        n = lines.index(line)
        # Printed twice, or spelled out in the page's address, a line is the headline.
        echoed = any(i != n and keys[n] in keys[i] for i in range(len(lines))) or (
            len(ctx.slug.split()) >= 3 and agree(line, ctx.slug)
        )
        score = min(len(words(line)), HEADLINE_WORDS) + ECHO_BONUS * echoed
        if best is None or (score, n) >= best[:2]:
            best = (score, n, line)
    if best is None:
        return Headline("", "no headline: no line above the body has a headline's shape")
    return Headline(best[2], "headline: the fullest line above the body")


# --- Candidates -----------------------------------------------------------------------------


def clean_line(line: str) -> str:
    """A top line without list numbers, mail headers or a trailing web address."""
    line = LEADING_JUNK.sub("", line)
    return TRAILING_ADDRESS.sub("", line).strip()


def clean_title(text: str, ctx: Context) -> str:
    """A declared title without the site's name and the sections beside it."""
    text = normalize_space(html.unescape(text))
    parts = TITLE_SEPARATOR.split(text)
    if len(parts) < 2:
        return "" if is_site(text, ctx) else text
    seps = TITLE_SEPARATOR.findall(text)
    # Without a known site name, only a bar, "»" or "::" marks a site: a dash may be the
    # headline's own ("Tom Harper – Wild Rose").
    guessed = seps[-1].strip() in ("|", "»", "::") and short_end(parts)
    if is_site(parts[-1], ctx) or (not any(is_site(p, ctx) for p in parts) and guessed):
        keep = len(parts) - 1
        # "Headline | Film | The Guardian": short sections between headline and site go too.
        while keep > 1 and len(words(parts[keep - 1])) <= 3 and len(words(parts[0])) >= 3:
            keep -= 1
        return "".join(p + (seps[i] if i < keep - 1 else "") for i, p in enumerate(parts[:keep]))
    if is_site(parts[0], ctx):
        start = 1
        # "The Film Gang » Blog Archive » Stand Up Guys"
        while start < len(parts) - 1 and len(words(parts[start])) <= 3:
            start += 1
        return "".join(
            p + (seps[start + i] if start + i < len(seps) else "")
            for i, p in enumerate(parts[start:])
        )
    return text


def short_end(parts: list[str]) -> bool:
    """ "Headline | Name": a short capitalised last part after a long first part is a site."""
    last = parts[-1]
    return (
        0 < len(words(last)) <= 4
        and last[:1].isupper()
        and not last.endswith(("?", "!", "."))
        and len(words(parts[0])) >= 3
        and len(words(last)) < len(words(parts[0]))
    )


def page_context(soup: BeautifulSoup, url: str, publication: str, head: Head) -> Context:
    """Site names the page gives (og:site_name, publisher, branding) and its URL's parts."""
    sites = [publication, head.meta("og:site_name"), head.meta("application-name")]
    for obj in head.ld:
        if obj.get("@type") in ("Organization", "WebSite", "NewsMediaOrganization"):
            sites.append(str(obj.get("name") or ""))
        publisher = obj.get("publisher")
        if isinstance(publisher, dict):
            sites.append(str(publisher.get("name") or ""))
    for tag in soup.select(SITE_BRAND)[:5]:
        text = normalize_space(tag.get_text(" "))
        if 0 < len(text.split()) <= 5:
            sites.append(text)
    return Context(sites=[s for s in sites if s], **url_parts(url or canonical_url(soup, head)))


def visible_headings(soup: BeautifulSoup) -> list[str]:
    """Texts of the page's headings, h1 first, leaving out hidden ones."""
    found: list[str] = []
    for name in HEADING_TAGS:
        for tag in soup.find_all(name):
            if not isinstance(tag, Tag) or is_hidden(tag):
                continue
            text = normalize_space(tag.get_text(" "))
            text = re.sub(r"\s+([:,;!?’”»)])", r"\1", text)  # "Beasts : A" from nested tags
            if text and text not in found:
                found.append(text)
    return found[:12]


# --- Rejection and comparison ---------------------------------------------------------------


def rejected(text: str, ctx: Context) -> str:
    """Why `text` can never be a headline ("" when it can be one)."""
    for reason, pattern in REJECTED_SHAPES.items():
        if pattern.search(text):
            return reason
    spans = date_spans(text)
    rest = [w for w in remove_spans(text, spans).split() if any(c.isalpha() for c in w)]
    if spans and (len(rest) <= 2 or spans[0].start == 0):
        return "date"  # "Wednesday, 13 August 2014", "Ann Lee / 10 de agosto de 2015"
    if is_site(text, ctx):
        return "the site's name"
    cased = [c for c in text if c.lower() != c.upper()]
    if cased and not any(c.isupper() for c in cased):
        return "all lower-case (a slug or a tag)"
    return ""


def is_site(text: str, ctx: Context) -> bool:
    """True when `text` names the site: a known site name, or its URL's host spelled out."""
    key = fold(text)
    if not key or len(key.split()) > 6:
        return False
    for site in ctx.sites:
        site_key = fold(site)
        if site_key and (key == site_key or (len(key.split()) <= 4 and contained(key, site_key))):
            return True
        if site_key and len(site_key.split()) <= 4 and contained(site_key, key):
            return len(key.split()) <= len(site_key.split()) + 1  # "MUBI Notebook", "Film | X"
    compact = re.sub(r"^the", "", key.replace(" ", ""))
    host = ctx.host
    if len(compact) < 4 or len(host) < 4:
        return False
    # "Rolling Stone" for rollingstone.com, "The New Republic" for newrepublic.com
    shorter, longer = sorted((compact, host), key=len)
    return shorter in longer and len(shorter) >= HOST_SHARE * len(longer)


def agree(heading: str, declared: str) -> bool:
    """A heading and a declared title tell the same headline (one may be cut or reworded)."""
    a, b = fold(heading), fold(declared)
    if a == b:
        return True
    shorter, longer = sorted((a.split(), b.split()), key=len)
    if len(shorter) < 3:
        return False
    return sum(w in longer for w in shorter) / len(shorter) >= AGREEMENT


def contained(short: str, long: str) -> bool:
    """`short` occurs in `long` as whole words (compared folded)."""
    a, b = fold(short), fold(long)
    return bool(a) and a != b and f" {a} " in f" {b} "


def words(text: str) -> list[str]:
    """Words of a line; CJK text counts a word for every two characters."""
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text))
    return text.split() + ["·"] * (cjk // 2)


# --- Page access ----------------------------------------------------------------------------


def title_tag(soup: BeautifulSoup) -> str:
    tag = soup.find("title")
    return normalize_space(tag.get_text()) if tag else ""


def canonical_url(soup: BeautifulSoup, head: Head) -> str:
    tag = soup.find("link", attrs={"rel": "canonical"})
    return str(tag.get("href") or "") if isinstance(tag, Tag) else head.meta("og:url")


def ld_headline(head: Head) -> str:
    for obj in head.ld:
        headline = obj.get("headline")
        if isinstance(headline, str) and headline.strip():
            return headline
    return ""


def is_hidden(tag: Tag) -> bool:
    for node in [tag, *tag.parents]:
        if not isinstance(node, Tag):
            continue
        if HIDDEN_CLASS.search(" ".join(node.get("class") or [])):
            return True
        if "display:none" in str(node.get("style") or "").replace(" ", ""):
            return True
    return False


def url_parts(url: str) -> dict[str, str]:
    """The host without "www." and its public suffix, letters only, and the folded slug."""
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").removeprefix("www.")
    labels = host.split(".")
    core = labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")
    if len(labels) >= 3 and len(labels[-2]) <= 3:  # "example.co.uk"
        core = labels[-3]
    slug = next((p for p in reversed(parts.path.split("/")) if p), "")
    return {"host": re.sub(r"[\W\d_]+", "", core.casefold()), "slug": fold(slug)}
