"""What a fetched or archived HTTP response holds: is it HTML, its text, what it declares."""

from __future__ import annotations

import re
from email.message import Message
from typing import Any

from bs4.dammit import UnicodeDammit

from indexer.read.extract import html_soup
from indexer.read.metadata import Head, ld_names
from indexer.text.names import normalize_space

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# JSON-LD types whose `headline` is the article's.
ARTICLE_TYPE = re.compile(r"Article$|^BlogPosting$|^Report$")


def media_type(content_type: str) -> str:
    """ "text/html; charset=utf-8" -> "text/html" ("" when absent)."""
    return content_type.split(";")[0].strip().lower()


def header_charset(content_type: str) -> str:
    """The charset a Content-Type header names, or ""."""
    message = Message()
    message["content-type"] = content_type
    return str(message.get_param("charset") or "").strip().lower()


def is_html(content_type: str) -> bool:
    return media_type(content_type) in HTML_TYPES


def decode_html(data: bytes, charset: str = "") -> str:
    """Page text: the header's charset if it decodes, else a BOM, the page's meta, a guess."""
    known = [charset] if charset else []
    dammit = UnicodeDammit(data, known_definite_encodings=known, is_html=True)
    if dammit.unicode_markup is None:
        raise ValueError("cannot detect the text encoding")
    return str(dammit.unicode_markup)


def declared_facts(text: str) -> dict[str, str]:
    """The publication (og:site_name, JSON-LD publisher) and JSON-LD headline a page declares."""
    head = Head.read(html_soup(text))
    facts: dict[str, str] = {}
    article: dict[str, Any] = next((o for o in head.ld if _is_article(o)), {})
    publication = head.meta("og:site_name") or next(iter(ld_names(article.get("publisher"))), "")
    if publication:
        facts["publication"] = normalize_space(publication)
    headline = article.get("headline")
    if isinstance(headline, str) and headline.strip():
        facts["title"] = normalize_space(headline)
    return facts


def _is_article(obj: dict[str, Any]) -> bool:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and ARTICLE_TYPE.search(k) for k in kinds)
