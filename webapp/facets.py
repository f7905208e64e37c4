"""Facet lists as pages show them: top values, "show more", and a search within the values."""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import accentless
from .results import FacetValue

MAX_EXPANDED = 500  # values listed when one facet is expanded with "show more"
ALL_VALUES = 1_000_000


@dataclass
class Decade:
    """Years of one decade as a single choice: selecting it selects all of its years."""

    label: str  # "2010s"
    count: int
    selected: bool  # every year of it is selected
    toggled: list[str]  # the year filter after choosing it (adds or removes its years)


@dataclass
class FacetList:
    """One facet's values to show, and whether more exist than are shown."""

    name: str
    values: list[FacetValue] = field(default_factory=list)
    more: bool = False  # values exist beyond those listed
    expanded: bool = False  # this facet was asked to show everything
    within: str = ""  # the text its values were filtered by
    decades: list[Decade] = field(default_factory=list)  # for years spanning decades


def facet_limits(names: list[str], limit: int, expanded: str, within: str) -> dict[str, int]:
    """How many values to ask the search for: one extra, to know whether to offer more."""
    # Searching within a facet's values must see all of them, not only the top ones.
    wide = ALL_VALUES if within.strip() else MAX_EXPANDED + 1
    limits = {name: wide if name == expanded else limit + 1 for name in names}
    if "year" in limits:
        limits["year"] = ALL_VALUES  # few enough, and decades need every year's count
    return limits


def facet_lists(
    facets: dict[str, list[FacetValue]],
    limit: int,
    expanded: str = "",
    within: str = "",
    sizes: dict[str, int] | None = None,
) -> list[FacetList]:
    """Trim each facet to what a page lists; filter the expanded one by `within`.

    `sizes` says how many values of each facet have a count (SearchPage.facet_sizes), so
    "show more" is offered whenever any of them is not listed, selected ones or not.
    """
    sizes = sizes or {}
    lists = []
    for name, values in facets.items():
        shown = MAX_EXPANDED if name == expanded else limit
        needle = accentless(within.strip()) if name == expanded else ""
        if needle:
            values = [v for v in values if needle in accentless(v.value)]
        kept = values[:shown] + [v for v in values[shown:] if v.selected]
        if needle or name not in sizes:
            more = any(not v.selected for v in values[shown:])
        else:
            more = sizes[name] > sum(1 for v in kept if v.count)
        found = FacetList(name, kept, more, name == expanded, needle and within.strip())
        if name == "year":
            found.decades = decades(values)
        lists.append(found)
    return lists


def decades(years: list[FacetValue]) -> list[Decade]:
    """Year counts summed by decade, newest first; none when all years share one decade."""
    by_decade: dict[str, list[FacetValue]] = {}
    for year in years:
        if year.value.isdigit() and len(year.value) == 4:
            by_decade.setdefault(year.value[:3] + "0s", []).append(year)
    if len(by_decade) < 2:
        return []
    chosen = [y.value for y in years if y.selected]
    found = []
    for label in sorted(by_decade, reverse=True):
        members = [y.value for y in by_decade[label] if y.count or y.selected]
        selected = all(y in chosen for y in members)
        toggled = (
            [y for y in chosen if y not in members]
            if selected
            else chosen + [y for y in members if y not in chosen]
        )
        total = sum(y.count for y in by_decade[label])
        found.append(Decade(label, total, selected, toggled))
    return found
