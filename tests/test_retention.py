"""Deleting what the privacy notice promises to delete, and exporting what we hold."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, Employer, EmployerPrivate, Status, utcnow
from tests.test_sticker_downloads import manage_path


def age(app, employer, days: int) -> None:
    with app.app_context():
        db.session.execute(db.update(Employer).where(Employer.id == employer.id).values(
            created_at=utcnow() - timedelta(days=days), updated_at=utcnow() - timedelta(days=days)))
        db.session.commit()


def test_cleanup_deletes_old_unconfirmed_and_scrubs_old_rejections(app, runner, make_employer):
    old_unconfirmed = make_employer(status=Status.UNCONFIRMED)
    new_unconfirmed = make_employer(status=Status.UNCONFIRMED)
    old_rejected = make_employer(status=Status.REJECTED)
    published = make_employer(status=Status.PUBLISHED)
    age(app, old_unconfirmed, 8)
    age(app, new_unconfirmed, 6)
    age(app, old_rejected, 91)
    age(app, published, 400)
    result = runner.invoke(args=["campaign", "cleanup"])
    assert "1 unbestätigte Anmeldung(en) gelöscht, 1 abgelehnte" in result.output
    with app.app_context():
        ids = set(db.session.scalars(select(Employer.id)))
        assert old_unconfirmed.id not in ids and new_unconfirmed.id in ids and published.id in ids
        private_ids = set(db.session.scalars(select(EmployerPrivate.employer_id)))
        assert old_rejected.id not in private_ids and published.id in private_ids
        purged = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "purged_unconfirmed")).one()
        assert purged.employer_id == old_unconfirmed.id
    again = runner.invoke(args=["campaign", "cleanup"])  # idempotent
    assert "0 unbestätigte Anmeldung(en) gelöscht, 0 abgelehnte" in again.output


def test_contact_person_can_download_their_data(client, app, make_employer):
    employer = make_employer(status=Status.PUBLISHED, contact_email="ada@firma.de")
    other = make_employer(status=Status.PUBLISHED, contact_email="bob@andere.de")
    path = manage_path(app, employer)
    client.get(path)
    response = client.get(path + "/daten.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["kontakt"]["contact_email"] == "ada@firma.de"
    assert data["eintrag"]["name"] == employer.name
    assert "bob@andere.de" not in response.get_data(as_text=True)
    assert other.name not in response.get_data(as_text=True)
