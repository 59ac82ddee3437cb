"""Viewers see public fields and states only: no contact data, consent record or note anywhere."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from campaign.core import audit
from campaign.extensions import db
from campaign.models import Employer, ProblemReport, Status, Wave
from tests.admin.helpers import post

PRIVATE = {
    "contact_name": "Ottilie Geheimname",
    "contact_email": "ottilie.geheim@privat.example",
    "contact_phone": "0170 5550199",
    "internal_notes": "Nur intern: Chef schwierig Q4711Z",
    "privacy_version": "2019-xq",
    "review_message": "Rückfrage vertraulich 0815",
    "consent_requested_at": datetime(2019, 3, 16, 8, 15),
    "consent_confirmed_at": datetime(2019, 3, 17, 13, 37),
}
TRACES = ("Ottilie", "Geheimname", "ottilie.geheim", "privat.example", "0170 5550199",
          "5550199", "Q4711Z", "2019-xq", "vertraulich", "17.03.2019", "2019-03-17", "16.03.2019",
          "2019-03-16")


def seed(app, make_employer) -> int:
    employer = make_employer(Status.PUBLISHED, name="Tischlerei Offen",
                             contact_email=PRIVATE["contact_email"])
    with app.app_context():
        stored = db.session.get(Employer, employer.id)
        for key, value in PRIVATE.items():
            setattr(stored.private, key, value)
        stored.private.pending_changes = {"description": "Neu und öffentlich"}
        stored.private.wave = Wave(name="Töchter 2026")
        db.session.add(ProblemReport(employer_id=employer.id, kind="closed", message="Tür zu"))
        audit.record(audit.EMPLOYER, "confirmed", employer.id,
                     privacy_version=PRIVATE["privacy_version"])
        db.session.commit()
    return employer.id


def admin_get_paths(app, employer_id: int) -> list[str]:
    """Every GET page of the admin blueprint, path parameters filled with the seeded entry."""
    paths = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("admin.") and "GET" in rule.methods:
                values = dict.fromkeys(rule.arguments, employer_id)
                paths.append(app.url_map.bind("localhost").build(rule.endpoint, values))
    return sorted(paths)


def leaks(body: str) -> list[str]:
    return [trace for trace in TRACES if trace in body]


def test_no_admin_page_shows_a_viewer_private_data(app, viewer, reviewer, make_employer):
    employer_id = seed(app, make_employer)
    paths = admin_get_paths(app, employer_id)
    assert f"/admin/eintraege/{employer_id}" in paths and f"/admin/pruefen/{employer_id}" in paths
    assert len(paths) >= 15
    for path in paths:
        response = viewer.get(path)
        assert response.status_code < 500, path
        assert not leaks(response.get_data().decode("utf-8", "replace")), path
    # The same pages do show them to a reviewer, so the check above can find them.
    entry = reviewer.get(f"/admin/eintraege/{employer_id}").get_data(as_text=True)
    review = reviewer.get(f"/admin/pruefen/{employer_id}").get_data(as_text=True)
    assert {"Ottilie", "ottilie.geheim", "5550199", "Q4711Z", "17.03.2019", "2019-xq"} <= set(
        leaks(entry)), leaks(entry)
    assert "vertraulich" in review
    # Viewers still see the public fields, the pending public change and the states.
    page = viewer.get(f"/admin/pruefen/{employer_id}").get_data(as_text=True)
    assert "Tischlerei Offen" in page and "<ins>Neu und öffentlich</ins>" in page
    assert "Änderung eingereicht" in page and "Töchter 2026" in page
    assert "Kontaktdaten, Einwilligung und Notizen sehen nur" in page


def test_viewer_search_does_not_look_in_contact_data(app, viewer, reviewer, make_employer):
    seed(app, make_employer)
    for term in ("ottilie.geheim", "Geheimname"):
        assert "0 Einträge gefunden" in viewer.get(
            "/admin/eintraege", query_string={"q": term}).get_data(as_text=True)
        assert "1 Eintrag gefunden" in reviewer.get(
            "/admin/eintraege", query_string={"q": term}).get_data(as_text=True)
    exported = post(viewer, "/admin/export.csv?q=Geheimname").get_data().decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(exported), delimiter=";"))) == 1  # header only


def test_viewer_export_has_public_columns_only(app, viewer, make_employer):
    seed(app, make_employer)
    body = post(viewer, "/admin/export.csv").get_data().decode("utf-8-sig")
    assert "Tischlerei Offen" in body and not leaks(body)
    assert not re.search("Ansprechperson|Einwilligung|Notiz", body)
