"""Article metadata from an HTML head: title, URL, publication, authors, date, language."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, Tag

from indexer.model import Document
from indexer.text.cjk import credited_interviewer
from indexer.text.names import UPPER, looks_like_name, normalize_space

DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# The standfirst (dek) under a headline.
STANDFIRST = (
    ".dek, .c-dek, .article-dek, .standfirst, .subtitle, .sub-title, .subheadline, "
    ".article-summary, [data-gu-name=standfirst], [itemprop=description]"
)
# Elements naming the site itself: its logo, its home link, its title.
SITE_BRAND = "[rel=home], .logo, .site-title, .site-name, .site-branding, .brand, #logo"
TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—»·-]|::)\s+")
# Meta tags naming the author, tried in order.
AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author")
# Page elements holding a byline, read when the head names no author.
BYLINE_SELECTORS = (
    "[rel=author]",
    "[itemprop=author]",
    "[class*=byline]",
    ".author",
    ".author-name",
    "address",
)
BYLINE_PREFIX = re.compile(r"^(?:(?:written|words|interview|posted|published)\s+)?by\s+", re.I)
# Where a byline's name ends: a separator, a date, or "in Reviews" / "on May 2".
BYLINE_END = re.compile(r"\s*(?:[|·•,–—/]|\d|\s(?:in|on|at|for|from)\s).*$", re.S)
# "(Interviewer: SONG Min-ah)", "Text: Mori Yuka / Translation: ...", "Interview by Ann Lee":
# a credit naming who asked the questions.
NAME_WORDS = rf"{UPPER}[\w’'\-]+(?:[ ]+{UPPER}[\w’'\-]+){{1,3}}"
INTERVIEWER_CREDIT = re.compile(
    r"(?:^|[(\[/|]\s*)(?i:interviewer|interview(?:ed)? by|questions by|text|text by|words|"
    r"words by|propos recueillis par|entretien réalisé par|entrevista de|entrevista por|"
    r"entrevista realizada por|intervista di|intervista a cura di|das gespräch führte|"
    r"rozmawiał|rozmawiała|rozhovor vedl|rozhovor vedla|беседовал|беседовала|"
    r"вопросы задавал|вопросы задавала|haastatteli|röportaj yapan)"
    rf"\s*[:：]?\s+(?P<name>{NAME_WORDS})(?=\s*(?:$|[)\]/|,.]))"
)


@dataclass(frozen=True)
class Head:
    """What a page declares about itself, read in one walk: the first <meta> of each
    property and of each name, and every JSON-LD object."""

    by_property: dict[str, Tag]
    by_name: dict[str, Tag]
    ld: list[dict[str, Any]]

    @classmethod
    def read(cls, soup: BeautifulSoup) -> Head:
        by_property: dict[str, Tag] = {}
        by_name: dict[str, Tag] = {}
        for tag in soup.find_all("meta"):
            for attr, first in (("property", by_property), ("name", by_name)):
                key = tag.get(attr)
                if isinstance(key, str):
                    first.setdefault(key, tag)
        return cls(by_property, by_name, list(json_ld_objects(soup)))

    def meta(self, key: str) -> str:
        """The content of the <meta> with this property, else this name ("" if none)."""
        tag = self.by_property.get(key) or self.by_name.get(key)
        return normalize_space(str(tag.get("content") or "")) if tag is not None else ""

    def content(self, *keys: str) -> str:
        """The first of the keys' <meta> contents that is not empty."""
        return next((found for key in keys if (found := self.meta(key))), "")


def json_ld_objects(soup: BeautifulSoup) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page, flattening lists and @graph."""
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [])
                yield item


def ld_names(value: Any) -> list[str]:
    """Names out of a JSON-LD person/organisation value (str, dict or list)."""
    if isinstance(value, str):
        return [value] if not value.startswith("http") else []
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for v in value for n in ld_names(v)]
    return []


def title_site(title: str, soup: BeautifulSoup | None = None) -> str:
    """ "Headline | Cinema Daily": the site's name closing the <title>, if short; after a
    dash ("Tom Harper – Wild Rose") only when the page also signs with it (logo, ©)."""
    parts = TITLE_SEPARATOR.split(title)
    site = parts[-1].strip() if len(parts) > 1 else ""
    if not 0 < len(site.split()) <= 4 or site.endswith(("?", "!", ".")) or not site[0].isupper():
        return ""
    separator = TITLE_SEPARATOR.findall(title)[-1].strip()
    if separator in ("|", "::", "»") or soup is None:
        return site if separator in ("|", "::", "»") else ""
    brand = " ".join(t.get_text(" ") for t in soup.select(SITE_BRAND))
    page = normalize_space((soup.body or soup).get_text(" "))
    signed = re.search(rf"©[^.\n]{{0,12}}{re.escape(site)}", page)
    return site if site in brand or signed else ""


def iso_date(value: str) -> str:
    match = DATE_ISO.search(value or "")
    return match.group(0) if match else ""


def read_movie(obj: dict[str, Any], doc: Document) -> None:
    """A JSON-LD Movie (or a Review's itemReviewed Movie) names the film and director."""
    movies = [obj, obj.get("itemReviewed"), obj.get("about")]
    for movie in movies:
        if not isinstance(movie, dict) or movie.get("@type") != "Movie":
            continue
        name = movie.get("name")
        if isinstance(name, str) and name.strip() and name.strip() not in doc.films:
            doc.films.append(normalize_space(name))
        for director in ld_names(movie.get("director")):
            if director not in doc.directors:
                doc.directors.append(normalize_space(director))


def read_metadata(soup: BeautifulSoup, doc: Document, head: Head | None = None) -> None:
    """Fill url, publication, authors, date, language, description (the headline is
    read.headline's); `head` is the page's `Head`, when already read."""
    head = head or Head.read(soup)
    ld_article: dict[str, Any] = {}
    for obj in head.ld:
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and ("Article" in k or k == "BlogPosting") for k in kinds):
            ld_article = ld_article or obj
        read_movie(obj, doc)
    title_tag = soup.find("title")
    page_title = normalize_space(title_tag.get_text()) if title_tag else ""
    site = title_site(page_title, soup)
    canonical = soup.find("link", attrs={"rel": "canonical"})
    doc.url = (str(canonical.get("href") or "") if isinstance(canonical, Tag) else "") or (
        head.content("og:url")
    )
    doc.publication = (
        head.content("og:site_name")
        or next(iter(ld_names(ld_article.get("publisher"))), "")
        or site
    )
    authors = ld_names(ld_article.get("author"))
    if not authors:
        named = head.content(*AUTHOR_META)
        authors = [named] if named and not named.startswith("http") else []
    # Keep people only: "IndieWire Staff" or a lone handle cannot be credited with questions.
    doc.authors = [normalize_space(a) for a in authors if looks_like_name(normalize_space(a))]
    doc.date = iso_date(str(ld_article.get("datePublished") or "")) or iso_date(
        head.content("article:published_time", "date", "pubdate", "dc.date")
    )
    if not doc.date:
        time_tag = soup.find("time")
        if isinstance(time_tag, Tag):
            doc.date = iso_date(str(time_tag.get("datetime") or "")) or iso_date(
                time_tag.get_text()
            )
    html_tag = soup.find("html")
    if isinstance(html_tag, Tag):
        doc.language = str(html_tag.get("lang") or "")[:2].lower()
    doc.description = head.content("og:description", "description")
    if not doc.description:
        # The standfirst under the headline often sits outside the body ("Its director,
        # Carla Jansen, ..."); it serves as the description.
        dek = soup.select_one(STANDFIRST)
        doc.description = normalize_space(dek.get_text(" ")) if dek else ""


def authors_from_bylines(soup: BeautifulSoup, doc: Document) -> None:
    """Byline elements ("By Ann Lee", a rel=author link) name the author outside comments."""
    if doc.authors:
        return
    for tag in soup.select(", ".join(BYLINE_SELECTORS)):
        if any("comment" in " ".join(p.get("class") or []) for p in tag.parents):
            continue
        text = BYLINE_PREFIX.sub("", normalize_space(tag.get_text(" ")))
        name = BYLINE_END.sub("", text).strip()
        if looks_like_name(name):
            doc.authors = [name]
            return


def interviewer_credit(text: str) -> str:
    """The person an "Interviewer:" / "Text:" credit names, or ""."""
    match = INTERVIEWER_CREDIT.search(text)
    if match and looks_like_name(match.group("name")):
        return match.group("name")
    return credited_interviewer(text)


def authors_from_boxes(soup: BeautifulSoup, doc: Document) -> None:
    """An "About the Author" box names the author; keep the name, drop the box later."""
    for heading in soup.find_all(string=re.compile(r"^\s*about (?:the )?author\s*:?\s*$", re.I)):
        box = heading.find_parent(["div", "section", "aside"])
        if box is None:
            continue
        texts = [t for t in (normalize_space(s) for s in box.stripped_strings) if t]
        for text in texts[1:3]:
            if looks_like_name(text) and text not in doc.authors:
                doc.authors.append(text)
                break
        box.decompose()
