"""What a search returns: plain result objects that pages, the API and the CLI render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    """One passage in a result list."""

    pid: str
    article_id: str
    anchor: str
    kind: str
    title: str
    url: str
    publication: str
    date: str
    films: list[str]
    directors: list[str]
    speakers: list[str]
    askers: list[str]
    answerers: list[str]
    question: str
    answer: str
    question_html: Markup
    answer_html: Markup
    speaks: str = ""  # the `speaks` facet's value: answers, questions or intros
    score: float | None = None
    matches: int = 1  # matching passages of this article (results grouped by article)
    more: list[Hit] = field(default_factory=list)  # the others, in reading order


@dataclass
class SearchPage:
    """Everything a search returns: hits for one page, facet counts, paging."""

    q: str
    filters: dict[str, list[str]]
    sort: str
    page: int
    page_size: int
    total: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    notice: str = ""
    did_you_mean: str = ""  # the query with misspelt words corrected, when there are any
    facet_lists: list[Any] = field(default_factory=list)  # facets as pages list them
    facet_sizes: dict[str, int] = field(default_factory=dict)  # values with a count, per facet
    group: str = "passage"  # "article": one entry per interview, paged by interview
    groups: int = 0  # interviews with a matching passage
    closest: list[tuple[str, str]] = field(default_factory=list)  # names near a 0-result q
    stop_words: list[str] = field(default_factory=list)  # words of q too common to search
    unmentioned: str = ""  # q, when it is a name that no passage holds

    @property
    def pages(self) -> int:
        entries = self.groups if self.group == "article" else self.total
        return max(1, -(-entries // self.page_size))
