"""The map, list and pages in headless Chromium against gunicorn (2 workers, both databases)."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

import pytest

from campaign.core.text import fold, slugify
from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, Status
from tests.browser_support import axe_violations, csp_violations, serve_blank_tiles, watched_page
from tests.public.conftest import bump_version

pytestmark = [pytest.mark.e2e, pytest.mark.pages_only]
XSS_NAMES = ("<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>')
FILTERS = ["", "offers=ausbildung", "languages=tr&languages=ar", "district=Mitte",
           "quarter=Hamme", "step_free=1", "q=b%C3%A4ckerei", "sector=Handwerk&offers=praktikum",
           "open_now=1"]


@pytest.fixture(scope="module")
def seeded(own_live_server, own_live_app):
    """30 demo entries (plus pending ones), two with markup in their names."""
    live_server, live_app = own_live_server, own_live_app
    live_server.flask("campaign", "seed-demo", "--count", "30")
    with live_app.app_context():
        for number, name in enumerate(XSS_NAMES):
            employer = Employer(slug=f"xss-{number}", status=Status.PUBLISHED, name=name,
                                street="Hauptstraße 1", postal_code="44787", city="Bochum",
                                district="Mitte", quarter="Hamme", lat=51.4930 + number / 500,
                                lon=7.1920, offers=["ausbildung"], languages=["de"],
                                drop_in={"slots": [{"day": d, "start": "00:00", "end": "23:59"}
                                                   for d in range(7)]})
            employer.private = EmployerPrivate(contact_email=f"x{number}@x.de")
            db.session.add(employer)
        db.session.commit()
    bump_version(live_app)
    return live_server


def get(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:  # noqa: S310 (the loopback test server)
        return response.read()


def server_count(url: str) -> int:
    page = get(url).decode()
    return int(re.search(r"data-result-count>(\d+) Betrieb", page).group(1))


def open_map(page, url: str):
    page.goto(url)
    page.wait_for_selector("[data-map][data-state=ready]", timeout=15000)


def markers_in_view(page) -> int:
    """Sum of cluster counts and single markers after fitting all markers into view."""
    page.evaluate("window.mapState.map.fitBounds(window.mapState.group.getBounds(), {animate: false})")
    page.wait_for_timeout(400)
    clusters = page.eval_on_selector_all(".cluster span", "els => els.map(e => +e.textContent)")
    singles = page.locator(".leaflet-marker-icon:not(.cluster):not(.marker-consultation)").count()
    return sum(clusters) + singles


def test_map_shows_every_published_entry_for_every_filter(seeded, page):
    for query in FILTERS:
        url = f"{seeded.url}/karte?{query}"
        expected = server_count(url)
        open_map(page, url)
        assert int(page.get_attribute("[data-map]", "data-marker-count")) == expected, query
    open_map(page, f"{seeded.url}/karte")
    assert markers_in_view(page) == server_count(f"{seeded.url}/karte") == 32
    assert page.console_errors == [] and csp_violations(page) == []


def all_list_names(page) -> list[str]:
    more = page.get_by_role("button", name="Weitere Betriebe anzeigen")
    for _ in range(100):
        if not more.is_visible():
            break
        more.click()
    return page.eval_on_selector_all(".card__title a", "els => els.map(e => e.textContent)")


def test_client_side_filter_agrees_with_server_and_updates_url(seeded, page):
    open_map(page, f"{seeded.url}/karte")
    page.get_by_text("Weitere Filter").click()
    page.get_by_label("Ausbildung").check()
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_selector("[data-map][data-state=ready]")
    assert "offers=ausbildung" in page.url
    expected = server_count(page.url)
    assert int(page.get_attribute("[data-map]", "data-marker-count")) == expected
    assert page.text_content("[data-result-count]").startswith(f"{expected} Betrieb")
    client_names = all_list_names(page)
    osm_links = "els => els.map(e => e.href)"
    client_osm = page.eval_on_selector_all(".card__osm a", osm_links)[:20]
    page.reload()
    page.wait_for_selector("[data-map][data-state=ready]")
    server_names = page.eval_on_selector_all(".card__title a", "els => els.map(e => e.textContent)")
    assert client_names[:20] == server_names and len(client_names) == expected
    assert client_osm == page.eval_on_selector_all(".card__osm a", osm_links) and client_osm
    assert page.console_errors == [] and csp_violations(page) == []


def test_markup_in_names_stays_text_in_popup_list_and_page(seeded, page):
    open_map(page, f"{seeded.url}/karte?quarter=Hamme")
    cards = page.eval_on_selector_all(".card__title a", "els => els.map(e => e.textContent)")
    assert set(XSS_NAMES) <= set(cards)
    page.evaluate("""() => { const s = window.mapState;
        s.group.getLayers().filter(m => m.options.title.startsWith('<img'))
          .forEach(m => s.group.zoomToShowLayer(m, () => m.openPopup())); }""")
    page.wait_for_selector(".leaflet-popup .popup__name")
    assert page.text_content(".leaflet-popup .popup__name") == XSS_NAMES[0]
    alts = page.eval_on_selector_all(".leaflet-marker-icon[alt]", "els => els.map(e => e.alt)")
    assert XSS_NAMES[0] in alts
    page.goto(f"{seeded.url}/betrieb/xss-1")
    assert page.text_content("h1") == XSS_NAMES[1]
    assert page.locator("img[src=x], svg[onload]").count() == 0
    assert page.dialogs == [] and page.console_errors == [] and csp_violations(page) == []


def test_keyboard_reaches_list_and_markers_and_popups(seeded, page):
    open_map(page, f"{seeded.url}/karte")
    page.focus("#q")
    focused = []
    for _ in range(150):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("""() => { const e = document.activeElement;
            return [e.className || '', e.getAttribute('aria-label') || e.textContent.trim()]; }"""))
    markers = [label for cls, label in focused if "leaflet-marker-icon" in cls]
    cards = {label for cls, label in focused if cls == "" and label}
    listed = page.eval_on_selector_all(".card__title a", "els => els.map(e => e.textContent)")
    assert markers and set(listed) <= cards
    # Tab to a single door (not a cluster, not a consultation point, whose layer may load
    # first), open its popup with Enter, close with Escape.
    page.focus("#q")
    for _ in range(150):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches("
                         "'.leaflet-marker-icon:not(.cluster):not(.marker-consultation)')"):
            break
    name = page.evaluate("document.activeElement.alt")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup")
    assert page.evaluate("!!document.activeElement.closest('.leaflet-popup')")
    assert page.text_content(".leaflet-popup .popup__name") == name
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate("document.activeElement.alt") == name


def test_pages_have_no_accessibility_violations(seeded, page):
    page.goto(seeded.url + "/")
    assert axe_violations(page) == []
    open_map(page, f"{seeded.url}/karte")
    page.evaluate("""() => { const m = window.mapState.group.getLayers()[0];
        window.mapState.group.zoomToShowLayer(m, () => m.openPopup()); }""")
    page.wait_for_selector(".leaflet-popup")
    page.wait_for_timeout(600)  # Leaflet fades the popup in; axe would measure it half-transparent
    assert axe_violations(page) == []
    slug = json.loads(get(f"{seeded.url}/api/v1/employers.geojson"))["features"][0]["id"]
    page.goto(f"{seeded.url}/betrieb/{slug}")
    assert axe_violations(page) == []
    page.goto(f"{seeded.url}/betrieb/{slug}/problem-melden")
    assert axe_violations(page) == []
    assert page.console_errors == [] and csp_violations(page) == []
    page.wait_for_timeout(1100)  # the live server wants 1 s before a form is sent
    page.get_by_role("button", name="Problem melden").click()
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    assert csp_violations(page) == []  # the 400 answer itself is logged as a console error


def test_tile_failure_shows_a_notice_and_the_list_stays(seeded, browser):
    context = browser.new_context()
    context.route("http://127.0.0.1:9/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{seeded.url}/karte")
    page.wait_for_selector("[data-map-notice]:not([hidden])", timeout=10000)
    assert page.locator(".card").count() == 20
    context.close()


def test_list_works_without_javascript(seeded, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{seeded.url}/karte?offers=ausbildung")
    assert page.locator(".card").count() == min(20, server_count(page.url))
    assert not page.locator("#map").is_visible()
    context.close()


def test_pages_reflow_at_320_pixels_without_sideways_scrolling(seeded, browser):
    """WCAG 1.4.10; right-to-left language names once pushed the employer page wider."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.route("http://127.0.0.1:9/**", lambda route: route.abort())
    page = context.new_page()
    features = json.loads(get(f"{seeded.url}/api/v1/employers.geojson"))["features"]
    rtl = next(f["id"] for f in features if set(f["properties"]["languages"]) & {"ar", "fa"})
    for path in ("/", "/karte?languages=fa&languages=ar", f"/betrieb/{rtl}",
                 f"/betrieb/{rtl}/problem-melden", "/offene-daten"):
        page.goto(seeded.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()


def test_phone_shows_the_list_first_and_switches_to_the_map(seeded, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    serve_blank_tiles(context)
    page = context.new_page()
    page.goto(f"{seeded.url}/karte")
    page.wait_for_selector("[data-map][data-state=ready]", state="attached")
    map_button = page.get_by_role("button", name="Karte", exact=True)
    list_button = page.get_by_role("button", name="Liste", exact=True)
    assert list_button.get_attribute("aria-pressed") == "true"
    assert page.locator(".card").first.is_visible() and not page.locator("#map").is_visible()
    map_button.click()
    assert map_button.get_attribute("aria-pressed") == "true"
    assert page.locator("#map").is_visible() and not page.locator(".card").first.is_visible()
    page.wait_for_selector(".cluster, .leaflet-marker-icon")
    assert axe_violations(page) == []
    list_button.click()
    assert page.locator(".card").first.is_visible()
    page.set_viewport_size({"width": 1200, "height": 800})  # wide: both, no buttons
    page.locator("#map").wait_for(state="visible")  # after the media query change event
    assert page.locator(".card").first.is_visible()
    assert not map_button.is_visible()
    context.close()


def test_an_approximate_point_has_its_own_marker_and_says_so_in_popup_and_card(seeded, page):
    open_map(page, f"{seeded.url}/karte")
    slug = page.evaluate("window.mapState.items.filter(i => i.approximate)[0].slug")
    page.evaluate("""slug => {
        const item = window.mapState.items.find(i => i.slug === slug);
        window.mapState.group.zoomToShowLayer(item.marker, () => item.marker.openPopup());
    }""", slug)
    popup = page.wait_for_selector(".leaflet-popup-content .popup__approximate", timeout=5000)
    assert popup.text_content().startswith("Ungefähre Lage:")
    marker = page.locator(".marker-approximate").first
    assert "ungefähre Lage" in marker.get_attribute("aria-label")
    assert axe_violations(page) == [] and page.console_errors == []
    features = json.loads(get(f"{seeded.url}/api/v1/employers.geojson"))["features"]
    assert {f["properties"]["location_source"] for f in features} >= {"approximate", "exact"}
    name = next(f["properties"]["name"] for f in features if f["id"] == slug)
    open_map(page, f"{seeded.url}/karte?q={urllib.parse.quote(name)}")
    card = page.locator(f'[data-results] li[data-slug="{slug}"] .card__approximate')
    assert card.text_content() == "ungefähre Lage auf der Karte"


def in_viewport(page, selector: str, height: int) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_phone_first_screen_shows_the_choices_and_a_result(seeded, browser, tmp_path):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="de-DE")
    serve_blank_tiles(context)
    page = context.new_page()
    page.goto(f"{seeded.url}/karte")
    page.wait_for_selector("[data-map][data-state=ready]", state="attached")
    page.screenshot(path=str(tmp_path / "karte-375x812.png"))
    for label in ("Ausbildung", "Praktikum", "Duales Studium", "Einstiegsjob", "Ferienjob",
                  "Quereinstieg", "Jetzt offen"):
        assert in_viewport(page, f"label.chip__label:text-is('{label}')", 812), label
    assert in_viewport(page, "[data-near-me]", 812)
    assert in_viewport(page, ".card .card__title a", 812) and in_viewport(page, ".card__status", 812)
    assert not page.locator("#languages-0").is_visible()  # rarely used filters stay folded away
    page.get_by_role("checkbox", name="Ferienjob").click()  # one tap, no "apply" needed
    page.wait_for_selector("[data-map][data-state=ready]", state="attached")
    assert "offers=ferienjob" in page.url
    assert page.text_content("[data-result-count]").startswith(f"{server_count(page.url)} Betrieb")
    assert page.locator("#offers-4").is_checked()
    assert axe_violations(page) == []
    context.close()


NEAR = {"latitude": 51.44551, "longitude": 7.26003}


def test_near_me_moves_the_map_to_the_visitor_and_marks_the_position(seeded, browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="de-DE",
                                  geolocation=NEAR, permissions=["geolocation"])
    serve_blank_tiles(context)
    page = watched_page(context)
    open_map(page, f"{seeded.url}/karte")
    sent = []
    page.on("request", lambda r: r.url.startswith(seeded.url) and "/static/" not in r.url
            and sent.append(r.url))
    button = page.get_by_role("button", name="In meiner Nähe")
    button.click()
    page.wait_for_selector(".you-are-here")
    assert button.get_attribute("aria-pressed") == "true"
    assert page.url.endswith("?lat=51.4455&lon=7.2600")  # rounded, only the filter
    assert sent == []  # the position never went to the server
    view = page.evaluate("""() => { const m = window.mapState.map, c = m.getCenter();
        return [m.getZoom(), c.lat, c.lng]; }""")
    assert view[0] == 15 and abs(view[1] - 51.4455) < 1e-4 and abs(view[2] - 7.26) < 1e-4
    server_first = re.search(r'card__title"><a href="[^"]*">([^<]*)<',
                             get(page.url).decode()).group(1)
    assert page.text_content(".card__title a") == server_first
    assert page.locator(".card__distance").count() > 0
    assert axe_violations(page) == []
    button.click()  # off again: no marker, list by name, whole city in view
    assert button.get_attribute("aria-pressed") == "false"
    assert page.locator(".you-are-here").count() == 0 and "lat=" not in page.url
    assert page.evaluate("window.mapState.map.getZoom()") < 15
    assert page.console_errors == [] and csp_violations(page) == []
    context.close()


def test_phone_map_is_fitted_to_the_city_and_follows_near_me(seeded, browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="de-DE",
                                  geolocation=NEAR, permissions=["geolocation"])
    serve_blank_tiles(context)
    page = context.new_page()
    page.goto(f"{seeded.url}/karte")
    page.wait_for_selector("[data-map][data-state=ready]", state="attached")
    page.get_by_role("button", name="Karte", exact=True).click()
    bounds = page.evaluate("""() => { const b = window.mapState.map.getBounds();
        return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }""")
    city = json.loads(page.get_attribute("[data-map]", "data-bounds"))
    assert bounds[0] <= city[0][0] and bounds[2] >= city[1][0]  # the whole city, not more than
    assert page.evaluate("window.mapState.map.getZoom()") >= 10  # zoomed to it, not the world
    page.get_by_role("button", name="Liste", exact=True).click()
    page.get_by_role("button", name="In meiner Nähe").click()
    page.wait_for_selector("[data-near-me][aria-pressed=true]")
    page.get_by_role("button", name="Karte", exact=True).click()
    page.wait_for_selector(".you-are-here")
    assert page.evaluate("window.mapState.map.getZoom()") == 15
    context.close()


def test_rarely_used_filters_are_folded_at_320_pixels(seeded, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="de-DE")
    serve_blank_tiles(context)
    page = context.new_page()
    page.goto(f"{seeded.url}/karte?languages=tr&district=Mitte&offers=praktikum")
    page.wait_for_selector("[data-map][data-state=ready]", state="attached")
    assert not page.locator("#languages-0").is_visible() and not page.locator("#sector").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_text("Weitere Filter (2 aktiv)").click()
    assert page.locator("#sector").is_visible() and not page.locator("#languages-0").is_visible()
    page.get_by_text("Sprachen an der Tür (1 gewählt)").click()
    assert page.locator("#languages-2").is_checked()  # Türkçe stayed chosen
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []
    context.close()


def test_choices_work_by_keyboard(seeded, page):
    open_map(page, f"{seeded.url}/karte")
    page.focus("#offers-0")
    page.keyboard.press("Space")
    page.wait_for_selector("[data-map][data-state=ready]")
    assert "offers=ausbildung" in page.url
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "offers-1"
    for _ in range(5):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "open_now"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('[data-near-me]')")


FOLD_SAMPLES = ["Bäckerei", "BAECKEREI", "backerei", "Straße", "Łódź", "Şimşek İnşaat", "Ørsted",
                "Mueller", "Café", "ΣΟΦΟΣ", "Ba\u0308ckerei", "Œuvre", "Ærø"]


def test_map_search_folds_exactly_like_the_server(seeded, page):
    open_map(page, f"{seeded.url}/karte")
    assert page.evaluate("t => t.map(window.mapState.fold)", FOLD_SAMPLES) == [
        fold(t) for t in FOLD_SAMPLES]
    names = [*FOLD_SAMPLES, "  --Müller & Söhne--  ", "ÄÖÜ äöü", "日本", "x" * 90 + " y", "A" * 79 + "-b"]
    assert page.evaluate("t => t.map(window.mapState.slugify)", names) == [
        slugify(t) for t in names]
    expected = server_count(f"{seeded.url}/karte?q=B%C3%A4ckerei")
    assert expected > 0
    for typed in ("baeckerei", "backerei", "Bäckerei"):
        page.fill("#q", typed)
        page.get_by_role("button", name="Suchen").click()
        page.wait_for_selector("[data-map][data-state=ready]")
        assert page.text_content("[data-result-count]").startswith(f"{expected} Betrieb"), typed
        assert int(page.get_attribute("[data-map]", "data-marker-count")) == expected
    page.fill("#q", "pflege")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_selector("[data-map][data-state=ready]")
    assert int(page.get_attribute("[data-map]", "data-marker-count")) == server_count(
        f"{seeded.url}/karte?q=pflege")


def test_consultation_points_are_a_second_layer_that_can_be_switched_off(seeded, page):
    open_map(page, f"{seeded.url}/karte")
    page.wait_for_selector("[data-map-legend]:not([hidden])", timeout=15000)
    layer = page.locator(".marker-consultation")
    layer.first.wait_for(timeout=15000)
    shown = layer.count()
    assert shown >= 1
    assert page.locator(".marker-consultation").first.get_attribute("aria-label").startswith(
        "Beratung vor Ort: Beispiel:")
    listed = page.locator(".consultation-list li")
    assert listed.count() >= shown  # the list beside the map names every point
    toggle = page.get_by_label("Beratung vor Ort auf der Karte zeigen")
    toggle.focus()
    page.keyboard.press("Space")
    assert not toggle.is_checked()
    assert page.locator(".marker-consultation").count() == 0
    page.keyboard.press("Space")
    assert page.locator(".marker-consultation").count() == shown
    page.evaluate("window.mapState.consultations.getLayers()[0].openPopup()")
    popup = page.locator(".popup--consultation")
    assert "/beratung/beispiel-" in popup.locator("a").get_attribute("href")
    page.wait_for_timeout(600)  # Leaflet fades the popup in; axe would measure it half-transparent
    assert axe_violations(page) == []
