"""Names near a query that finds nothing: ruling keys out by their letters changes nothing."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from webapp.catalog import FacetCatalog
from webapp.directory import CLOSE_CUTOFF, name_key
from webapp.search import SearchService


@pytest.mark.parametrize(
    "text", ["almodovr", "ines", "jonas pyke", "mara veld", "zzzzzz", "farow", "ode-farrow"]
)
def test_closest_matches_difflib_over_every_name(index_root: Path, text: str) -> None:
    directory = FacetCatalog(SearchService(index_root)).directory()
    keys = directory.name_keys()
    wanted = name_key(text)
    every = difflib.get_close_matches(wanted, list(keys), n=6, cutoff=CLOSE_CUTOFF)
    table = directory.letter_table()
    assert set(table.keys) == set(keys)
    found = directory.closest(text)
    expected: list[tuple[str, str]] = []
    contains = [k for k in keys if wanted in k and k not in every]
    for key in [*every, *sorted(contains, key=len)]:
        for named in keys[key]:
            if named not in expected:
                expected.append(named)
    assert found == expected[:6]
    if text != "zzzzzz":
        assert found  # close spellings of names in the test index
