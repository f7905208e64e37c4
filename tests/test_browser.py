"""Real-browser tests: Playwright driving Debian's Chromium against a live server."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

# The server sends a Content-Security-Policy without 'unsafe-eval', so waits use locator
# assertions (expect), never page.wait_for_function with a string.
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(autouse=True)
def no_policy_violations(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test whose pages broke the Content-Security-Policy or threw a script error."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield
    assert problems == []


def count(page) -> str:
    return page.locator("#result-count").inner_text()


def expect_count(page, total: int) -> None:
    """Wait until the page says it shows `total` passages."""
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^\s*{total} passage"))


def test_search_and_follow_permalink(page, live_server: str) -> None:
    page.goto(live_server + "/search")
    page.fill("input[name=q]", "piano")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("ol.hits li.hit")
    assert page.locator("ol.hits li.hit").count() == 1
    assert page.locator("ol.hits mark").first.inner_text() == "piano"
    page.click("ol.hits li.hit h3 a")
    page.wait_for_url("**/a/lumen-interview?q=piano#q2")
    target = page.locator("section.passage:target")
    assert target.get_attribute("id") == "q2"
    assert target.locator("mark").first.inner_text() == "piano"
    assert target.evaluate("e => getComputedStyle(e).borderLeftColor") == "rgb(245, 158, 11)"
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    assert "Reel Notes" in target.locator(".citation.chicago").text_content()


def test_results_update_as_you_type_and_back_works(page, live_server: str) -> None:
    page.goto(live_server + "/search")
    assert count(page).startswith("6 passages")
    page.locator("#q").press_sequentially("broken piano", delay=30)
    page.wait_for_url(re.compile(r"q=broken\+piano"))
    expect_count(page, 1)
    assert page.locator("ol.hits li.hit").count() == 1
    expect(page.locator("#announce")).to_have_text(re.compile(r"^1 passage"))
    page.go_back()
    expect_count(page, 6)
    assert page.locator("#q").input_value() == ""


def test_two_speakers_give_the_union_and_a_chip_removes_one(page, live_server: str) -> None:
    page.goto(live_server + "/search")
    page.click("#facet-speaker a:has-text('Ode Farrow')")
    page.wait_for_url("**/search?speaker=Ode+Farrow")
    expect_count(page, 1)
    page.click("#facet-speaker a:has-text('Inés Almodóvar')")
    expect_count(page, 3)
    assert "speaker=Ode+Farrow&speaker=In%C3%A9s+Almod%C3%B3var" in page.url
    assert page.locator("#facet-speaker a[aria-current=true]").count() == 2
    chips = page.locator("ul.chips a")
    assert chips.count() == 3  # two filters and "Clear all"
    page.click("ul.chips a[aria-label='Remove filter Speaker: Ode Farrow']")
    expect_count(page, 2)
    assert "Ode+Farrow" not in page.url
    page.go_back()
    expect_count(page, 3)


def test_autocomplete_with_arrow_keys_and_enter(page, live_server: str) -> None:
    page.goto(live_server + "/a/lumen-interview")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("lum")
    listbox = page.locator("#suggestions")
    listbox.locator("[role=option]").first.wait_for()
    assert page.get_attribute("#q", "aria-expanded") == "true"
    assert listbox.locator("[role=option] .text").all_inner_texts() == ["The Lumen Years"]
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#q", "aria-activedescendant") == "suggestion-0"
    assert listbox.locator("[aria-selected=true]").inner_text().startswith("The Lumen Years")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?film=The+Lumen+Years")
    assert count(page).startswith("4 passages")
    assert page.locator("ul.chips a").first.inner_text().startswith("Film: The Lumen Years")


def test_usable_on_a_phone(browser, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        for path in ("/?q=night", "/a/lumen-interview#q2", "/people/Mara Velde", "/films"):
            page.goto(live_server + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{path} scrolls sideways ({width}px)"
        page.goto(live_server + "/?q=night")
        box = page.locator("#q").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
        first = page.locator("ol.hits li.hit").first.bounding_box()
        assert first is not None and first["y"] < 740  # results start on the first screen
    finally:
        context.close()


def test_links_are_big_enough_to_tap_on_a_phone(browser, live_server: str) -> None:
    """Names on /people and /films, a passage's "#" and "Search help": 24 px or more."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        targets = [
            ("/people", "#entries a"),
            ("/films", "#entries a"),
            ("/a/lumen-interview", "section.passage a.anchor"),
            ("/search", "a.syntax-link"),
            ("/search", ".site-nav a"),
        ]
        for path, selector in targets:
            page.goto(live_server + path)
            links = page.locator(selector)
            assert links.count() > 0, (path, selector)
            for i in range(links.count()):
                box = links.nth(i).bounding_box()
                assert box is not None, (path, selector, i)
                assert box["width"] >= 24 and box["height"] >= 24, (path, selector, i, box)
    finally:
        context.close()


def test_find_a_facet_value_as_you_type(page, live_server: str) -> None:
    page.goto(live_server + "/?more=speaker")
    assert page.locator("#facet-speaker .value").count() == 5
    page.locator("#within-speaker").press_sequentially("far", delay=40)
    page.wait_for_url("**within=far")
    expect(page.locator("#facet-speaker .value")).to_have_count(1)
    assert page.locator("#facet-speaker .value").inner_text() == "Ode Farrow"
    assert page.evaluate("document.activeElement.id") == "within-speaker"  # still typing


def test_copy_link_to_a_passage(browser, live_server: str) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    try:
        page.goto(live_server + "/a/lumen-interview#q1")
        page.click("#q1 a.copy-link")
        page.wait_for_selector("#q1 a.copy-link.copied")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == live_server + "/a/lumen-interview#q1"
        expect(page.locator("#announce")).to_have_text("Link copied")
    finally:
        context.close()


# Logs each keystroke in the search box and each swap of <main>, with what it showed.
RECORD = """() => {
  window.seen = [];
  const log = (kind) => {
    const count = document.getElementById("result-count");
    window.seen.push({
      t: performance.now(), kind, count: count ? count.textContent.trim() : "",
      total: count ? count.dataset.total : "",
      empty: !!document.querySelector("#main .empty, #main .did-you-mean"),
    });
  };
  document.getElementById("q").addEventListener("input", () => log("input"));
  new MutationObserver(() => log("render"))
    .observe(document.getElementById("main"), { childList: true });
}"""


def test_typing_searches_the_last_word_as_a_prefix_and_waits_to_say_nothing_matches(
    page, live_server: str
) -> None:
    page.goto(live_server + "/search")
    page.evaluate(RECORD)
    # 400 ms between keys: long enough for a preview, too short for typing to settle
    page.locator("#q").press_sequentially("pianx", delay=400)
    page.wait_for_url(re.compile(r"q=pianx$"))
    expect(page.locator("#main .empty")).to_be_visible()  # "pianx*" starts no word either
    expect_count(page, 0)
    seen = page.evaluate("window.seen")
    last_key = max(e["t"] for e in seen if e["kind"] == "input")
    renders = [e for e in seen if e["kind"] == "render"]
    previews = [e for e in renders if "*”" in e["count"]]
    assert previews and all(e["total"] == "1" for e in previews)  # "pi*" to "pian*": piano
    nothing = [e for e in renders if e["total"] == "0" or e["empty"]]
    assert nothing and all(e["t"] - last_key >= 600 for e in nothing)


def test_a_pause_mid_word_keeps_the_passages_its_letters_start(page, live_server: str) -> None:
    """Typing "pia", no word, and pausing keeps what "pia*" found (piano)."""
    page.goto(live_server + "/search")
    page.evaluate(RECORD)
    page.locator("#q").press_sequentially("pia", delay=400)
    page.wait_for_timeout(700)  # typing pauses: the query settles
    page.wait_for_url(re.compile(r"q=pia\*$"))  # the address says what is shown
    expect_count(page, 1)
    expect(page.locator("#main .empty, #main .did-you-mean")).to_have_count(0)
    assert page.locator("ol.hits mark").first.inner_text() == "piano"
    renders = [e for e in page.evaluate("window.seen") if e["kind"] == "render"]
    assert renders and not any(e["total"] == "0" or e["empty"] for e in renders)
    expect(page.locator("#announce")).to_have_text(re.compile(r"^1 passage"))
    assert page.locator("#q").input_value() == "pia"  # the box keeps what was typed


def test_enter_shows_that_nothing_matches_at_once(page, live_server: str) -> None:
    page.goto(live_server + "/search")
    page.locator("#q").press_sequentially("pia", delay=20)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=pia$"))
    expect(page.locator("#main .empty")).to_be_visible()
