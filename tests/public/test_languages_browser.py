"""Languages in headless Chromium: switching by keyboard, Arabic right to left at 320 px,
and axe scans of the map page in Arabic and Ukrainian."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser_support import axe_violations, csp_violations, serve_blank_tiles

pytestmark = [pytest.mark.e2e, pytest.mark.pages_only]


@pytest.fixture(scope="module")
def seeded(own_live_server):
    own_live_server.flask("campaign", "seed-demo", "--count", "12")
    return own_live_server


def first_slug(server) -> str:
    with urllib.request.urlopen(f"{server.url}/api/v1/employers.geojson") as response:  # noqa: S310
        features = json.loads(response.read())["features"]
    return next(f["id"] for f in features if f["properties"]["ask_for"])


def html_lang_dir(page) -> tuple[str, str]:
    return (page.evaluate("document.documentElement.lang"),
            page.evaluate("document.documentElement.dir"))


def test_switching_language_by_keyboard_is_remembered(seeded, browser):
    context = browser.new_context(locale="de-DE")
    serve_blank_tiles(context)
    page = context.new_page()
    page.goto(f"{seeded.url}/karte?offers=ausbildung")
    assert html_lang_dir(page) == ("de", "ltr")
    link = page.locator('.language-switcher a[hreflang="ar"]')
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert html_lang_dir(page) == ("ar", "rtl")
    assert "offers=ausbildung" in page.url  # the filter survived the switch
    assert page.get_by_role("heading", level=1).inner_text() != "Offene Türen finden"
    with page.expect_navigation():
        page.get_by_role("link", name="الرئيسية").first.click()
    assert html_lang_dir(page) == ("ar", "rtl")  # the cookie remembers
    with page.expect_navigation():
        page.locator('.language-switcher a[hreflang="uk"]').click()
    assert html_lang_dir(page) == ("uk", "ltr")
    assert page.get_by_role("heading", level=1).inner_text() == \
        "Постукай. Запитай. Почни тут і зараз."
    context.close()


def test_browser_language_decides_on_first_visit(seeded, browser):
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    page.goto(f"{seeded.url}/")
    assert html_lang_dir(page) == ("ru", "ltr")
    assert page.get_by_role("link", name="Найти открытые двери").is_visible()
    context.close()


@pytest.mark.parametrize("tag", ["ar", "uk"])
def test_map_page_has_no_accessibility_violations(seeded, browser, tag):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="de-DE")
    serve_blank_tiles(context)
    page = context.new_page()
    page.goto(f"{seeded.url}/karte?lang={tag}")
    page.wait_for_selector("[data-map][data-state=ready]", timeout=15000)
    page.locator("details.filters__more summary").first.click()
    assert axe_violations(page) == []
    page.goto(f"{seeded.url}/betrieb/{first_slug(seeded)}")
    assert axe_violations(page) == []
    assert csp_violations(page) == []
    context.close()


def test_arabic_reflows_at_320_pixels_right_to_left(seeded, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="ar")
    serve_blank_tiles(context)
    page = context.new_page()
    slug = first_slug(seeded)
    for path in ("/", "/karte?languages=ar&languages=uk", f"/betrieb/{slug}",
                 f"/betrieb/{slug}/problem-melden", "/datenschutz", "/gibt-es-nicht"):
        page.goto(seeded.url + path)
        assert html_lang_dir(page) == ("ar", "rtl"), path
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    page.goto(f"{seeded.url}/karte")
    page.get_by_role("button", name="الخريطة", exact=True).click()
    page.wait_for_selector("[data-map][data-state=ready]", timeout=15000)
    zoom = page.locator(".leaflet-control-zoom").bounding_box()
    map_box = page.locator("#map").bounding_box()
    assert zoom["x"] > map_box["x"] + map_box["width"] / 2  # mirrored: zoom on the right
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
