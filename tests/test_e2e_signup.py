"""The employer journey against gunicorn with a real browser, a real SMTP server, both DBs:
sign-up on a phone → e-mail → confirm → pending → magic link → edit → withdraw."""

from __future__ import annotations

import time

import pytest

from campaign.extensions import db
from campaign.models import Employer, PausedBy, Status
from tests.browser_support import (
    axe_violations,
    csp_violations,
    serve_blank_tiles,
    tab_walk,
    unexpected_console_errors,
    watched_page,
)
from tests.support import links_in, text_of

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    serve_blank_tiles(context)
    yield context
    context.close()


def fill_signup(page, email: str, name: str) -> None:
    page.fill("#name", name)
    page.select_option("#sector", "Handwerk")
    page.fill("#description", "Wir reparieren Fahrräder & bilden aus.")
    page.fill("#street", "Kortumstraße 10")
    page.fill("#postal_code", "44 787")
    page.select_option("#district", "Wattenscheid")
    page.select_option("#quarter", "Wattenscheid-Mitte")
    page.check("#offers-0")
    page.check("#languages-2")
    page.check("#drop_in-1-open")
    page.fill("#drop_in-1-start", "9")
    page.fill("#drop_in-1-end", "16:30")
    page.fill("#ask_for", "Herrn Kaya in der Werkstatt")
    page.fill("#contact_name", "Ayşe Kaya")
    page.fill("#contact_email", email)
    page.check("#consent")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_employer_journey_on_a_phone(live_server, phone, smtp):
    smtp.clear()
    email = f"kaya-{live_server.backend}@fahrrad-kaya.de"
    name = 'Fahrrad Kaya <b>&</b> "Söhne" 🚲'
    page = watched_page(phone)
    page.goto(live_server.url + "/mitmachen")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []

    page.click("button[type=submit]")
    assert page.title().startswith("Fehler:")
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.locator(".error-summary a").count() >= 5
    assert axe_violations(page) == []

    fill_signup(page, email, name)
    quarter_options = page.locator("#quarter option").all_inner_texts()
    assert "Höntrop" in quarter_options and "Hamme" not in quarter_options
    time.sleep(1.1)  # the minimum fill time in this server's configuration
    page.click("button[type=submit]")
    page.wait_for_url("**/mitmachen/danke")
    assert "Anmeldung eingegangen" in page.content()

    mail = smtp.wait_for_mail_to(email)
    body = text_of(mail)
    assert name in body  # plain text carries the literal name
    confirm_url = links_in(body, "/bestaetigen/")[0]
    manage_url = links_in(body, "/mein-eintrag/")[0]
    assert confirm_url.startswith(live_server.url)

    page.goto(confirm_url)
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Anmeldung bestätigt"
    assert axe_violations(page) == []

    page.goto(manage_url)
    assert page.locator("h1").inner_text() == f"Ihr Eintrag: {name}"
    assert page.locator("#drop_in-1-start").input_value() == "9:00"
    assert page.locator(".tag").inner_text() == "In Prüfung"
    page.fill("#ask_for", "Frau Kaya im Laden")
    page.locator("form.form button[type=submit]").click()
    assert "Ihre Änderungen sind gespeichert" in page.content()
    assert page.locator("#ask_for").input_value() == "Frau Kaya im Laden"

    page.get_by_role("link", name="Eintrag zurückziehen", exact=True).click()
    page.wait_for_url("**/zurueckziehen")
    assert axe_violations(page) == []
    page.click("button:has-text('Ja, Eintrag zurückziehen')")
    page.wait_for_url("**/mein-eintrag/zurueckgezogen")
    assert "Ihre Kontaktdaten haben wir gelöscht" in page.content()

    assert unexpected_console_errors(page) == []
    assert csp_violations(page) == []


def test_signup_form_works_by_keyboard_alone(live_server, browser, smtp):
    smtp.clear()
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    serve_blank_tiles(context)
    page = watched_page(context)
    page.goto(live_server.url + "/mitmachen")
    stops = tab_walk(page, 80)
    assert "website_confirm" not in stops  # the honeypot is never reachable
    for field in ("name", "sector", "postal_code", "offers-0", "drop_in-0-open", "contact_email",
                  "consent"):
        assert field in stops, field
    # Fill and send using only the keyboard.
    page.focus("#name")
    page.keyboard.type("Tastatur GmbH")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # first real sector
    page.focus("#street")
    page.keyboard.type("Hauptstraße 1")
    page.keyboard.press("Tab")
    page.keyboard.type("44787")
    page.focus("#district")
    page.keyboard.press("ArrowDown")
    page.focus("#quarter")
    page.keyboard.press("ArrowDown")
    page.focus("#offers-1")
    page.keyboard.press("Space")
    page.focus("#drop_in_opening_hours")
    page.keyboard.press("Space")
    page.focus("#contact_name")
    page.keyboard.type("Tess Tastatur")
    page.focus("#contact_email")
    page.keyboard.type(f"tess-{live_server.backend}@tastatur.de")
    page.focus("#consent")
    page.keyboard.press("Space")
    time.sleep(1.1)
    page.focus("button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/mitmachen/danke")
    assert smtp.wait_for_mail_to(f"tess-{live_server.backend}@tastatur.de")
    context.close()


def test_double_click_on_submit_creates_one_entry(live_server, browser, smtp, live_app):
    from sqlalchemy import func, select

    from campaign.extensions import db
    from campaign.models import EmployerPrivate

    smtp.clear()
    context = browser.new_context()
    page = watched_page(context)
    page.goto(live_server.url + "/mitmachen")
    email = f"doppel-{live_server.backend}@klick.de"
    fill_signup(page, email, "Doppelklick AG")
    time.sleep(1.1)
    page.dblclick("button[type=submit]")
    page.wait_for_url("**/mitmachen/danke")
    with live_app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(EmployerPrivate)
                                 .where(EmployerPrivate.contact_email_key == email))
        db.session.remove()
    assert rows == 1
    context.close()




def test_employer_places_the_pin_on_a_map(live_server, live_app, browser, smtp):
    from sqlalchemy import select

    from campaign.extensions import db
    from campaign.models import EmployerPrivate

    context = browser.new_context(viewport={"width": 390, "height": 800})
    serve_blank_tiles(context)
    page = watched_page(context)
    page.goto(live_server.url + "/mitmachen")
    email = f"pin-{live_server.backend}@karte.de"
    fill_signup(page, email, "Pin & Punkt")
    assert page.evaluate("!window.L")  # Leaflet is only loaded once the map is shown
    page.get_by_text("Genaue Lage angeben (freiwillig)").click()
    page.wait_for_selector("[data-pin-picker].leaflet-container .leaflet-tile-loaded")
    box = page.locator("[data-pin-picker]").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 30, box["y"] + box["height"] / 2 - 20)
    lat, lon = float(page.input_value("#lat")), float(page.input_value("#lon"))
    assert 51.41 < lat < 51.54 and 7.10 < lon < 7.36
    page.get_by_role("button", name="Pin in die Kartenmitte setzen").click()  # keyboard path
    centre = float(page.input_value("#lat")), float(page.input_value("#lon"))
    assert abs(centre[0] - 51.4818) < 0.01 and abs(centre[1] - 7.2162) < 0.01
    assert axe_violations(page) == []
    time.sleep(1.1)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/mitmachen/danke")
    with live_app.app_context():
        private = db.session.scalars(select(EmployerPrivate).filter_by(contact_email_key=email)).one()
        assert (private.employer.lat, private.employer.lon) == (round(centre[0], 6),
                                                                round(centre[1], 6))
        db.session.remove()
    assert csp_violations(page) == []
    context.close()


@pytest.mark.parametrize("state", [{"status": Status.PAUSED, "paused_by": PausedBy.STAFF},
                                   {"status": Status.REJECTED}])
def test_entry_the_city_decided_on_explains_it_on_a_phone(live_server, live_app, phone, state):
    from campaign.core import tokens
    from tests.admin.test_e2e_admin import add_pending

    employer_id = add_pending(live_app, f"Entschieden {live_server.backend} {state['status']}")
    with live_app.test_request_context():
        employer = db.session.get(Employer, employer_id)
        for key, value in state.items():
            setattr(employer, key, value)
        employer.private.review_message = "Die Adresse stimmt nicht."
        token = tokens.make(tokens.MANAGE, {"e": employer_id, "n": employer.private.login_nonce,
                                            "t": 600})
        db.session.commit()
        db.session.remove()
    page = watched_page(phone)
    page.goto(f"{live_server.url}/mein-eintrag/{token}")
    verb = "pausiert" if state["status"] == Status.PAUSED else "abgelehnt"
    notice = page.get_by_role("region", name=f"Das Team der Stadt hat Ihren Eintrag {verb}")
    assert "alle-tueren-offen@bochum.de" in notice.inner_text()
    assert page.get_by_role("button", name="Eintrag wieder zeigen").count() == 0
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
