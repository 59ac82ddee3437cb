"""Freshness: asked after a year, reminded after 3 weeks, paused after 6, back with one click."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from campaign.entries import reconfirm
from campaign.extensions import db
from campaign.models import (
    AuditEntry,
    Employer,
    EmployerPrivate,
    OutboxMail,
    PausedBy,
    Status,
    utcnow,
)
from tests.support import links_in, text_of
from tests.test_selfservice import csrf_of


def last_confirmed(app, employer, days_ago: int) -> None:
    when = utcnow() - timedelta(days=days_ago)
    with app.app_context():
        db.session.execute(db.update(Employer).where(Employer.id == employer.id)
                           .values(created_at=when, published_at=when))
        db.session.execute(db.update(EmployerPrivate).where(
            EmployerPrivate.employer_id == employer.id).values(consent_confirmed_at=when))
        db.session.commit()


def asked(app, employer, days_ago: int) -> None:
    with app.app_context():
        db.session.execute(db.update(EmployerPrivate).where(
            EmployerPrivate.employer_id == employer.id)
            .values(reconfirm_asked_at=utcnow() - timedelta(days=days_ago)))
        db.session.commit()


def run(runner) -> str:
    result = runner.invoke(args=["campaign", "reconfirm"])
    assert result.exit_code == 0, result.output
    return result.output


def state(app, employer):
    with app.app_context():
        fresh = db.session.get(Employer, employer.id)
        return fresh.status, fresh.paused_by, fresh.private.reconfirm_stage


def test_unanswered_question_ends_in_an_automatic_pause_and_one_click_brings_it_back(
        app, client, runner, make_employer, smtp):
    employer = make_employer(contact_email="tuer@firma.de")
    last_confirmed(app, employer, 400)

    assert "1 Betrieb(e) gefragt" in run(runner)
    assert "Stimmen Ihre Angaben" in smtp.wait_for(1)[0]["Subject"]
    assert "0 Betrieb(e) gefragt, ob die Angaben noch stimmen, 0 erinnert, 0 automatisch" in run(runner)

    asked(app, employer, 22)
    assert "1 erinnert" in run(runner)
    reminder = smtp.wait_for(2)[1]
    assert reminder["Subject"].startswith("Erinnerung") and "in drei Wochen" in text_of(reminder)

    asked(app, employer, 43)
    assert "1 automatisch pausiert" in run(runner)
    assert state(app, employer) == (Status.PAUSED, PausedBy.SYSTEM, reconfirm.PAUSED_STAGE)
    assert client.get(f"/betrieb/{employer.slug}").status_code in (404, 410)
    paused_mail = smtp.wait_for(3)[2]
    assert "pausiert" in paused_mail["Subject"] and "Die Angaben stimmen noch" in text_of(paused_mail)
    with app.app_context():
        actors = db.session.execute(select(AuditEntry.actor).where(
            AuditEntry.employer_id == employer.id,
            AuditEntry.action.in_([reconfirm.AUTO_PAUSED, "status:paused"]))).scalars().all()
    assert actors == ["system", "system"]

    path = links_in(text_of(paused_mail), "/mein-eintrag/")[0].replace(app.config["PUBLIC_URL"], "")
    page = client.get(path).get_data(as_text=True)
    assert "weil wir keine Antwort bekommen haben" in page
    client.post(path + "/angaben-stimmen", data={"csrf_token": csrf_of(page)})
    assert state(app, employer) == (Status.PUBLISHED, "", reconfirm.NOT_ASKED)
    assert client.get(f"/betrieb/{employer.slug}").status_code == 200
    assert "0 Betrieb(e) gefragt" in run(runner)  # confirmed today: not asked again


def test_staff_pause_is_never_lifted_by_the_round_or_overwritten(app, runner, make_employer):
    employer = make_employer(status=Status.PAUSED, paused_by=PausedBy.STAFF)
    last_confirmed(app, employer, 800)
    run(runner)
    assert state(app, employer) == (Status.PAUSED, PausedBy.STAFF, reconfirm.NOT_ASKED)


def test_two_runs_at_once_mail_and_pause_each_entry_once(app, make_employer):
    due = [make_employer() for _ in range(4)]
    for employer in due:
        last_confirmed(app, employer, 400)
    policy = reconfirm.Policy()
    start = threading.Barrier(2)

    def one_run():
        with app.app_context():
            start.wait()
            reconfirm.run_round(policy)
            db.session.commit()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 4
        sent = db.session.scalars(select(AuditEntry.employer_id).where(
            AuditEntry.action == reconfirm.SENT)).all()
    assert sorted(sent) == sorted(e.id for e in due)


def test_staff_filter_overdue_and_auto_paused_entries_and_see_them_counted(
        app, admin, runner, make_employer):
    fresh = make_employer(name="Frisch bestätigt")
    overdue = make_employer(name="Wartet auf Antwort")
    stale = make_employer(name="Lange still")
    last_confirmed(app, overdue, 400)
    last_confirmed(app, stale, 400)
    run(runner)
    asked(app, stale, 22)
    run(runner)
    asked(app, stale, 43)
    run(runner)

    listed = admin.get("/admin/eintraege?freshness=ueberfaellig").get_data(as_text=True)
    assert overdue.name in listed and fresh.name not in listed and stale.name not in listed
    paused = admin.get("/admin/eintraege?freshness=automatisch-pausiert").get_data(as_text=True)
    assert stale.name in paused and overdue.name not in paused
    dashboard = admin.get("/admin/").get_data(as_text=True)
    assert "freshness=ueberfaellig" in dashboard and "Automatisch pausiert" in dashboard
