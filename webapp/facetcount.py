"""Facet counts of a match: disjunctive (each facet counted under every other filter)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from indexer.indexing.arrays import BY_VALUE
from indexer.schema import FACETS, facet_term

from .columns import Columns
from .matching import Match
from .results import FacetValue


def count_facets(
    columns: Columns,
    found: Match,
    selected: Mapping[str, list[str]],
    limits: Mapping[str, int],
    default_limit: int,
) -> tuple[dict[str, list[FacetValue]], dict[str, int]]:
    """Every facet's top values with counts (selected values always listed), and how
    many values of each have a count."""
    facets: dict[str, list[FacetValue]] = {}
    sizes: dict[str, int] = {}
    # every facet without a filter of its own counts `docs`: all of them in one pass
    unfiltered = columns.tally.counts(found.docs) if set(FACETS) - set(found.allowed) else {}
    for name in FACETS:
        facets[name], sizes[name] = count_facet(
            columns,
            name,
            None if name in found.allowed else unfiltered.get(name),
            found,
            selected.get(name, []),
            limits.get(name, default_limit),
        )
    return facets, sizes


def count_facet(
    columns: Columns,
    name: str,
    counts: np.ndarray | None,
    found: Match,
    selected: list[str],
    limit: int,
) -> tuple[list[FacetValue], int]:
    """The top values of one facet with counts, and how many values have a count.

    `counts` are the facet's counts when already known (`FacetTally.counts` of the
    matched documents that every filter allows, when this facet has none)."""
    column = columns.facets[name]
    if counts is None:
        # Disjunctive faceting: apply every other facet's filter, but not this one's.
        docs = found.matched
        for other, mask in found.allowed.items():
            if other != name:
                docs = docs & mask
        counts = column.counts(docs)
    top = column.top_ids(counts, limit, name in BY_VALUE)
    chosen = {column.find(v) for v in selected}  # a value id, or None when not one
    values = [
        FacetValue(column.values[i], int(c), i in chosen)
        for i, c in zip(top.tolist(), counts[top].tolist(), strict=True)
    ]
    shown = set(top.tolist())
    missing = set()  # selected values that are no value of the facet
    for value in selected:  # selected but not among the top: listed after them
        i = column.find(value)
        if i is None and facet_term(value) not in missing:
            missing.add(facet_term(value))
            values.append(FacetValue(value, 0, True))
        elif i is not None and i not in shown:
            shown.add(i)
            values.append(FacetValue(column.values[i], int(counts[i]), True))
    return values, int(np.count_nonzero(counts))
