"""What young people and other sites get: /beratung, a point's page, the calendar file and
the GeoJSON, each built from the same schedule."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import recurring_ical_events
from icalendar import Calendar

from campaign.consultations import schedule as sched
from campaign.consultations import views
from campaign.extensions import db
from campaign.models import ConsultationPoint
from tests.consultations.conftest import weekly

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=sched.TIMEZONE)  # Tuesday morning
MIXED = {
    "rules": [weekly(1, "2026-11-03", "09:00", "12:00", kind="biweekly"),
              weekly(4, "2026-01-01", "14:00", "16:30", kind="monthly", nth=-1),
              weekly(2, "2026-12-01", "10:00", "11:00", until="2027-04-07")],
    "exceptions": ["2026-12-15", "2026-12-30", "2027-03-31", "2027-01-01"],
}


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(views, "local_now", lambda: NOW)


def test_dates_of_the_next_eight_weeks_grouped_by_quarter(client, make_point):
    make_point(title="Sprechstunde Querenburg", quarter="Querenburg", district="Süd",
               schedule={"rules": [weekly(1, "2026-11-03", kind="biweekly")],
                         "exceptions": ["2026-12-15"]})
    make_point(title="Sprechstunde Hamme", quarter="Hamme", district="Mitte", no_appointment=False,
               languages=["uk"],
               schedule={"rules": [weekly(2, "2026-01-01", "14:00", "16:00", kind="monthly",
                                          nth=2)]})
    make_point(title="Noch nicht öffentlich", published=False)
    page = client.get("/beratung").get_data(as_text=True)
    assert "Noch nicht öffentlich" not in page
    # Hamme (district Mitte) comes before Querenburg (Süd), as in the city file.
    hamme, querenburg = page.index(">Hamme</h2>"), page.index(">Querenburg</h2>")
    assert hamme < querenburg
    hamme_part, querenburg_part = page[hamme:querenburg], page[querenburg:]
    assert "Mittwoch, 09.12.2026</time></strong>, 14:00 bis 16:00 Uhr" in hamme_part
    assert "Mittwoch, 13.01.2027" in hamme_part and "10.02.2027" not in hamme_part
    assert 'lang="uk"' in hamme_part and "ohne Termin" not in hamme_part
    # Every two weeks from 3 Nov: 1 Dec, (15 Dec cancelled), 29 Dec, 12 Jan, 26 Jan.
    for day in ("01.12.2026", "29.12.2026", "12.01.2027", "26.01.2027"):
        assert f"Dienstag, {day}" in querenburg_part
    assert "15.12.2026" not in querenburg_part and "08.12.2026" not in querenburg_part
    assert "ohne Termin" in querenburg_part


def test_a_points_page_shows_its_next_three_dates_address_and_contact(client, make_point):
    point = make_point(schedule=MIXED, lat=None, lon=None, contact="Telefon 0234 1\n<b>x</b>",
                       target_groups=["jugendliche", "gefluechtete"])
    page = client.get(f"/beratung/{point.slug}").get_data(as_text=True)
    dates = page.split("Die nächsten Termine")[1].split("</ul>")[0]
    assert dates.count("<li>") == 3
    assert "Dienstag, 01.12.2026</time>, 9:00 bis 12:00 Uhr" in dates
    assert "Mittwoch, 02.12.2026</time>, 10:00 bis 11:00 Uhr" in dates
    assert "Mittwoch, 09.12.2026</time>" in dates
    assert "Hauptstraße 1<br>44801 Bochum" in page
    # No own coordinates: Querenburg's centre from the city file, said to be approximate.
    assert "https://www.openstreetmap.org/?mlat=51.44500&amp;mlon=7.26200" in page
    assert "Stadtteil auf OpenStreetMap ansehen (ungefähre Lage)" in page
    assert "Junge Menschen" in page and "Geflüchtete" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert client.get("/beratung/gibt-es-nicht").status_code == 404


def test_an_unpublished_point_has_no_page(client, make_point):
    point = make_point(published=False)
    assert client.get(f"/beratung/{point.slug}").status_code == 404


def expanded(calendar: Calendar, first: date, last: date) -> dict[str, list]:
    found: dict[str, list] = {}
    for event in recurring_ical_events.of(calendar).between(first, last):
        found.setdefault(str(event["UID"]), []).append(
            (event.decoded("dtstart").astimezone(UTC), event.decoded("dtend").astimezone(UTC)))
    return {uid: sorted(times) for uid, times in found.items()}


def test_the_calendar_file_expands_to_exactly_the_schedules_dates(app, client, make_point):
    mixed = make_point(schedule=MIXED, title="Gemischt")
    other = make_point(schedule={"rules": [weekly(0, "2026-03-02", "08:30", "10:00")],
                                 "exceptions": ["2027-03-29"]}, title="Montags")
    make_point(published=False, title="Versteckt")
    response = client.get("/beratung.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = calendar.walk("VEVENT")
    assert len(events) == 4 and "Versteckt" not in response.get_data(as_text=True)
    assert "DTSTART;TZID=Europe/Berlin:20261103T090000" in response.get_data(as_text=True)
    first, last = date(2026, 1, 1), date(2028, 1, 1)
    base = app.config["PUBLIC_URL"].rstrip("/")
    host = base.split("://")[1]
    want = {}
    for point in (mixed, other):
        for o in sched.occurrences(point.schedule, first, last):
            uid = f"beratung-{point.id}-{o.rule_index}@{host}"
            want.setdefault(uid, []).append((o.start.astimezone(UTC), o.end.astimezone(UTC)))
    assert expanded(calendar, first, last) == want
    assert sum(len(v) for v in want.values()) > 100  # weeks over two DST changes
    by_uid = {str(e["UID"]): e for e in events}
    event = by_uid[f"beratung-{mixed.id}-0@{host}"]
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert str(event["SUMMARY"]) == "Gemischt (Jobcenter Bochum)"
    assert str(event["LOCATION"]) == "Hauptstraße 1, 44801 Bochum"
    assert str(event["URL"]) == f"{base}/beratung/{mixed.slug}"
    assert event["DESCRIPTION"] == ("Fragen zu Arbeit und Ausbildung\n\nOhne Termin: einfach "
                                    "vorbeikommen.\n\nKontakt: Telefon 0234 1")
    assert event.decoded("dtstamp") == NOW and b"DTSTAMP:20261201T070000Z\r\n" in response.data


def test_the_uid_stays_the_same_when_the_point_changes(app, client, make_point):
    point = make_point(schedule=MIXED)
    before = Calendar.from_ical(client.get("/beratung.ics").data)
    with app.app_context():
        db.session.get(ConsultationPoint, point.id).title = "Neuer Titel"
        db.session.commit()
    after = Calendar.from_ical(client.get("/beratung.ics").data)
    assert [str(e["UID"]) for e in before.walk("VEVENT")] == [
        str(e["UID"]) for e in after.walk("VEVENT")]


def test_geojson_has_public_fields_next_dates_and_the_approximate_flag(client, make_point):
    exact = make_point(lat=51.4446, lon=7.2612, schedule=MIXED)
    make_point(lat=None, lon=None, quarter="Hamme", district="Mitte")
    make_point(published=False)
    response = client.get("/api/v1/consultations.geojson")
    assert response.mimetype == "application/geo+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.data)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 2
    by_quarter = {f["properties"]["quarter"]: f for f in data["features"]}
    assert by_quarter["Querenburg"]["geometry"]["coordinates"] == [7.2612, 51.4446]
    assert by_quarter["Querenburg"]["properties"]["approximate"] is False
    assert by_quarter["Querenburg"]["properties"]["slug"] == exact.slug
    assert by_quarter["Hamme"]["geometry"]["coordinates"] == [7.192, 51.493]
    assert by_quarter["Hamme"]["properties"]["approximate"] is True
    assert by_quarter["Querenburg"]["properties"]["next_dates"][:2] == [
        {"start": "2026-12-01T09:00:00+01:00", "end": "2026-12-01T12:00:00+01:00"},
        {"start": "2026-12-02T10:00:00+01:00", "end": "2026-12-02T11:00:00+01:00"}]
    for f in data["features"]:
        assert not {"id", "published", "is_demo", "created_at", "updated_at", "lat", "lon"} & set(
            f["properties"])
