"""Real-browser tests: Playwright driving Debian's Chromium against a live server."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_search_and_follow_permalink(page, live_server: str) -> None:
    page.goto(live_server + "/")
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
