"""axe-core finds no accessibility violations on the main pages at 1280 px and 375 px."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from indexer.indexing.generation import swap_in, write_index
from tests.conftest import serving
from tests.test_same_question import same_question_articles

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "home": "/",
    "search results": "/search?q=piano",
    "no results": "/search?q=zzzzqx",
    "article": "/a/lumen-interview?q=piano#q2",
    "person": "/people/Mara Velde",
    "film": "/films/The Lumen Years",
    "search help": "/help/search",
    "questions": "/questions",
}


@pytest.fixture(scope="module")
def questions_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An index in which interviews ask the same questions, served."""
    root = tmp_path_factory.mktemp("same-question-served")
    write_index(same_question_articles(), root / "gen-00000000000000000001")
    swap_in(root, root / "gen-00000000000000000001")
    with serving(root) as url:
        yield url


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture(params=[1280, 375], ids=lambda w: f"{w}px")
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 500)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(sized: Any, live_server: str, axe: Axe, name: str) -> None:
    sized.goto(live_server + PAGES[name])
    results = axe.run(sized)
    assert results.violations_count == 0, results.generate_report()


def test_no_axe_violations_with_suggestions_or_filters_open(
    sized: Any, live_server: str, axe: Axe
) -> None:
    sized.goto(live_server + "/search")
    sized.locator("#q").press_sequentially("lum", delay=20)
    # typing settled ("lum" is no word: what "lum*" found stays): no longer dimmed
    sized.wait_for_url(re.compile(r"/search\?q=lum\*$"))
    expect(sized.locator("#main")).not_to_have_attribute("aria-busy", "true")
    sized.locator("#suggestions [role=option]").first.wait_for()
    results = axe.run(sized)
    assert results.violations_count == 0, results.generate_report()
    sized.keyboard.press("Escape")
    toggle = sized.locator(".filters-toggle")
    if toggle.is_visible():  # on a phone, the facets open as a drawer
        toggle.click()
        sized.locator("#facets.drawer-open").wait_for()
        results = axe.run(sized)
        assert results.violations_count == 0, results.generate_report()


def test_no_axe_violations_where_the_same_question_is_asked(
    sized: Any, questions_server: str, axe: Axe
) -> None:
    sized.goto(questions_server + "/questions")
    expect(sized.locator(".asked h2")).to_have_count(2)
    results = axe.run(sized)
    assert results.violations_count == 0, results.generate_report()
    sized.goto(questions_server + "/a/harbour#q1")
    sized.click("#q1 details.elsewhere summary")
    expect(sized.locator("#q1 details.elsewhere li")).to_have_count(2)
    results = axe.run(sized)
    assert results.violations_count == 0, results.generate_report()
