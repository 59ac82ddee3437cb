"""/karte is rendered once per data version, minute, language and query and then served as
rendered: every test here changes one of those inputs and expects the visitor to see it."""

from __future__ import annotations

from datetime import datetime

import pytest

from campaign.consultations import operations as consultations
from campaign.core import audit
from campaign.entries import decisions, dropin
from campaign.extensions import db
from campaign.models import ConsultationPoint, Employer
from campaign.public import views
from campaign.public.snapshot import public_snapshot
from tests.consultations.conftest import make_point  # noqa: F401

# A Monday (the test entries' drop-in slot is Mondays 09:00–16:00)
BEFORE_NINE = datetime.fromisoformat("2026-12-07T08:59:40+01:00")
AT_NINE = datetime.fromisoformat("2026-12-07T09:00:05+01:00")


@pytest.fixture
def monday(monkeypatch):
    moment = {"now": BEFORE_NINE}
    monkeypatch.setattr(dropin, "local_now", lambda: moment["now"])
    return moment


def test_a_paused_entry_leaves_the_next_page(app, client, publish):
    entry = publish(name="Bäckerei Morgenrot", slug="morgenrot")
    assert "Bäckerei Morgenrot" in client.get("/karte").data.decode()
    with app.app_context():
        decisions.pause(db.session.get(Employer, entry.id), audit.SYSTEM)
        db.session.commit()
    assert "Bäckerei Morgenrot" not in client.get("/karte").data.decode()


def test_the_next_minute_gets_a_page_of_its_own(client, publish, monday):
    publish(name="Tischlerei Holz", slug="holz")
    assert "Heute ab 9:00 Uhr ohne Termin" in client.get("/karte").data.decode()
    monday["now"] = AT_NINE
    assert "Jetzt ohne Termin offen – bis 16:00 Uhr" in client.get("/karte").data.decode()


def test_each_query_and_language_is_its_own_page(client, publish):
    publish(name="Kita Sonne", slug="kita-sonne")
    publish(name="Werkstatt Mond", slug="mond")
    found = client.get("/karte?q=sonne").data.decode()
    assert "Kita Sonne" in found and "Werkstatt Mond" not in found
    assert "Werkstatt Mond" in client.get("/karte").data.decode()
    assert '<html lang="uk"' in client.get("/karte?lang=uk").data.decode()
    assert '<html lang="de"' in client.application.test_client().get("/karte").data.decode()


def test_a_changed_consultation_point_shows_at_once(app, client, make_point):  # noqa: F811
    point = make_point(title="Sprechstunde im Stadtteilbüro")
    assert "Sprechstunde im Stadtteilbüro" in client.get("/karte").data.decode()
    with app.app_context():
        consultations.update(db.session.get(ConsultationPoint, point.id),
                             {"title": "Jobsprechstunde am Markt"}, audit.SYSTEM)
        db.session.commit()
    page = client.get("/karte").data.decode()
    assert "Jobsprechstunde am Markt" in page and "Stadtteilbüro" not in page
    with app.app_context():
        consultations.update(db.session.get(ConsultationPoint, point.id), {"published": False},
                             audit.SYSTEM)
        db.session.commit()
    assert "Jobsprechstunde am Markt" not in client.get("/karte").data.decode()


def test_a_message_for_one_visitor_is_never_shown_to_another(app, client, publish):
    publish(name="Gärtnerei Grün", slug="gruen")
    client.get("/karte")  # the page for everyone is kept
    staff = app.test_client()
    with staff.session_transaction() as session:
        session["_flashes"] = [("message", "Die Änderungen sind gespeichert (3 Felder).")]
    assert "Die Änderungen sind gespeichert" in staff.get("/karte").data.decode()
    assert "Die Änderungen sind gespeichert" not in staff.get("/karte").data.decode()
    assert "Die Änderungen sind gespeichert" not in client.get("/karte").data.decode()


def test_a_crawler_trying_every_page_keeps_memory_bounded(app, client, publish):
    publish(name="Druckerei Blatt", slug="blatt")
    for number in range(views.MAX_PAGES + 10):
        assert client.get(f"/karte?q=wort{number}").status_code == 200
    with app.test_request_context():
        snapshot = public_snapshot()[0]
    assert 0 < len(snapshot.pages) <= views.MAX_PAGES
