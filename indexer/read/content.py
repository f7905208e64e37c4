"""Finding the article body in an HTML page: drop page furniture, pick the container."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from indexer.text.names import normalize_space

# --- Tables -------------------------------------------------------------------------------

# Elements that never hold article prose.
DROP_TAGS = (
    "script style noscript template iframe svg canvas form button input select textarea "
    "nav header footer aside figure figcaption picture video audio object embed"
).split()

# class/id tokens marking boilerplate containers (matched on "-"/"_"-separated parts).
BOILERPLATE_CLASS = re.compile(
    r"(?:^|[-_\s])(?:share|sharing|social|sociable|comments?|respond|reply|related|"
    r"newsletter|subscribe|subscription|signup|advert|advertisement|ads?|adsense|promo|"
    r"sponsored|author-?bio|authorbox|author-?box|about-?author|bio-?box|caption|"
    r"author-(?:by-author|description|info|card|profile)|"
    r"wp-caption-text|pull-?quote|pullquote|breadcrumbs?|menu|navbar|sidebar|widget|"
    r"footer|masthead|tags?|tagcloud|cookie|popup|modal|recirc|more-stories|"
    r"read-?more|jp-relatedposts|sharedaddy|disqus|outbrain|taboola|latest)(?:$|[-_\s])",
    re.I,
)
# Elements inside a line of text: a word in their class or id ("auto-tag_person") says
# nothing about where they sit, so they are never dropped for it.
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup "
    "time u var".split()
)
# Containers that, when present, hold the article body; tried in order.
CONTENT_SELECTORS = (
    "[itemprop=articleBody]",
    ".entry-content",
    ".post-content",
    ".article-content",
    ".article-body",
    ".articleBody",
    ".story-body",
    ".post-body",
    ".c-article-content",
    "article",
    "main",
    "[role=main]",
    "#content",
    ".content",
)
ANY_CONTENT = ", ".join(CONTENT_SELECTORS)


# --- Public API -----------------------------------------------------------------------------


def strip_boilerplate(soup: BeautifulSoup) -> None:
    """Remove elements that are never article prose."""
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all("p"):
        if is_link_teaser(tag):
            tag.decompose()  # "Is This the Golden Age of Noir? Our 20 Favourites" links away
    page = ""
    for tag in soup.find_all(is_hidden):
        if tag.decomposed:
            continue
        # A hidden print or preview copy would repeat the turns; a collapsed transcript
        # ("Show full interview") is the only copy and stays.
        copy = normalize_space(tag.get_text(" "))[:200]
        if len(copy) < 80:
            continue
        page = page or normalize_space((soup.body or soup).get_text(" "))
        if page.count(copy) >= 2:
            tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body") or tag.name in INLINE_TAGS:
            continue
        attrs = getattr(tag, "attrs", None) or {}
        marker = " ".join(attrs.get("class") or []) + " " + str(attrs.get("id") or "")
        if BOILERPLATE_CLASS.search(marker.strip()) and not is_content_container(tag):
            tag.decompose()


def is_link_teaser(tag: Tag) -> bool:
    """A paragraph that is nothing but one link of several words: a related-article teaser."""
    links = tag.find_all("a")
    text = normalize_space(tag.get_text(" "))
    return (
        len(links) == 1
        and len(text.split()) >= 4
        and normalize_space(links[0].get_text(" ")) == text.strip(" :–—-")
    )


def is_hidden(tag: Tag) -> bool:
    """Hidden from readers: display:none, the hidden attribute, aria-hidden."""
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return (
        "display:none" in style
        or tag.has_attr("hidden")
        or str(tag.get("aria-hidden") or "") == "true"
    )


def is_content_container(tag: Tag) -> bool:
    """Guard against dropping the article body because its class mentions e.g. "tags"."""
    return len(tag.find_all("p")) >= 8


def find_content_root(soup: BeautifulSoup) -> Tag:
    """The element holding the article body: known selectors, else the densest element."""
    found = soup.select(ANY_CONTENT)  # one walk over the page for every selector
    for selector in CONTENT_SELECTORS:
        candidates = [t for t in found if t.css.match(selector) and paragraph_chars(t) > 400]
        if candidates:
            return max(candidates, key=paragraph_chars)
    parent = densest_parent(soup)
    if parent is not None:
        return parent
    best: Tag | None = None
    best_score = 0
    for tag in soup.find_all(["div", "section", "td", "body"]):
        score = paragraph_chars(tag)
        if score > best_score:
            best, best_score = tag, score
    return best or soup.body or soup


def densest_parent(soup: BeautifulSoup) -> Tag | None:
    """The element whose own paragraphs hold the most text (a parent scores each child
    paragraph in full, a grandparent by half), when it holds most of the page's text;
    sidebars and "Popular posts" boxes beside it are then left out."""
    scores: dict[int, float] = {}
    tags: dict[int, Tag] = {}
    for p in soup.find_all("p"):
        size = len(p.get_text(strip=True))
        if size < 25:
            continue
        for weight, tag in ((1.0, p.parent), (0.5, p.parent.parent if p.parent else None)):
            if isinstance(tag, Tag):
                scores[id(tag)] = scores.get(id(tag), 0.0) + weight * size
                tags[id(tag)] = tag
    if not scores:
        return None
    best = tags[max(scores, key=lambda k: scores[k])]
    page = len((soup.body or soup).get_text(" ", strip=True))
    return best if len(best.get_text(" ", strip=True)) >= 0.4 * page else None


def paragraph_chars(tag: Tag) -> int:
    """Characters of text in the element's paragraphs (a density measure)."""
    return sum(len(p.get_text()) for p in tag.find_all("p"))
