"""A partner page on another loopback origin frames /einbetten/karte in headless Chromium:
shown when that origin is listed in CAMPAIGN_EMBED_ORIGINS, refused when it is not."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from campaign.models import Role
from tests.browser_support import axe_violations, csp_violations, serve_blank_tiles, watched_page
from tests.conftest import _live_server, app_for
from tests.public.conftest import bump_version
from tests.support import free_port

pytestmark = pytest.mark.e2e
PARTNER_PORT = free_port()
LISTED = f"http://localhost:{PARTNER_PORT}"
UNLISTED = f"http://127.0.0.1:{PARTNER_PORT}"


@pytest.fixture(scope="module")
def embed_server(smtp, tmp_path_factory):
    yield from _live_server("sqlite", smtp, tmp_path_factory,
                            CAMPAIGN_EMBED_ORIGINS=f'["{LISTED}"]')


@pytest.fixture(scope="module")
def partner(embed_server):
    """The partner's page: just an iframe with the snippet's src, on its own port."""
    body = (f'<!doctype html><html lang="de"><title>Partner</title><h1>Jobcenter</h1>'
            f'<iframe src="{embed_server.url}/einbetten/karte?offers=praktikum" '
            'title="Offene Türen" width="1000" height="700"></iframe></html>').encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", PARTNER_PORT), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def seeded(embed_server):
    embed_server.flask("campaign", "seed-demo", "--count", "30")
    bump_version(app_for(embed_server))
    return embed_server


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="de-DE")
    serve_blank_tiles(context)
    page = watched_page(context)
    yield page
    context.close()


def embed_frame(page):
    return next(f for f in page.frames if "/einbetten/karte" in f.url)


def test_a_listed_partner_shows_the_map_and_list(seeded, partner, browser_page):
    browser_page.goto(f"{LISTED}/")
    frame = browser_page.frame_locator("iframe")
    frame.locator("h1").wait_for(timeout=15000)
    assert frame.locator("h1").inner_text() == "Offene Türen in Bochum"
    frame.locator("[data-embed-map][data-ready]").wait_for(timeout=15000)
    cards = frame.locator(".card")
    assert cards.count() > 0
    assert "Praktikum" in cards.first.inner_text()
    assert int(frame.locator("[data-embed-map]").get_attribute("data-ready")) > 0
    assert axe_violations(embed_frame(browser_page)) == []  # before a popup animates over it
    link = cards.first.locator("a")
    assert link.get_attribute("target") == "_blank" and "(öffnet in neuem Tab)" in link.inner_text()
    with browser_page.context.expect_page() as opened:
        link.click()
    opened.value.wait_for_load_state()
    assert "/betrieb/" in opened.value.url
    frame.locator(".leaflet-marker-icon").first.click()
    popup_link = frame.locator(".leaflet-popup-content a")
    assert popup_link.get_attribute("target") == "_blank"
    assert csp_violations(browser_page) == [] and browser_page.console_errors == []



def test_an_unlisted_origin_is_refused(seeded, partner, browser_page):
    browser_page.goto(f"{UNLISTED}/")
    browser_page.wait_for_timeout(1500)
    frame = browser_page.frames[1]
    assert frame.evaluate("document.body ? document.body.innerText : ''").find("Offene Türen") == -1
    assert any("frame-ancestors" in message for message in browser_page.console_errors)


def test_staff_snippet_page_previews_and_copies(seeded, browser):
    from tests.admin.test_e2e_admin import add_staff, staff_page

    live_app = app_for(seeded)
    page = staff_page(browser, seeded, add_staff(live_app, "einbetten@stadt.example", Role.VIEWER))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=seeded.url)
    serve_blank_tiles(page.context)
    page.goto(seeded.url + "/admin/einbetten")
    page.get_by_text("Weitere Filter").click()
    page.get_by_label("Praktikum").check()
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url(re.compile(r"/admin/einbetten\?.*offers=praktikum"))
    snippet = page.get_by_label("HTML-Code für die Partnerseite").input_value()
    assert snippet.startswith(f'<iframe src="{seeded.url}/einbetten/karte?offers=praktikum"')
    assert page.frame_locator("iframe.embed-preview").locator("h1").inner_text() == "Offene Türen in Bochum"
    page.get_by_role("button", name="Code kopieren").click()
    page.get_by_text("Code kopiert.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == snippet
    assert LISTED in page.locator("main").inner_text()
    assert axe_violations(page) == [] and csp_violations(page) == []
    page.context.close()


def test_alert_sign_up_page_passes_axe(seeded, browser_page):
    browser_page.goto(seeded.url + "/benachrichtigung?offers=praktikum&district=Wattenscheid")
    assert "Deine Suche: Praktikum, Wattenscheid" in browser_page.locator("main").inner_text()
    assert axe_violations(browser_page) == []
    browser_page.get_by_role("button", name="Benachrichtigung anmelden").click()
    browser_page.get_by_text("Gib deine E-Mail-Adresse ein").first.wait_for()
    assert axe_violations(browser_page) == []
    browser_page.get_by_label("Deine E-Mail-Adresse").fill("kim@schule.example")
    browser_page.get_by_role("button", name="Benachrichtigung anmelden").click()
    browser_page.get_by_role("heading", name="Schau in dein Postfach").wait_for()
    assert csp_violations(browser_page) == []
