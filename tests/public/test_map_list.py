"""The server-rendered list on /karte: filters as query parameters, paging, sorting."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from werkzeug.datastructures import MultiDict

from campaign.core.city import City
from campaign.core.text import fold
from campaign.entries import dropin
from campaign.models import Status
from campaign.public import search
from tests.public.conftest import bump_version

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=dropin.TIMEZONE)
SUNDAY_10 = datetime(2026, 11, 29, 10, 0, tzinfo=dropin.TIMEZONE)


def names(response) -> list[str]:
    return re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>', response.data.decode())


def count(response) -> int:
    return int(re.search(r"data-result-count>(\d+) Betrieb", response.data.decode()).group(1))


@pytest.fixture
def three(publish):
    publish(name="Bäckerei Sonne", offers=["ausbildung"], languages=["de", "tr"],
            sector="Handwerk", district="Mitte", quarter="Hamme", step_free=True,
            occupations="Bäckerin, Verkäufer", lat=51.4930, lon=7.1920)
    publish(name="Pflege Mond", offers=["praktikum", "einstieg"], languages=["de", "ar"],
            sector="Gesundheit und Pflege", district="Süd", quarter="Querenburg",
            description="Wir pflegen Menschen", lat=51.4450, lon=7.2620,
            drop_in={"slots": [{"day": 6, "start": "09:00", "end": "12:00"}]})
    publish(name="Autohaus Stern", offers=["ausbildung", "ferienjob"], languages=["de"],
            sector="Handel", district="Wattenscheid", quarter="Wattenscheid-Mitte",
            lat=51.4800, lon=7.1400, drop_in={"opening_hours": True, "slots": []})


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["Autohaus Stern", "Bäckerei Sonne", "Pflege Mond"]),
    ("offers=ausbildung", ["Autohaus Stern", "Bäckerei Sonne"]),
    ("offers=praktikum&offers=ferienjob", ["Autohaus Stern", "Pflege Mond"]),
    ("languages=tr&languages=ar", ["Bäckerei Sonne", "Pflege Mond"]),
    ("sector=Handel", ["Autohaus Stern"]),
    ("district=S%C3%BCd", ["Pflege Mond"]),
    ("quarter=Hamme", ["Bäckerei Sonne"]),
    ("step_free=1", ["Bäckerei Sonne"]),
    ("q=verk%C3%A4ufer", ["Bäckerei Sonne"]),
    ("q=MENSCHEN+pflegen", ["Pflege Mond"]),
    ("q=stern+sonne", []),
    ("offers=ausbildung&quarter=Hamme", ["Bäckerei Sonne"]),
    ("offers=unknown&sector=Nope&district=%3Cx%3E&lat=abc", ["Autohaus Stern", "Bäckerei Sonne", "Pflege Mond"]),
])
def test_filters_are_query_parameters(client, three, query, expected):
    response = client.get(f"/karte?{query}")
    assert response.status_code == 200
    assert names(response) == expected
    assert count(response) == len(expected)


def test_open_now_uses_berlin_time(client, three, monkeypatch):
    monkeypatch.setattr(dropin, "local_now", lambda: MONDAY_10)
    assert names(client.get("/karte?open_now=1")) == ["Bäckerei Sonne"]
    monkeypatch.setattr(dropin, "local_now", lambda: SUNDAY_10)
    assert names(client.get("/karte?open_now=1")) == ["Pflege Mond"]
    page = client.get("/karte").data.decode()
    assert "Jetzt ohne Termin offen – bis 12:00 Uhr" in page


def test_near_me_sorts_by_distance_and_shows_it(client, three):
    response = client.get("/karte?lat=51.4455&lon=7.2600")
    assert names(response) == ["Pflege Mond", "Bäckerei Sonne", "Autohaus Stern"]
    assert "0,1 km entfernt" in response.data.decode()


def test_chosen_filters_are_removable_links(client, three):
    page = client.get("/karte?offers=ausbildung&quarter=Hamme").data.decode()
    assert 'href="/karte?quarter=Hamme"' in page  # removes "Ausbildung"
    assert 'href="/karte?offers=ausbildung"' in page  # removes "Hamme"
    assert "Weitere Filter (1 aktiv)" in page  # "Ausbildung" is a choice on the first screen


def test_list_is_paginated(client, publish):
    for number in range(25):
        publish(name=f"Betrieb {number:02d}")
    first, second = client.get("/karte"), client.get("/karte?page=2")
    assert len(names(first)) == 20 and len(names(second)) == 5
    assert names(first)[0] == "Betrieb 00" and names(second)[-1] == "Betrieb 24"
    assert "Seite 1 von 2" in first.data.decode() and 'rel="next"' in first.data.decode()
    assert names(client.get("/karte?page=999")) == names(second)


def test_only_published_entries_are_listed(client, make_employer, app):
    for status in Status:
        make_employer(status=status, name=f"Eintrag {status.value}")
    bump_version(app)
    assert names(client.get("/karte")) == ["Eintrag published"]
    assert b"hat schon 1 Betrieb" in client.get("/").data


def test_markup_in_names_is_shown_as_text_in_the_list(client, publish):
    publish(name='<img src=x onerror=alert(1)> & "><svg onload=alert(1)>')
    page = client.get("/karte").data.decode()
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;&gt;&lt;svg onload=alert(1)&gt;" in page
    assert "<img src=x" not in page and "<svg onload" not in page


def test_nul_and_overlong_queries_do_not_break_the_list(client, three):
    assert client.get("/karte?q=%00").status_code == 400
    assert client.get("/karte?q=" + "a" * 5000).status_code == 200
    assert client.get("/karte?page=" + "9" * 5000).status_code == 200


def test_parse_ignores_non_finite_coordinates():
    city = City.load()
    for lat in ("nan", "inf", "1e309", "91"):
        filters = search.parse(MultiDict({"lat": lat, "lon": "7.2"}), city)
        assert filters.lat is None and filters.lon is None


@pytest.mark.parametrize("typed", ["Bäckerei", "backerei", "baeckerei", "BAECKEREI", "bäck",
                                   "Bäcker", "Ba\u0308ckerei"])
def test_search_folds_umlauts_and_their_spellings(client, three, typed):
    assert names(client.get("/karte", query_string={"q": typed})) == ["Bäckerei Sonne"]


@pytest.mark.parametrize(("typed", "expected"), [
    ("Pflege", ["Pflege Mond"]),                 # the sector "Gesundheit und Pflege" and the name
    ("gesundheit", ["Pflege Mond"]),             # a word only in the sector
    ("handel", ["Autohaus Stern"]),
    ("verkaeuferin", []),                        # folding does not invent words
    ("verkaufer", ["Bäckerei Sonne"]),           # occupation "Verkäufer"
])
def test_search_looks_in_sector_and_occupations(client, three, typed, expected):
    assert names(client.get("/karte", query_string={"q": typed})) == expected


def test_sector_search_finds_every_entry_of_the_sector(client, publish):
    for number in range(5):
        publish(name=f"Dienst {number}", sector="Gesundheit und Pflege")
    publish(name="Pflegeheim Linde", sector="Soziales und Erziehung")
    publish(name="Bäckerei", sector="Handwerk")
    found = names(client.get("/karte?q=pflege"))
    assert len(found) == 6 and "Bäckerei" not in found


@pytest.mark.parametrize(("text", "folded"), [
    ("Bäckerei", "backerei"), ("Baeckerei", "backerei"), ("Straße", "strasse"),
    ("Łódź", "lodz"), ("Şimşek İnşaat", "simsek insaat"), ("Ørsted", "orsted"),
    ("MÜLLER", "muller"), ("Mueller", "muller"), ("Café", "cafe"), ("ΣΟΦΟΣ", "σοφοσ"),
])
def test_fold_gives_one_spelling(text, folded):
    assert fold(text) == folded
