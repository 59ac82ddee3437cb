"""The yearly "still open?" round."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, Employer, EmployerPrivate, Status, utcnow
from tests.support import links_in, text_of
from tests.test_selfservice import csrf_of


def backdate(app, employer, days: int) -> None:
    when = utcnow() - timedelta(days=days)
    with app.app_context():
        db.session.execute(db.update(Employer).where(Employer.id == employer.id)
                           .values(created_at=when, published_at=when))
        db.session.execute(db.update(EmployerPrivate).where(EmployerPrivate.employer_id == employer.id)
                           .values(consent_confirmed_at=when))
        db.session.commit()


def test_reconfirm_asks_only_entries_older_than_a_year_once(app, runner, make_employer, smtp):
    old = make_employer(status=Status.PUBLISHED, contact_email="alt@firma.de")
    recent = make_employer(status=Status.PUBLISHED, contact_email="neu@firma.de")
    paused = make_employer(status=Status.PAUSED, contact_email="pause@firma.de")
    backdate(app, old, 400)
    backdate(app, recent, 100)
    backdate(app, paused, 400)
    result = runner.invoke(args=["campaign", "reconfirm"])
    assert "1 Betrieb(e) gefragt" in result.output
    (mail,) = smtp.wait_for(1)
    assert mail["To"] == "alt@firma.de" and "noch stimmen" in text_of(mail)
    assert "1 Betrieb(e)" not in runner.invoke(args=["campaign", "reconfirm"]).output  # not again


def test_employer_confirms_details_are_still_true(client, app, runner, make_employer, smtp):
    old = make_employer(status=Status.PUBLISHED, contact_email="alt@firma.de")
    backdate(app, old, 400)
    runner.invoke(args=["campaign", "reconfirm"])
    link = links_in(text_of(smtp.wait_for(1)[0]), "/mein-eintrag/")[0]
    path = link.replace(app.config["PUBLIC_URL"], "")
    page = client.get(path).get_data(as_text=True)
    response = client.post(path + "/angaben-stimmen", data={"csrf_token": csrf_of(page)})
    assert "noch stimmen" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.employer_id == old.id)).all()
    assert "reconfirmed" in actions
