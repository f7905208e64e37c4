"""Facet lists as pages show them: top values, "show more", and a search within the values."""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import fold
from .search import FacetValue

MAX_EXPANDED = 500  # values listed when one facet is expanded with "show more"
ALL_VALUES = 1_000_000


@dataclass
class FacetList:
    """One facet's values to show, and whether more exist than are shown."""

    name: str
    values: list[FacetValue] = field(default_factory=list)
    more: bool = False  # values exist beyond those listed
    expanded: bool = False  # this facet was asked to show everything
    within: str = ""  # the text its values were filtered by


def facet_limits(names: list[str], limit: int, expanded: str, within: str) -> dict[str, int]:
    """How many values to ask the search for: one extra, to know whether to offer more."""
    # Searching within a facet's values must see all of them, not only the top ones.
    wide = ALL_VALUES if within.strip() else MAX_EXPANDED + 1
    return {name: wide if name == expanded else limit + 1 for name in names}


def facet_lists(
    facets: dict[str, list[FacetValue]], limit: int, expanded: str = "", within: str = ""
) -> list[FacetList]:
    """Trim each facet to what a page lists; filter the expanded one by `within`."""
    lists = []
    for name, values in facets.items():
        shown = MAX_EXPANDED if name == expanded else limit
        needle = fold(within.strip()) if name == expanded else ""
        if needle:
            values = [v for v in values if needle in fold(v.value)]
        kept = values[:shown] + [v for v in values[shown:] if v.selected]
        more = any(not v.selected for v in values[shown:])
        lists.append(FacetList(name, kept, more, name == expanded, needle and within.strip()))
    return lists
