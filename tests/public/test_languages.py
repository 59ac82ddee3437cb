"""Languages of the public pages: choosing one, remembering it, the switcher on every page,
right-to-left Arabic, and no German interface text left on a Ukrainian or Arabic page."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest

from campaign.entries import dropin
from campaign.i18n import catalogues
from campaign.i18n.locales import LOCALES
from tests.conftest import form_timer_for

TUESDAY = datetime(2026, 11, 24, 10, 0, tzinfo=dropin.TIMEZONE)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
TEXT_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "content", "data-toggle-label",
                   "data-toggle-list", "data-toggle-map", "label")


class VisibleText(HTMLParser):
    """Text a visitor sees or hears, skipping anything marked as another language (lang=)."""

    def __init__(self, page_lang: str):
        super().__init__()
        self.page_lang, self.stack, self.texts = page_lang, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("meta", "input", "link", "br", "img", "hr"):
            if self._in_page_language(attrs.get("lang")):
                self._attributes(attrs)
            return
        self.stack.append((tag, attrs.get("lang")))
        if self._in_page_language():
            self._attributes(attrs)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return
        if self._in_page_language() and data.strip():
            self.texts.append(" ".join(data.split()))

    def _in_page_language(self, own: str | None = None) -> bool:
        langs = [lang for _tag, lang in self.stack if lang] + ([own] if own else [])
        return not langs or langs[-1] == self.page_lang

    def _attributes(self, attrs: dict):
        for name in TEXT_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append(attrs[name])
        if attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])  # other values are codes nobody sees
        if attrs.get("data-texts"):
            texts = json.loads(attrs["data-texts"])
            self.texts += [v for v in texts.values() if isinstance(v, str)]
            self.texts += texts.get("weekdays", [])


def german_fragments(locale: str) -> tuple[set[str], list[str]]:
    """German msgids (whole) and their sentences or parts between placeholders of 12 or more
    characters, except the msgids this language spells the same."""
    catalog = catalogues.read_catalogue(locale)
    whole, parts = set(), []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strings:
                continue  # e.g. a word spelt the same in both languages
            whole.add(msgid)
            pieces = (s for p in PLACEHOLDER.split(msgid) for s in SENTENCE_END.split(p))
            parts += [piece.strip() for piece in pieces if len(piece.strip()) >= 12]
    return whole, parts


def german_left(page: str, tag: str, locale: str) -> list[str]:
    parser = VisibleText(tag)
    parser.feed(page)
    whole, parts = german_fragments(locale)
    return [text for text in parser.texts
            if text.strip(" :·–()") in whole or any(part in text for part in parts)]


@pytest.fixture
def public_pages(client, publish, make_employer, monkeypatch, app):
    """Every public page (GET path, expected status), with entries that fill every part."""
    monkeypatch.setattr(dropin, "local_now", lambda: TUESDAY)
    full = publish(slug="baeckerei", name="Bäckerei Sonne", ask_for="Frau Yilmaz am Empfang",
                   languages=["de", "ar", "uk"], public_phone="0234 123456",
                   website="https://sonne.example", public_email="info@sonne.example",
                   description="Wir backen seit 1950.", occupations="Bäckerin, Verkäufer",
                   offers=["ausbildung", "praktikum", "duales_studium", "einstieg", "ferienjob",
                           "quereinstieg"], step_free=True, is_subsidiary=True,
                   drop_in={"slots": [{"day": 1, "start": "14:00", "end": "17:00"},
                                      {"day": 3, "start": "09:00", "end": "12:00"}]})
    for number in range(21):  # more than one list page
        publish(slug=f"firma-{number}", drop_in={"opening_hours": number % 2 == 0, "slots": []})
    publish(slug="jetzt", drop_in={"slots": [{"day": 1, "start": "08:00", "end": "12:00"}]})
    paused = make_employer(slug="pause", status="paused")
    assert full.slug
    return [("/", 200), ("/karte", 200), ("/karte?page=2", 200),
            ("/karte?offers=ausbildung&languages=ar&step_free=1&open_now=1&q=sonne"
             "&sector=Handwerk&lat=51.48&lon=7.21", 200),
            ("/karte?q=nichts-passt", 200), ("/betrieb/baeckerei", 200),
            ("/betrieb/firma-0", 200), ("/betrieb/firma-1", 200), (f"/t/{paused.qr_code}", 410),
            ("/betrieb/baeckerei/problem-melden", 200),
            ("/betrieb/baeckerei/problem-melden/danke", 200), ("/datenschutz", 200),
            ("/impressum", 200), ("/barrierefreiheit", 200), ("/gibt-es-nicht", 404)]


def test_default_is_german_left_to_right(client):
    page = client.get("/").data.decode()
    assert '<html lang="de" dir="ltr">' in page and "Offene Türen finden" in page


def test_lang_parameter_sets_arabic_right_to_left_and_a_cookie(client):
    response = client.get("/?lang=ar")
    page = response.data.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "ابحث عن الأبواب المفتوحة" in page and "Offene Türen finden" not in page
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=ar;") and "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Max-Age=31536000" in cookie and "Path=/" in cookie
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    later = client.get("/karte")  # the cookie remembers the choice
    assert '<html lang="ar" dir="rtl">' in later.data.decode()
    assert "Set-Cookie" not in later.headers


def test_accept_language_decides_without_a_choice(client):
    page = client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}).data.decode()
    assert '<html lang="uk" dir="ltr">' in page and "Знайти відчинені двері" in page
    page = client.get("/", headers={"Accept-Language": "fr,tr;q=0.8"}).data.decode()
    assert '<html lang="tr" dir="ltr">' in page
    page = client.get("/", headers={"Accept-Language": "fr, es;q=0.8"}).data.decode()
    assert '<html lang="de" dir="ltr">' in page


def test_choice_beats_browser_language_and_unknown_choices_are_ignored(client):
    client.get("/?lang=ru")
    page = client.get("/", headers={"Accept-Language": "ar"}).data.decode()
    assert '<html lang="ru" dir="ltr">' in page
    response = client.get("/?lang=xx", headers={"Accept-Language": "ar"})
    assert '<html lang="ru"' in response.data.decode() and "Set-Cookie" not in response.headers


def test_einfache_sprache_is_plain_german_with_its_own_tag(client):
    page = client.get("/?lang=de-x-simple").data.decode()
    assert '<html lang="de-x-simple" dir="ltr">' in page
    assert "Du brauchst keine Bewerbung. Du brauchst keinen Lebens-Lauf." in page


def test_staff_and_employer_pages_stay_german_whatever_was_chosen(client):
    client.get("/?lang=ar")
    for path in ("/mitmachen", "/mein-eintrag", "/admin/login", "/offene-daten"):
        page = client.get(path + "?lang=uk").data.decode()
        assert '<html lang="de" dir="ltr">' in page, path
        assert "language-switcher" not in page, path


def test_switcher_on_every_public_page_keeps_path_and_query(client, public_pages):
    for path, status in public_pages:
        response = client.get(path, headers={"Accept-Language": "en"})
        assert response.status_code == status, path
        page = response.data.decode()
        switcher = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group(0)
        for language in LOCALES:
            assert (f'lang="{language.tag}" hreflang="{language.tag}" dir="{language.dir}"'
                    f'') in switcher, (path, language.tag)
            assert f">{language.name}</a>" in switcher
        assert 'aria-current="true">English</a>' in switcher
    page = client.get("/karte?offers=ausbildung&district=Mitte&lang=en").data.decode()
    assert ('href="/karte?offers=ausbildung&amp;district=Mitte&amp;lang=ar" lang="ar" '
            'hreflang="ar" dir="rtl"') in page


def test_filtered_map_links_keep_the_language(client, publish):
    publish(slug="a", offers=["ausbildung", "praktikum"])
    client.get("/karte?lang=uk&offers=ausbildung&offers=praktikum")
    removed = client.get("/karte?offers=praktikum").data.decode()  # the chip's link, no lang=
    assert '<html lang="uk"' in removed and "Знайдено компаній: 1" in removed
    employer = client.get("/betrieb/a?von=offers%3Dpraktikum").data.decode()
    assert '<html lang="uk"' in employer and 'href="/karte?offers=praktikum">Назад до списку' in \
        employer


@pytest.mark.parametrize("tag", ["uk", "ar"])
def test_no_german_interface_text_on_any_public_page(client, public_pages, tag):
    locale = next(language.locale for language in LOCALES if language.tag == tag)
    client.get(f"/?lang={tag}")  # chosen once; QR pages follow the browser's language instead
    for path, status in public_pages:
        response = client.get(path, headers={"Accept-Language": f"{tag},de;q=0.5"})
        assert response.status_code == status, path
        page = response.data.decode()
        assert f'<html lang="{tag}"' in page, path
        assert german_left(page, tag, locale) == [], path
    timer = form_timer_for(client.application)
    response = client.post("/betrieb/baeckerei/problem-melden",
                           data={"form_started": timer, "message": "x" * 1001})
    assert response.status_code == 400
    assert german_left(response.data.decode(), tag, locale) == []


def test_the_walker_finds_german_left_on_a_page(client):
    """The check above can fail: a German sentence outside lang="de" is reported."""
    page = ('<html lang="uk"><body><p>Offene Türen finden</p><p lang="de">Kontakt</p>'
            '<p>Знайдено компаній: 3. Die Liste zeigt trotzdem alle Betriebe.</p></body></html>')
    assert german_left(page, "uk", "uk") == [
        "Offene Türen finden", "Знайдено компаній: 3. Die Liste zeigt trotzdem alle Betriebe."]


def test_employer_texts_stay_as_entered_and_are_marked_german(client, publish):
    publish(slug="b", ask_for="Herrn Demir", description="Wir reparieren Fahrräder.",
            occupations="Zweiradmechatroniker")
    page = client.get("/betrieb/b?lang=ar").data.decode()
    assert '<p lang="de" dir="auto">Herrn Demir</p>' in page
    assert '<blockquote class="quote" lang="de" dir="auto"><p class="quote__text">Wir reparieren' \
        in page
    assert '<span lang="de" dir="auto">Zweiradmechatroniker</span>' in page


def test_drop_in_times_and_days_in_the_visitors_language(client, publish, monkeypatch):
    monkeypatch.setattr(dropin, "local_now", lambda: TUESDAY)
    publish(slug="c", drop_in={"slots": [{"day": 0, "start": "09:00", "end": "12:00"}]})
    page = client.get("/betrieb/c?lang=uk").data.decode()
    assert "Сьогодні ні – знову у понеділок з 9:00" in page
    assert 'з <time datetime="09:00">9:00</time> до <time datetime="12:00">12:00</time>' in page
    assert "Понеділок" in page and "(сьогодні)" in page
    monkeypatch.setattr(dropin, "local_now", lambda: TUESDAY.replace(day=23))
    page = client.get("/karte?lang=ar").data.decode()
    assert "مفتوح الآن بدون موعد – حتى الساعة 12:00" in page
    page = client.get("/karte?lang=en").data.decode()
    assert "Open now without an appointment – until 12:00" in page


def test_distances_use_the_languages_decimal_sign(client, publish):
    publish(slug="d", lat=51.4781, lon=7.2190)
    assert "1,1 km звідси" in client.get("/karte?lat=51.4881&lon=7.2190&lang=uk").data.decode()
    assert "1.1 km away" in client.get("/karte?lat=51.4881&lon=7.2190&lang=en").data.decode()


def test_error_pages_and_qr_landing_greet_in_the_browser_language(client, publish):
    employer = publish(slug="e")
    response = client.get(f"/t/{employer.qr_code}", headers={"Accept-Language": "ar"})
    assert response.status_code == 302
    landing = client.get(response.headers["Location"], headers={"Accept-Language": "ar"})
    assert '<html lang="ar" dir="rtl">' in landing.data.decode()
    assert "هنا يمكنك أن تسأل بدون أي التزام." in landing.data.decode()
    missing = client.get("/t/ZZZZZZZ", headers={"Accept-Language": "ru"})
    assert missing.status_code == 404 and "Страница не найдена" in missing.data.decode()


def test_sectors_from_the_city_file_are_translated(client, publish):
    publish(slug="f", sector="Gesundheit und Pflege")
    assert "Health and care" in client.get("/betrieb/f?lang=en").data.decode()
    page = client.get("/karte?lang=tr").data.decode()
    assert '<option value="Gesundheit und Pflege">Sağlık ve bakım</option>' in page


def test_privacy_page_explains_the_language_cookie(client):
    page = client.get("/datenschutz?lang=en").data.decode()
    assert "your browser remembers it in a cookie (for one year)" in page
    assert "„lang“ merkt sich für ein Jahr die Sprache" in page  # the binding German text
    assert '<div lang="de" dir="ltr">' in page


def test_language_names_are_their_own_followed_by_the_visitors_word(client, publish):
    publish(slug="g", languages=["pl", "ar", "uk"])
    page = client.get("/betrieb/g?lang=uk").data.decode()
    assert '<li><span lang="pl">Polski</span> (польська)</li>' in page
    assert '<li><span lang="ar" dir="rtl">العربية</span> (арабська)</li>' in page
    assert '<li><span lang="uk">Українська</span></li>' in page  # no gloss for its own name
    arabic = client.get("/karte?lang=ar").data.decode()
    assert '<span lang="pl">Polski</span> (البولندية)، <span lang="ar" dir="rtl">' in arabic
    glosses = re.search(r"data-vocabulary='([^']*)'", client.get("/karte?lang=uk").data.decode())
    assert json.loads(glosses.group(1).replace("&#34;", '"'))["glosses"]["pl"] == "польська"
    german = client.get("/betrieb/g?lang=de").data.decode()
    assert '<li><span lang="pl">Polski</span></li>' in german


def test_qr_pages_follow_the_browser_and_never_touch_cookies(client, make_employer):
    paused = make_employer(slug="h", status="paused")
    client.get("/?lang=ru")  # a remembered choice does not reach the cookieless QR pages
    response = client.get(f"/t/{paused.qr_code}?lang=uk", headers={"Accept-Language": "ar"})
    assert response.status_code == 410 and '<html lang="uk"' in response.data.decode()
    assert "Set-Cookie" not in response.headers
    response = client.get(f"/t/{paused.qr_code}", headers={"Accept-Language": "ar"})
    assert '<html lang="ar" dir="rtl">' in response.data.decode()
    assert response.vary.as_set() == {"accept-language"}
