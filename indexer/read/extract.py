"""Turn a decoded Source (HTML or plain text) into a Document: metadata plus body blocks."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import (
    BeautifulSoup,
    Comment,
    MarkupResemblesLocatorWarning,
    Tag,
    XMLParsedAsHTMLWarning,
)
from bs4.element import NavigableString

from indexer.model import Block, Document, Source
from indexer.read.content import find_content_root, strip_boilerplate
from indexer.read.dates import dates_a_life, html_date, not_after, text_date
from indexer.read.headline import html_headline, text_headline
from indexer.read.metadata import (
    Head,
    authors_from_boxes,
    authors_from_bylines,
    interviewer_credit,
    read_metadata,
)
from indexer.read.plaintext import extract_text
from indexer.text.names import UPPER, looks_like_name, normalize_space

# --- Tables -------------------------------------------------------------------------------

BLOCK_TAGS = {
    "p": "p",
    "div": "p",
    "section": "p",
    "article": "p",
    "main": "p",
    "li": "li",
    "dd": "p",
    "dt": "question",  # a definition list's terms ask, its definitions answer
    "td": "p",
    "pre": "p",
    "blockquote": "quote",
    "h1": "heading",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
    "ul": "p",
    "ol": "p",
    "table": "p",
    "tr": "p",
}
BOLD_TAGS = {"b", "strong"}
ITALIC_TAGS = {"i", "em", "cite"}

# Whole lines that are page furniture, not article text.
BOILERPLATE_LINES = re.compile(
    r"^(?:advertisement|advertisements|sponsored|ad|leave a reply|leave a comment|"
    r"post a comment|comments?|\d+ comments?|related(?: posts| articles| stories)?:?|"
    r"read more:?.*|more from .*|share this:?|share( on \w+)?|tweet|email|print|"
    r"sign up for .*|subscribe.*|newsletter.*|you may also like:?|recommended:?|"
    r"continue reading(?: below| the main story)?|(?:story|article) continues below|"
    r"skip to (?:main )?content|top of page|latest posts|click to share.*|"
    r"sorry, looks like no contributors are set|photo(?: courtesy)?(?: of)?:? .{0,80}|"
    r"(?:photo|image|credit|courtesy)s?:.*|tags?:.*|filed under:?.*|posted (?:in|on|by) .*|"
    r"cancel reply|your email address will not be published.*|loading\W*|"
    r"today: \w+ \d{1,2}, \d{4}|.{0,80}©.{0,80}|"
    # paywalls and log-in prompts, in English and French
    r"(?:connectez-vous|log ?in to|sign ?in to|already a subscriber|subscribe to (?:continue|read)|"
    r"si vous avez déjà un compte|this (?:article|content) is (?:only )?(?:for|available to)).*|"
    r"(?:this|the) (?:interview|conversation) (?:has been|was) (?:edited|condensed|lightly).*|"
    r"\W*)$",
    re.I,
)
# "by Peter Goldberg April 11, 2018 Lucrecia Martel's films ...": a byline run into the text.
INLINE_BYLINE = re.compile(
    rf"^[Bb]y\s+(?P<name>{UPPER}[\w’'\-]+(?:\s+{UPPER}[\w’'\-]+){{1,2}}?)\s+(?:(?:January|February|"
    r"March|April|May|June|July|August|September|October|November|December)\b|\d)"
)
AUTHOR_BOX = re.compile(r"^(?:about (?:the )?author|about the writer|author bio)\s*:?$", re.I)
BYLINE = re.compile(
    r"^(?:by|written by|words by|interview by)\s+(?P<names>[^\d\n]{3,80}?)\s*(?:[|,–—-].*)?$",
    re.I,
)
# Bylines naming a role rather than a person ("by Intern Ariana").
BYLINE_ROLE_WORDS = {"intern", "staff", "editor", "editors", "guest", "admin", "team", "the"}


@dataclass
class _Run:
    """A stretch of inline text with its formatting; text None marks a <br>."""

    text: str | None
    bold: bool = False
    italic: bool = False


# --- Public API -----------------------------------------------------------------------------


def extract_document(source: Source) -> Document:
    """Extract metadata and ordered body blocks from an HTML or plain-text source."""
    # The sidecar's url and publication help tell the headline from the site's name.
    url = str(source.sidecar.get("url") or "")
    publication = str(source.sidecar.get("publication") or "")
    # When the page was saved: no later date is its publication date.
    saved = str(source.sidecar.get("captured") or source.sidecar.get("fetched") or "")
    if source.format == "html":
        doc = extract_html(source.text, url, publication, saved)
    else:
        doc = extract_text(source.text, url, publication)
    doc.date = not_after(doc.date, saved)
    doc.blocks = clean_blocks(doc)
    return doc


def html_soup(html: str) -> BeautifulSoup:
    """The page's tree. XHTML pages (an `<?xml` prolog) are read as HTML on purpose, as
    browsers render them, and a page whose whole text looks like a file name is still a
    page: BeautifulSoup's warnings about either are not shown."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "lxml")


def extract_html(html: str, url: str = "", publication: str = "", saved: str = "") -> Document:
    """HTML: metadata from head/JSON-LD, body blocks from the main content container."""
    soup = html_soup(html)
    doc = Document()
    head = Head.read(soup)
    read_metadata(soup, doc, head)
    headline = html_headline(soup, url or doc.url, publication or doc.publication, head)
    doc.title = headline.text
    # The page's lines as a reader sees them, before boilerplate goes: bylines live there.
    page_text = (soup.body or soup).get_text("\n")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    authors_from_boxes(soup, doc)
    authors_from_bylines(soup, doc)
    strip_boilerplate(soup)
    root = find_content_root(soup)
    doc.blocks = list(html_blocks(root))
    if not doc.title:
        # Neither the head nor a heading names it: the first lines of the body may.
        lines = "\n".join(b.text for b in doc.blocks[:20])
        headline = text_headline(lines, url or doc.url, publication or doc.publication)
        doc.title = headline.text
    doc.notes.append(headline.cue or "no headline: the page declares none and shows none")
    # htmldate reads the head, the markup and the URL (its text search is off: it turns a
    # lone year into January 1st); then the head's own date, then a dateline in the body.
    found = [html_date(html, url or doc.url, saved), doc.date]
    # "Born: March 3, 1930" in a profile box dates a life, not the article.
    found = [d for d in found if d and not dates_a_life(d, page_text)]
    doc.date = found[0] if found else text_date(page_text)
    return doc


# --- HTML body blocks -------------------------------------------------------------------


def html_blocks(root: Tag) -> Iterator[Block]:
    """Walk the tree, flushing a block at every block element and every <br>."""
    runs: list[_Run] = []
    yield from walk(root, runs, "p", False, False)
    yield from flush(runs, "p")


def walk(node: Tag, runs: list[_Run], kind: str, bold: bool, italic: bool) -> Iterator[Block]:
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, Comment):
                runs.append(_Run(str(child), bold, italic))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            runs.append(_Run(None))
        elif name in BLOCK_TAGS:
            yield from flush(runs, kind)
            inner: list[_Run] = []
            child_kind = BLOCK_TAGS[name] if BLOCK_TAGS[name] != "p" else kind
            yield from walk(child, inner, child_kind, bold, italic)
            yield from flush(inner, child_kind)
        else:
            style = str(child.get("style") or "")
            is_bold = (
                name in BOLD_TAGS
                or "font-weight:bold" in style.replace(" ", "")
                or ("font-weight:700" in style.replace(" ", ""))
            )
            yield from walk(child, runs, kind, bold or is_bold, italic or name in ITALIC_TAGS)


def flush(runs: list[_Run], kind: str) -> Iterator[Block]:
    """Turn accumulated runs into blocks, one per <br>-separated segment."""
    segment: list[_Run] = []
    for run in [*runs, _Run(None)]:
        if run.text is None:
            block = block_from_runs(segment, kind)
            if block:
                yield block
            segment = []
        else:
            segment.append(run)
    runs.clear()


def block_from_runs(runs: list[_Run], kind: str) -> Block | None:
    text = normalize_space("".join(r.text or "" for r in runs))
    if not text:
        return None
    prefix = []
    for run in runs:
        if not (run.text or "").strip():
            prefix.append(run.text or "")
            continue
        if not run.bold:
            break
        prefix.append(run.text or "")
    bold_prefix = normalize_space("".join(prefix))
    bold_chars = sum(len((r.text or "").strip()) for r in runs if r.bold)
    # Some outlets set their questions in italics instead of bold.
    italic_chars = sum(len((r.text or "").strip()) for r in runs if r.italic)
    total = sum(len((r.text or "").strip()) for r in runs)
    return Block(
        text=text,
        kind=kind,
        bold_prefix=bold_prefix,
        all_bold=total > 0 and max(bold_chars, italic_chars) >= 0.9 * total,
        italics=italic_phrases(runs),
    )


def italic_phrases(runs: list[_Run]) -> list[str]:
    """Consecutive italic runs as phrases: <i>The <b>Love</b> Witch</i> is one title."""
    phrases: list[str] = []
    current: list[str] = []
    for run in [*runs, _Run("x")]:
        text = run.text or ""
        if run.italic or (current and not text.strip()):
            current.append(text)
            continue
        phrase = normalize_space("".join(current))
        if len(phrase) > 1:
            phrases.append(phrase)
        current = []
    return phrases


# --- Cleaning shared by both formats --------------------------------------------------------


def clean_blocks(doc: Document) -> list[Block]:
    """Drop boilerplate lines, bylines, author boxes and pull quotes that repeat the text."""
    blocks = doc.blocks
    kept: list[Block] = []
    skip_until = -1
    credited = False
    for i, block in enumerate(blocks):
        if i <= skip_until:
            continue
        text = block.text
        if BOILERPLATE_LINES.match(text):
            continue
        if AUTHOR_BOX.match(text):
            # "About Author" / name / bio: the name is metadata, the rest is not prose.
            name = blocks[i + 1].text if i + 1 < len(blocks) else ""
            if looks_like_name(name):
                if name not in doc.authors:
                    doc.authors.append(name)
                skip_until = i + 1
                bio = blocks[i + 2].text if i + 2 < len(blocks) else ""
                if name.split()[0] in bio or name.split()[-1] in bio:
                    skip_until = i + 2
            doc.notes.append(f"author box dropped; author {name!r}")
            continue
        credit = interviewer_credit(text)
        if credit and not credited:
            doc.authors, credited = [credit], True  # the named interviewer beats a byline
            if len(text) < 100:
                continue
        inline = INLINE_BYLINE.match(text)
        if inline and looks_like_name(inline.group("name")) and not doc.authors:
            doc.authors.append(inline.group("name"))
        byline = BYLINE.match(text)
        if byline and len(text) < 100:
            names = split_names(byline.group("names"))
            for name in names if not credited else []:
                if name not in doc.authors:
                    doc.authors.append(name)
            continue
        kept.append(block)
    return drop_repeated_quotes(kept)


def drop_repeated_quotes(blocks: list[Block]) -> list[Block]:
    """A pull quote repeats a sentence of the body; keep only the body copy."""
    keys = [norm_key(b.text) for b in blocks]
    result = []
    for i, block in enumerate(blocks):
        key = keys[i].strip("“”\"' ")
        if 40 <= len(key) <= 400 and any(
            j != i and len(keys[j]) > len(key) + 20 and key in keys[j] for j in range(len(blocks))
        ):
            continue
        result.append(block)
    return result


def split_names(text: str) -> list[str]:
    """'Ann Lee and Bo Ma' -> both names; role words ("Intern Ariana") are not names."""
    text = re.sub(r"\s(?:in|on|at|for|from)\s.*$", "", text)  # "Ann Lee in Reviews"
    parts = re.split(r"\s*(?:,|&|\band\b)\s*", text)
    names = []
    for part in parts:
        part = normalize_space(part)
        words = part.split()
        if words and words[0].lower() in BYLINE_ROLE_WORDS:
            continue
        if looks_like_name(part):
            names.append(part)
    return names


def norm_key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()
