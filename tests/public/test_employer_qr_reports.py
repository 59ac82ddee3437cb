"""Employer page, QR redirect with scan counting, and problem reports."""

from __future__ import annotations

import json
import re
import threading
from datetime import datetime

import pytest
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select

from campaign.entries import dropin
from campaign.entries import lifecycle as operations
from campaign.extensions import db
from campaign.models import Employer, ProblemReport, ScanCount, Status
from campaign.public.scans import scans_on
from campaign.reports.views import open_reports
from tests.conftest import form_timer_for

TUESDAY = datetime(2026, 11, 24, 10, 0, tzinfo=dropin.TIMEZONE)


def json_ld(page: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    return json.loads(block)


def test_employer_page_shows_what_a_young_person_needs(client, publish, monkeypatch):
    monkeypatch.setattr(dropin, "local_now", lambda: TUESDAY)
    publish(slug="baeckerei", name="Bäckerei Sonne", ask_for="Frau Yilmaz am Empfang",
            languages=["de", "ar"], public_phone="0234 123456", website="https://sonne.example",
            description="Wir backen.", drop_in={"slots": [
                {"day": 1, "start": "14:00", "end": "17:00"}]})
    page = client.get("/betrieb/baeckerei").data.decode()
    for text in ("Heute ab 14:00 Uhr ohne Termin", "Dienstag (heute)", "Keine offene Tür",
                 "Frau Yilmaz am Empfang", "Das sagt der Betrieb", 'href="tel:0234123456"',
                 '<li><span lang="ar" dir="rtl">العربية</span></li>', "directions?route=%3B51.478100%2C7.219000",
                 '<time datetime="14:00">14:00</time> bis', 'href="/betrieb/baeckerei/problem-melden"',
                 '<meta property="og:title" content="Bäckerei Sonne – Alle Türen offen">',
                 '<link rel="canonical" href="https://tueren.example.org/betrieb/baeckerei">'):
        assert text in page
    assert "kein offener Termin" not in page and "Heute keine offene Tür" not in page
    data = json_ld(page)
    assert data["@type"] == "LocalBusiness" and data["name"] == "Bäckerei Sonne"
    assert data["geo"]["latitude"] == 51.4781


def test_a_day_without_walk_in_hours_says_no_door_is_open_today(client, publish, monkeypatch):
    monkeypatch.setattr(dropin, "local_now", lambda: TUESDAY)
    publish(slug="kita", name="Kita Regenbogen", drop_in={"slots": [
        {"day": 3, "start": "09:00", "end": "12:00"}]})
    page = client.get("/betrieb/kita").data.decode()
    today_row = re.search(r'<tr class="table__today">(.*?)</tr>', page, re.S).group(1)
    assert "Dienstag (heute)" in today_row and "Heute keine offene Tür" in today_row
    assert page.count("Keine offene Tür") == 5  # the other days without hours
    assert "kein offener Termin" not in page


def test_json_ld_cannot_close_its_script_block(client, publish):
    publish(slug="boese", name="</script><script>alert(1)</script>")
    page = client.get("/betrieb/boese").data.decode()
    assert page.count("</script>") == page.count("<script")  # none added by the name
    assert json_ld(page)["name"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize("status", [s for s in Status if s != Status.PUBLISHED])
def test_unpublished_entries_have_no_page(client, make_employer, status):
    make_employer(status=status, slug="versteckt")
    assert client.get("/betrieb/versteckt").status_code == 404
    assert client.get("/betrieb/versteckt/problem-melden").status_code == 404


def test_back_link_keeps_only_known_filters(client, publish):
    publish(slug="b")
    page = client.get("/betrieb/b?von=offers%3Dausbildung%26evil%3D%253Cx%253E").data.decode()
    assert 'href="/karte?offers=ausbildung"' in page


def test_qr_code_counts_scans_and_sets_no_cookie(app, client, publish):
    employer = publish(slug="ziel")
    for code in (employer.qr_code, employer.qr_code.lower()):
        response = client.get(f"/t/{code}")
        assert response.status_code == 302
        assert response.headers["Location"] == "/betrieb/ziel"
        assert "Set-Cookie" not in response.headers
    with app.app_context():
        assert scans_on(employer.id, dropin.local_now().date()) == 2
        assert db.session.scalar(select(func.count()).select_from(ScanCount)) == 1
    assert not client.get_cookie("session")


def test_concurrent_scans_are_all_counted(app, publish):
    employer = publish()

    def scan():
        assert app.test_client().get(f"/t/{employer.qr_code}").status_code == 302

    threads = [threading.Thread(target=scan) for _ in range(12)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    with app.app_context():
        assert scans_on(employer.id, dropin.local_now().date()) == 12


def test_unknown_codes_are_not_found(client):
    assert client.get("/t/ZZZZZZZ").status_code == 404
    assert client.get("/t/%3Cscript%3E").status_code == 404


@pytest.mark.parametrize("change", [operations.pause, operations.withdraw])
def test_paused_or_withdrawn_code_shows_open_doors_nearby(app, client, publish, change):
    gone = publish(slug="weg", name="Weg GmbH", quarter="Hamme", lat=51.4930, lon=7.1920)
    publish(slug="nah", name="Nahe Tür", lat=51.4940, lon=7.1930)
    with app.app_context():
        change(db.session.get(Employer, gone.id))
        db.session.commit()
    response = client.get(f"/t/{gone.qr_code}")
    assert response.status_code == 410
    page = response.data.decode()
    assert "Nahe Tür" in page and "Weg GmbH" not in page
    with app.app_context():
        assert scans_on(gone.id, dropin.local_now().date()) == 0


def report(client, app, slug, **data):
    client.get(f"/betrieb/{slug}/problem-melden")
    with client.session_transaction() as session:
        token = session.get("csrf_token")
    with app.test_request_context():
        from flask import session as flask_session

        flask_session["csrf_token"] = token
        csrf = generate_csrf()
    form = {"csrf_token": csrf, "form_started": form_timer_for(app), **data}
    return client.post(f"/betrieb/{slug}/problem-melden", data=form)


def reports_in(app) -> list[ProblemReport]:
    with app.app_context():
        return [row.ProblemReport for row in db.session.execute(open_reports())]


def test_problem_report_is_stored_for_staff(app, client, publish):
    publish(slug="zu")
    response = report(client, app, "zu", kind="closed", message="Dienstag um 15 Uhr war zu.")
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 200
    [stored] = reports_in(app)
    assert (stored.kind, stored.message) == ("closed", "Dienstag um 15 Uhr war zu.")


def test_problem_report_without_choice_is_shown_again_with_text_kept(app, client, publish):
    publish(slug="zu")
    response = report(client, app, "zu", message="Mein Text")
    assert response.status_code == 400
    page = response.data.decode()
    assert "<title>Fehler:" in page and "Wähle aus, was nicht stimmt" in page
    assert "Mein Text" in page and 'href="#kind-0"' in page
    assert reports_in(app) == []


def test_problem_report_honeypot_stores_nothing(app, client, publish):
    publish(slug="zu")
    response = report(client, app, "zu", kind="other", website_confirm="http://spam.example")
    assert response.status_code == 303
    assert reports_in(app) == []


def test_problem_report_without_csrf_token_is_refused(app, client, publish):
    publish(slug="zu")
    response = client.post("/betrieb/zu/problem-melden", data={"kind": "closed"})
    assert response.status_code == 400
    assert reports_in(app) == []


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "REPORT_RATE_LIMIT": "3 per hour"}


def test_problem_reports_are_rate_limited(app, client, publish):
    publish(slug="zu")
    statuses = [report(client, app, "zu", kind="closed").status_code for _ in range(4)]
    assert statuses == [303, 303, 303, 429]
