"""The consultation pages in headless Chromium: axe finds nothing, 320 px needs no sideways
scrolling, the calendar link is reachable by keyboard."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.admin.test_e2e_admin import add_staff, staff_page
from tests.browser_support import axe_violations, csp_violations, unexpected_console_errors

pytestmark = [pytest.mark.e2e, pytest.mark.pages_only]


@pytest.fixture(scope="module")
def seeded(own_live_server, own_live_app):
    own_live_server.flask("campaign", "seed-demo", "--count", "3", "--pending", "0")
    return own_live_server


def paths(server) -> list[str]:
    with urllib.request.urlopen(f"{server.url}/api/v1/consultations.geojson") as response:  # noqa: S310
        features = json.loads(response.read())["features"]
    assert len(features) == 5
    return ["/", "/beratung", *(f"/beratung/{f['properties']['slug']}" for f in features)]


def test_consultation_pages_pass_axe(seeded, page):
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


def test_the_list_links_to_each_point_and_the_calendar(seeded, page):
    page.goto(f"{seeded.url}/beratung")
    assert page.get_by_role("heading", name="Querenburg", level=2).is_visible()
    page.get_by_role("link", name="Alle Termine als Kalender (ICS) herunterladen oder abonnieren").focus()
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/beratung.ics"
    page.get_by_role("link", name="Beispiel: Sprechstunde Chancengleichheit in Hamme").first.click()
    assert page.get_by_role("heading", name="Die nächsten Termine").is_visible()
    assert page.locator("main li time").count() == 3


def test_staff_form_passes_axe_with_and_without_errors(seeded, own_live_app, browser):
    tab = staff_page(browser, seeded, add_staff(own_live_app, "beratung@stadt.example"))
    tab.goto(f"{seeded.url}/admin/beratung")
    assert tab.get_by_role("cell", name="Linden", exact=True).count() == 1
    assert axe_violations(tab) == []
    tab.get_by_role("link", name="Beratungsort anlegen").click()
    tab.get_by_label("Anbieter").fill("Jobcenter Bochum")
    tab.get_by_label("Titel").fill("Sprechstunde im Stadtteilladen")
    tab.get_by_label("Straße und Hausnummer").fill("Markt 1")
    tab.get_by_label("Postleitzahl").fill("44866")
    tab.get_by_label("Stadtteil", exact=True).select_option("Westenfeld")
    tab.get_by_label("Junge Menschen").check()
    tab.get_by_label("Deutsch").check()
    first = tab.get_by_role("group", name="Termin 1")
    first.get_by_label("Wie oft?").select_option("biweekly")
    first.get_by_label("Wochentag").select_option("Donnerstag")
    first.get_by_label("Gilt ab (TT.MM.JJJJ)").fill("7.1.2027")
    first.get_by_label("von", exact=True).fill("9")
    first.get_by_label("bis", exact=True).fill("8")
    tab.get_by_role("button", name="Speichern").click()
    summary = tab.locator(".error-summary")
    assert "Termin 1: Die Uhrzeit bei „bis“ muss nach der Uhrzeit bei „von“ liegen" in summary.inner_text()
    assert axe_violations(tab) == []
    summary.get_by_role("link").first.click()
    assert tab.evaluate("document.activeElement.id") == "rule1_end"
    assert tab.input_value("#rule1_end") == "8"  # the input is kept
    tab.keyboard.press("Control+a")
    tab.keyboard.type("12:00")
    tab.get_by_role("button", name="Speichern").click()
    assert "ist angelegt" in tab.locator(".notification--success").inner_text()
    assert "alle zwei Wochen am Donnerstag, 9:00 bis 12:00 Uhr" in tab.content()
    assert unexpected_console_errors(tab) == [] and csp_violations(tab) == []
