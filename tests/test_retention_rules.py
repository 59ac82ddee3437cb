"""Every retention rule: one test each, the privacy notice built from the same list."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from campaign.entries import retention
from campaign.extensions import db
from campaign.models import (
    Employer,
    EmployerPrivate,
    OutboxMail,
    ProblemReport,
    Status,
    Wave,
    utcnow,
)

README = Path(__file__).resolve().parent.parent / "README.md"


def cleanup(runner) -> str:
    result = runner.invoke(args=["campaign", "cleanup"])
    assert result.exit_code == 0, result.output
    return result.output


def add(app, *rows):
    with app.app_context():
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def mail_row(days_ago: int | None, created_days_ago: int = 0, to="ada@firma.de") -> OutboxMail:
    sent = None if days_ago is None else utcnow() - timedelta(days=days_ago)
    return OutboxMail(recipient=to, subject="Ihr Eintrag", message_id=f"<{secrets.token_hex(8)}@test>", text_body="Hallo Ada", html_body="<p>Hallo</p>",
                      created_at=utcnow() - timedelta(days=max(created_days_ago, days_ago or 0)),
                      sent_at=sent)


def test_sent_mail_loses_address_and_text_after_the_period(app, runner):
    old, recent = add(app, mail_row(days_ago=31), mail_row(days_ago=29))
    assert "1 alte E-Mail(s) gelöscht" in cleanup(runner)
    with app.app_context():
        erased, kept = db.session.get(OutboxMail, old), db.session.get(OutboxMail, recent)
        assert (erased.recipient, erased.recipient_key, erased.text_body, erased.html_body) == ("",) * 4
        assert erased.subject == "Ihr Eintrag" and erased.sent_at is not None
        assert kept.recipient == "ada@firma.de" and kept.text_body == "Hallo Ada"


def test_mail_that_never_went_out_is_deleted_after_the_period(app, runner):
    stuck, queued = add(app, mail_row(None, created_days_ago=31), mail_row(None, created_days_ago=1))
    cleanup(runner)
    with app.app_context():
        assert db.session.get(OutboxMail, stuck) is None
        assert db.session.get(OutboxMail, queued) is not None


def test_withdrawing_erases_the_mails_already_sent_to_the_contact(app, client, make_employer):
    from tests.test_sticker_downloads import manage_path
    employer = make_employer(contact_email="Ada@Firma.de")
    mine, other = add(app, mail_row(days_ago=2, to="ada@firma.de"), mail_row(days_ago=2, to="bob@x.de"))
    path = manage_path(app, employer)
    client.get(path)
    page = client.get(path + "/zurueckziehen").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(path + "/zurueckziehen", data={"csrf_token": token, "confirm": "y"})
    assert response.status_code in (200, 303)
    with app.app_context():
        assert db.session.get(Employer, employer.id).status == Status.WITHDRAWN
        assert db.session.get(OutboxMail, mine).recipient == ""
        assert db.session.get(OutboxMail, other).recipient == "bob@x.de"


def invited(app, make_employer, wave: Wave | None, days_ago: int) -> int:
    employer = make_employer(status=Status.INVITED)
    with app.app_context():
        db.session.execute(db.update(Employer).where(Employer.id == employer.id)
                           .values(created_at=utcnow() - timedelta(days=days_ago)))
        if wave is not None:
            db.session.add(wave)
            db.session.flush()
            db.session.execute(db.update(EmployerPrivate).where(
                EmployerPrivate.employer_id == employer.id).values(wave_id=wave.id))
        db.session.commit()
    return employer.id


def test_unanswered_invitations_go_after_the_wave_end_plus_the_period(app, runner, make_employer):
    today = date.today()
    ended = invited(app, make_employer, Wave(name="Töchter", ends_on=today - timedelta(days=91)), 200)
    running = invited(app, make_employer, Wave(name="Handwerk", ends_on=today - timedelta(days=10)), 200)
    open_ended = invited(app, make_employer, Wave(name="Ohne Ende", created_at=utcnow()), 5)
    answered = make_employer(status=Status.PUBLISHED)
    assert "1 unbeantwortete Einladung(en) gelöscht" in cleanup(runner)
    with app.app_context():
        ids = set(db.session.scalars(select(Employer.id)))
    assert ended not in ids and {running, open_ended, answered.id} <= ids


def test_a_wave_without_end_date_counts_as_ended_after_its_default_run(app, runner, make_employer):
    began = utcnow() - timedelta(days=retention.DEFAULT_WAVE_DAYS + 91)
    old = invited(app, make_employer, Wave(name="Alt", created_at=began), 200)
    cleanup(runner)
    with app.app_context():
        assert db.session.get(Employer, old) is None


def test_closed_problem_reports_lose_their_text_after_the_period(app, runner, make_employer):
    employer = make_employer()
    closed_long_ago, closed_recently, still_open = add(app, *(
        ProblemReport(employer_id=employer.id, kind="falsch", message="Die Tür ist zu, Herr Meier",
                      resolved_at=resolved)
        for resolved in (utcnow() - timedelta(days=91), utcnow() - timedelta(days=3), None)))
    assert "1 Hinweistext(e) gelöscht" in cleanup(runner)
    with app.app_context():
        assert db.session.get(ProblemReport, closed_long_ago).message == ""
        assert db.session.get(ProblemReport, closed_long_ago).kind == "falsch"
        assert db.session.get(ProblemReport, closed_recently).message.startswith("Die Tür")
        assert db.session.get(ProblemReport, still_open).message.startswith("Die Tür")


def test_privacy_notice_states_every_rule_with_the_configured_period(app, client):
    app.config["MAIL_RETENTION_DAYS"] = 14
    page = client.get("/datenschutz").get_data(as_text=True)
    for rule in retention.RULES:
        assert rule.sentence(app.config) in page
    assert "Adresse und Text 14 Tage nach dem Versand" in page.replace("Empfängeradresse", "Adresse")


def test_readme_lists_every_rule_and_its_setting(app):
    text = README.read_text(encoding="utf-8")
    for rule in retention.RULES:
        assert f"`{rule.key}`" in text
        if rule.days_setting:
            assert f"CAMPAIGN_{rule.days_setting}" in text
            assert f"| {app.config[rule.days_setting]} |" in text
