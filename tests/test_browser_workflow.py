"""The researcher's workflow in Chromium at 1280 px and 375 px: grouped results expanding
in place, who speaks, people pages, the name filter, and copying a citation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = [1280, 375]


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def sized(request: pytest.FixtureRequest, browser: Any, live_server: str) -> Iterator[Any]:
    """A page at each width, failing on a script error or a policy violation."""
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 500)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    context.close()
    assert problems == []


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways ({width}px)"


def test_more_passages_expand_in_place(sized: Any, live_server: str) -> None:
    page = sized
    page.goto(live_server + "/search?q=film")
    expect(page.locator("#result-count")).to_contain_text("2 passages in 1 interview")
    card = page.locator("ol.hits > li.hit")
    expect(card).to_have_count(1)
    more = card.locator("details.more-passages")
    expect(more.locator("li")).to_be_hidden()
    more.locator("summary").click()
    expect(more.locator("li")).to_be_visible()
    assert more.locator("li").get_attribute("id") == "lumen-interview#intro"
    expect(more.locator(".badge")).to_have_text("Intro")
    assert page.url.endswith("/search?q=film")  # in place: no navigation
    no_sideways_scroll(page)
    page.select_option("select[name=group]", "passage")
    page.click(".sort button[type=submit]")
    page.wait_for_url("**group=passage**")
    expect(page.locator("ol.hits > li.hit")).to_have_count(2)


def test_who_speaks_facet_narrows_to_intros(sized: Any, live_server: str) -> None:
    page = sized
    page.goto(live_server + "/search")
    if page.viewport_size["width"] < 500:
        page.click(".filters-toggle")  # the facets are in a drawer
    page.click("#facet-speaks a:has-text('Intros and narrative')")
    page.wait_for_url("**speaks=intros**")
    expect(page.locator("#result-count")).to_contain_text("2 passages in 2 interviews")
    expect(page.locator("ol.hits .badge")).to_have_count(2)


def test_a_director_page_and_the_name_filter(sized: Any, live_server: str) -> None:
    page = sized
    page.goto(live_server + "/a/pedro-talk")
    page.click(".interview .meta a.person")
    page.wait_for_url("**/people/In%C3%A9s%20Almod%C3%B3var")
    expect(page.locator("h1")).to_have_text("Inés Almodóvar")
    expect(page.locator("ul.films a")).to_have_text(["Rojo Sobre Rojo"])
    no_sideways_scroll(page)
    page.goto(live_server + "/people")
    page.locator("#name-filter").press_sequentially("almo", delay=30)
    expect(page.locator("ul.entries li:visible")).to_have_count(1)
    expect(page.locator("ul.entries li:visible a")).to_have_text("Inés Almodóvar")
    no_sideways_scroll(page)


def test_copy_a_citation(sized: Any, live_server: str) -> None:
    page = sized
    page.goto(live_server + "/a/lumen-interview#q1")
    page.click("#q1 details.cite summary")
    button = page.locator("#q1 button.copy-text[data-copy-from=cite-apa-q1]")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["height"] >= 24  # a tap target
    button.click()
    expect(button).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#cite-apa-q1").inner_text().strip()
    assert copied.startswith("Velde, M. (2012, May 4).")
    no_sideways_scroll(page)


def test_the_home_page(sized: Any, live_server: str) -> None:
    page = sized
    page.goto(live_server + "/")
    expect(page.locator(".collection")).to_contain_text("3 interviews from 2 outlets")
    expect(page.locator(".newest li > a").first).to_have_text("Talking colour with Inés Almodóvar")
    no_sideways_scroll(page)
    page.locator(".newest li > a").first.click()
    page.wait_for_url("**/a/pedro-talk")


def test_keyboard_reaches_results_before_facets(sized: Any, live_server: str) -> None:
    page = sized
    page.goto(live_server + "/search?q=censorship")
    focused = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate(
                "(() => { const e = document.activeElement; return e.closest('.hit') ? 'hit'"
                " : e.closest('.facets') ? 'facet' : e.tagName })()"
            )
        )
        if "facet" in focused:
            break
    assert "hit" in focused
    if page.viewport_size["width"] > 500:  # on a phone the facets wait in the drawer
        assert focused.index("hit") < focused.index("facet")
    assert focused.index("hit") <= 14  # not dozens of presses
    page.goto(live_server + "/search?q=censorship")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to results")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
    labels = page.locator("[role=search]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert len(labels) == len(set(labels)) and all(labels)


def test_filters_open_as_a_drawer_on_a_phone(sized: Any, live_server: str) -> None:
    page = sized
    page.goto(live_server + "/search?q=piano+OR+red+OR+night")
    toggle = page.locator(".filters-toggle")
    if page.viewport_size["width"] > 500:
        expect(toggle).to_be_hidden()
        expect(page.locator("#facets")).to_be_visible()
        return
    expect(page.locator("#facets")).to_be_hidden()
    box = toggle.bounding_box()
    assert box is not None and box["y"] < 300 and box["height"] >= 24
    toggle.click()
    drawer = page.locator("#facets")
    expect(drawer).to_be_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.getElementById('facets').contains(document.activeElement)")
    drawer.locator("#facet-speaker a:has-text('Ode Farrow')").click()
    page.wait_for_url("**speaker=Ode+Farrow**")
    expect(page.locator("#result-count")).to_contain_text("1 passage")
    expect(page.locator("#facets")).to_be_hidden()  # closed, back at the results
    assert page.evaluate("document.activeElement.id") == "results"
    top = page.locator("#results").bounding_box()
    assert top is not None and -1 <= top["y"] < 800
    expect(page.locator(".filters-toggle")).to_have_text("Filters (1)")
    page.locator(".filters-toggle").click()
    page.keyboard.press("Escape")
    expect(page.locator("#facets")).to_be_hidden()
    no_sideways_scroll(page)


def test_search_help_from_the_box_and_from_an_empty_search(sized: Any, live_server: str) -> None:
    page = sized
    page.goto(live_server + "/search?q=zzzzqx")
    page.click(".empty a.syntax-help")
    page.wait_for_url("**/help/search")
    expect(page.locator("h1")).to_have_text("What you can type")
    no_sideways_scroll(page)
    page.click("table.syntax a:has-text('censor*')")
    page.wait_for_url("**/search?q=censor*")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*2 passages"))
    page.click("form.searchbox a.syntax-link")
    page.wait_for_url("**/help/search")
