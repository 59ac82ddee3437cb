"""The consultation pages in headless Chromium: axe finds nothing, 320 px needs no sideways
scrolling, the calendar link is reachable by keyboard."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser_support import axe_violations, csp_violations
from tests.public.conftest import page  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def seeded(own_live_server):
    own_live_server.flask("campaign", "seed-demo", "--count", "3", "--pending", "0")
    return own_live_server


def paths(server) -> list[str]:
    with urllib.request.urlopen(f"{server.url}/api/v1/consultations.geojson") as response:  # noqa: S310
        features = json.loads(response.read())["features"]
    assert len(features) == 5
    return ["/", "/beratung", *(f"/beratung/{f['properties']['slug']}" for f in features)]


def test_consultation_pages_pass_axe(seeded, page):  # noqa: F811
    for path in paths(seeded):
        page.goto(seeded.url + path)
        assert axe_violations(page) == [], path
    assert page.console_errors == [] and csp_violations(page) == []


def test_consultation_pages_reflow_at_320_pixels(seeded, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = context.new_page()
    for path in paths(seeded):
        tab.goto(seeded.url + path)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()


def test_the_list_links_to_each_point_and_the_calendar(seeded, page):  # noqa: F811
    page.goto(f"{seeded.url}/beratung")
    assert page.get_by_role("heading", name="Querenburg", level=2).is_visible()
    page.get_by_role("link", name="Alle Termine als Kalender (ICS) herunterladen oder abonnieren").focus()
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/beratung.ics"
    page.get_by_role("link", name="Beispiel: Sprechstunde Chancengleichheit in Hamme").first.click()
    assert page.get_by_role("heading", name="Die nächsten Termine").is_visible()
    assert page.locator("main li time").count() == 3
