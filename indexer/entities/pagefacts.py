"""What a page says about itself in its own words: the publication's name and the byline."""

from __future__ import annotations

import re
import string

from indexer.model import Block
from indexer.text.names import NOT_NAME_WORDS, UPPER, fold, looks_like_name, normalize_space

# --- Tables -------------------------------------------------------------------------------

# A run of capitalised words naming an outlet ("The New York Times", "Film Comment").
OUTLET = r"(?P<outlet>(?:The\s+)?[A-Z][\w&'’.\-]*(?:\s+(?:of\s+|&\s+)?[A-Z][\w&'’.\-]*){0,5})"
# Sentences naming the publication the writer works for or the page belongs to.
OUTLET_CUES = [
    re.compile(
        r"\b(?:critics?|writers?|editors?|reporters?|correspondents?|columnists?|"
        r"contributors?)\s+(?:for|at)\s+" + OUTLET
    ),
    re.compile(r"(?:©|\([cC]\)|(?i:copyright)\s*©?)\s*\d{4}(?:\s*[-–]\s*\d{4})?\s+" + OUTLET),
    re.compile(r"\bSubscribe to\s+" + OUTLET),
    re.compile(r"^(?:By\s+)?" + OUTLET + r"\s+Staff\b"),
    re.compile(r"^(?i:written|interview|exclusive|reporting)\s+for\s+" + OUTLET),
    re.compile(
        r"(?:^|[.!?]\s+)" + OUTLET + r"\s+(?:spoke|sat down|caught up|talked)\s+(?:with|to)\b"
    ),
    re.compile(r"^" + OUTLET + r"\s+(?:is written|is edited|is published)\s+by\b"),
]
# Words of a rights holder credited on a picture, not the page's publisher.
CREDIT_WORDS = re.compile(
    r"\b(?:Images|Pictures|Photos?|Films|Studios|Entertainment|Releasing|Classics|"
    r"Productions|Distribution|Courtesy|Credit)\b",
    re.I,
)
# Works whose credits say "is written by": the screenwriter, not the page's writer.
WORK_WORDS = re.compile(r"\b(?:film|screenplay|script|movie|book|novel|play|series|story)\b", re.I)
# Capitalised words that open a sentence without naming an outlet.
NOT_OUTLET = set("I We He She They It This That All Our My You Rights Reserved".split())
# The site's own address printed in the page ("© fearsite.com", "Follow ReelTalk.net").
DOMAIN = re.compile(
    r"(?<![\w@/.])(?:www\.)?(?P<site>[A-Za-z][\w\-]{2,30})\.(?:com|net|org|co\.uk|tv|ie)\b"
)
# Addresses of services a page links to, never the page's own.
OTHER_SITES = set(
    "twitter facebook youtube instagram imdb google amazon netflix wikipedia apple vimeo "
    "tiktok linkedin pinterest reddit rottentomatoes letterboxd boxofficemojo disqus "
    "wordpress blogspot tumblr medium substack gmail yahoo hotmail outlook".split()
)
# Words run together in a lower-case address ("slantmagazine" -> "Slant Magazine").
DOMAIN_WORDS = (
    "magazine mag news review reviews blog online daily times post journal tv channel "
    "network world club scene talk film films cinema movie movies screen".split()
)
# A breadcrumb's first item is the site's own name ("1. CINEMORE", "Home > ...").
BREADCRUMB = re.compile(r"^1\.\s+(?P<outlet>[^\n]{2,40})$")
# Lines that head a page section rather than name the site.
SECTION_WORDS = set(
    "home articles news features interviews interview reviews review menu search login "
    "subscribe sections".split()
)
# A byline: "By Ann Lee", "Words by Ann Lee", "is written by Ann Lee in Galway".
BYLINE = re.compile(
    r"(?:^(?i:(?:words\s+|interview\s+|text\s+)?by|por|par|von|di|door|przez|av|af|"
    r"text|texto|tekst|testo|autor|autora|auteur|author|entrevista de|intervista di|"
    r"propos recueillis par|interview von|interview de|rozmawia[lł]a?|rozhovor vedl[a]?|"
    r"escrito por|publicado por|автор|беседовал[аи]?|записал[аи]?|розмовляв(?:ла)?|szerző|"
    r"yazan|oleh|penulis|piše|napisal[a]?|teksti|kirjoittanut|tác giả)\s*:?|"
    r"\b(?i:is written by|interviewed by))\s+"
    rf"(?P<name>{UPPER}[\w’'.\-]*(?:\s+(?:(?:de|van|von|del|da|di|le|la)\s+)?{UPPER}[\w’'.\-]*){{1,3}})"
)
# The intro names the writer by a newsroom role: "Senior Correspondent, Ann Lee, was at ...".
WRITER_ROLE = re.compile(
    r"\b(?i:correspondent|reporter|journalist)s?,?\s+"
    rf"(?P<name>{UPPER}[\w’'.\-]*(?:\s+{UPPER}[\w’'.\-]*){{1,3}}),?\s+(?:was|met|spoke|sat|caught|talked)\b"
)
# An author box at the foot of the page: "Ann Lee is a freelance writer based in Cork."
AUTHOR_BOX = re.compile(
    rf"^(?P<name>{UPPER}[\w’'.\-]*(?:\s+{UPPER}[\w’'.\-]*){{1,3}})\s+is\s+an?\s+(?:[\w\-]+\s+){{0,3}}"
    r"(?:writer|journalist|critic|editor|reporter|contributor|blogger)\b(?![/\-]|\s+and\s+\w*direct)"
)
# Blocks at the foot of the page read for an author box.
FOOT = 4
# Lines scanned at each end of the page for a byline or masthead.
EDGE = 12


# --- Public API -----------------------------------------------------------------------------


def page_publication(blocks: list[Block]) -> str:
    """The publication's name as the page itself writes it, or ""."""
    texts = [b.text for b in blocks]
    whole = "\n".join(texts)
    for text in texts:
        for cue in OUTLET_CUES:
            for match in cue.finditer(text):
                if CREDIT_WORDS.search(text):
                    break  # "© 2019 Reel Pictures": a photo credit
                staff = match.group(0).endswith("Staff")  # never a person's name
                name = clean_outlet(match.group("outlet"), "" if staff else whole)
                if name:
                    return name
    return masthead(texts) or own_domain(texts)


def page_authors(blocks: list[Block]) -> list[str]:
    """A full-name byline near the top or bottom of the page ("By Ann Lee")."""
    texts = [b.text for b in blocks]
    edges = texts[:EDGE] + texts[-EDGE:] if len(texts) > 2 * EDGE else texts
    for text in edges:
        match = None if len(text) > 200 else BYLINE.search(text)
        match = match or WRITER_ROLE.search(text)
        if not match or ("written" in match.group(0) and WORK_WORDS.search(text[: match.start()])):
            continue  # "The screenplay is written by Ann Lee" credits the film
        name = trim_name(match.group("name"))
        if looks_like_name(name) and len(name.split()) >= 2:
            return [name]
    for text in texts[-FOOT:]:
        box = AUTHOR_BOX.match(text)
        if box and looks_like_name(box.group("name")):
            return [box.group("name")]
    return []


# --- Helpers --------------------------------------------------------------------------------


def clean_outlet(name: str, whole: str) -> str:
    """Drop trailing sentence words; refuse a pronoun and, given the page's `whole` text,
    a person's name or surname."""
    words: list[str] = []
    for word in normalize_space(name).split():
        if word.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z]\w?\.", word):
            words.append(word.rstrip("."))  # "Reel Notes. All rights": the sentence ends
            break
        words.append(word)
    words = " ".join(words).rstrip(".,;:").split()
    while words and words[-1] in ("The", "A", "An", "And", "Inc.", "Inc", "Ltd", "LLC"):
        words.pop()
    if not words or words[0] in NOT_OUTLET or re.search(r"[’']s$", words[-1]):
        return ""
    name = " ".join(words)
    if whole and words[0] != "The" and looks_like_name(name):
        return ""  # "Ann Lee spoke with ..." is a person
    if len(words) == 1 and re.search(rf"\b[A-Z][a-z]+\s+{re.escape(name)}\b", whole):
        return ""  # "Lee spoke with ...": the surname of someone named in full elsewhere
    return name


def masthead(texts: list[str]) -> str:
    """A site name atop a captured page: a breadcrumb's first item or an all-caps line."""
    for text in texts[:3]:
        crumb = BREADCRUMB.match(text)
        if crumb and crumb.group("outlet").lower() not in SECTION_WORDS:
            return crumb.group("outlet").strip()
    first = texts[0] if texts else ""
    words = first.split()
    if (
        2 <= len(words) <= 5
        and first.isupper()
        and not any(c.isdigit() for c in first)
        and not first.endswith((".", ":", "?", "!"))
        and not {w.lower().strip(string.punctuation) for w in words} & SECTION_WORDS
        and len(texts) > 1
        and texts[1].upper() != first
        and fold(first) not in fold("\n".join(texts[1:]))  # a headline or a name, repeated
    ):
        return string.capwords(first)
    return ""


def own_domain(texts: list[str]) -> str:
    """The site's name from its address printed in the page, when only one site is named."""
    sites = {m.group("site") for t in texts for m in DOMAIN.finditer(t)}
    sites = {site for site in sites if site.lower() not in OTHER_SITES}
    return site_name(sites.pop()) if len(sites) == 1 else ""


def site_name(site: str) -> str:
    """A lower-case address as words ("thefilmreview" -> "The Film Review"); else as is."""
    if not site.islower():
        return site  # "ReelTalk" is already written as the site writes its name
    head, words = site.replace("-", " "), list[str]()
    found = True
    while found:
        found = False
        for word in DOMAIN_WORDS:
            if head.endswith(word) and len(head) > len(word) + 2:
                head, words, found = head[: -len(word)], [word, *words], True
                break
    rest = head[3:]
    if head.startswith("the") and (len(rest) >= 5 or rest in DOMAIN_WORDS):
        head = "the " + rest  # "theplaylist", "thefilm|review"; not "theatre"
    return string.capwords(" ".join([head, *words]))


def trim_name(name: str) -> str:
    """Cut a byline name at a word that starts the next phrase ("Ann Lee In Galway")."""
    words = name.split()
    for n, word in enumerate(words):
        if word.lower() in NOT_NAME_WORDS:
            words = words[:n]  # "By Ann Lee July 3": a date follows the name
            break
    return " ".join(words)
