"""Mail delivery against a real SMTP server: exactly once, no mail stuck behind another,
4xx retried with backoff, 5xx final, a slow server bounded, one batch run at a time.

Senders run as real processes (`flask campaign send-mail`, gunicorn) that are stopped with
SIGTERM or killed mid-batch; every mail is then counted by its Message-ID at the server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from campaign.core.locks import AlreadyRunning, batch_lock
from campaign.core.mail import new_message_id
from campaign.extensions import db
from campaign.models import BatchLock, OutboxMail, Status, utcnow
from campaign.outbox import delivery
from tests.conftest import TEST_SECRET, app_for
from tests.signup_data import signup_form
from tests.support import ROOT, Browserless, LiveServer, backends, scratch_postgres_database


def queue(app, *recipients: str) -> list[str]:
    """Put mails in the outbox as a write would; return their Message-IDs in order."""
    with app.app_context():
        mails = [OutboxMail(recipient=address, subject="Testnachricht",
                            text_body="Hallo!", message_id=new_message_id(app.config["MAIL_FROM"]))
                 for address in recipients]
        db.session.add_all(mails)
        db.session.commit()
        return [mail.message_id for mail in mails]


def rows(app) -> dict[str, OutboxMail]:
    with app.app_context():
        mails = db.session.scalars(select(OutboxMail)).all()
        db.session.expunge_all()
    return {mail.recipient: mail for mail in mails}


def make_all_due(app) -> None:
    """Time travel: every waiting mail's next attempt is now."""
    with app.app_context():
        db.session.execute(update(OutboxMail).values(next_attempt_at=utcnow()))
        db.session.commit()


def env_for(app, **settings) -> dict[str, str]:
    return {**os.environ, "CAMPAIGN_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "CAMPAIGN_SMTP_URL": app.config["SMTP_URL"], "CAMPAIGN_SECRET_KEY": TEST_SECRET,
            "CAMPAIGN_PUBLIC_URL": app.config["PUBLIC_URL"],
            **{f"CAMPAIGN_{k}": str(v) for k, v in settings.items()}}


def flask_process(app, *args: str, **settings) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "campaign", *args],
                            cwd=ROOT, env=env_for(app, **settings), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run_flask(app, *args: str, **settings) -> subprocess.CompletedProcess:
    process = flask_process(app, *args, **settings)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def addresses(count: int, prefix: str = "betrieb") -> list[str]:
    return [f"{prefix}{n}@firma{n}.de" for n in range(count)]


def test_sigterm_mid_batch_lets_the_current_mail_end_and_a_restart_sends_the_rest_once(
        app, smtp):
    message_ids = queue(app, *addresses(12))
    smtp.reply_delay = 0.3  # each mail takes a while: SIGTERM lands in the middle of one
    sender = flask_process(app, "send-mail")
    smtp.wait_for(3, timeout=30)
    sender.send_signal(signal.SIGTERM)
    out, err = sender.communicate(timeout=15)
    assert "Auf Wunsch beendet" in out, err
    sent_before_restart = sum(1 for mail in rows(app).values() if mail.sent_at)
    assert 3 <= sent_before_restart < 12
    assert len(smtp.messages) == sent_before_restart  # the one in flight ended and was stamped
    smtp.reply_delay = 0
    assert run_flask(app, "send-mail").returncode == 0
    assert smtp.message_ids() == {message_id: 1 for message_id in message_ids}


def test_a_sender_killed_hard_repeats_at_most_the_one_mail_in_flight_with_its_message_id(
        app, smtp):
    message_ids = queue(app, *addresses(8))
    smtp.reply_delay = 0.5  # the server has the mail and has not answered yet
    sender = flask_process(app, "send-mail", SMTP_TIMEOUT=1)  # claim lease: 3 s
    smtp.wait_for(3, timeout=30)
    sender.kill()
    sender.wait(timeout=10)
    smtp.reply_delay = 0
    run_flask(app, "send-mail", SMTP_TIMEOUT=1)  # the mail in flight is still leased
    time.sleep(3.5)
    last = run_flask(app, "send-mail", SMTP_TIMEOUT=1)
    assert last.returncode == 0, (last.stdout, last.stderr)
    arrived = smtp.message_ids()
    assert set(arrived) == set(message_ids)
    assert sum(arrived.values()) - len(message_ids) <= 1  # the documented bound
    assert all(mail.sent_at for mail in rows(app).values())


@pytest.mark.parametrize("backend", backends())
def test_gunicorn_stopped_gracefully_while_mailing_loses_and_doubles_nothing(
        backend, smtp, tmp_path):
    smtp.clear()
    if backend == "sqlite":
        _stop_gunicorn_while_mailing(f"sqlite:///{tmp_path}/drain.sqlite", smtp)
    else:
        with scratch_postgres_database("drain") as url:
            _stop_gunicorn_while_mailing(url, smtp)


def _stop_gunicorn_while_mailing(url: str, smtp) -> None:
    server = LiveServer({"CAMPAIGN_DATABASE_URL": url, "CAMPAIGN_SECRET_KEY": TEST_SECRET,
                         "CAMPAIGN_SMTP_URL": smtp.url, "CAMPAIGN_MIN_FILL_SECONDS": "1",
                         "CAMPAIGN_SIGNUP_RATE_LIMIT": "1000 per hour"}).start()
    smtp.reply_delay = 0.7
    total = 6
    try:
        threads = [threading.Thread(target=Browserless(server.url).sign_up, args=(
            signup_form(contact_email=f"drain{n}@firma.de", name=f"Firma {n}"),))
            for n in range(total)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        smtp.wait_for(1, timeout=30)
    finally:
        server.stop()  # SIGTERM: each worker lets its current mail end, then exits
    stopped_with = len(smtp.messages)
    smtp.reply_delay = 0
    server.flask("campaign", "send-mail")  # what the workers did not get to
    arrived = smtp.message_ids()
    assert len(arrived) == total and set(arrived.values()) == {1}, (stopped_with, arrived)
    outbox = app_for(server)
    with outbox.app_context():  # the mail in flight at SIGTERM was stamped, not left leased
        assert all(mail.sent_at for mail in db.session.scalars(select(OutboxMail)))
        db.session.remove()
        db.engine.dispose()


def test_a_refused_mail_does_not_hold_up_newer_ones_and_stops_at_once(app, smtp, runner):
    smtp.rcpt_replies["weg@firma.de"] = "550 5.1.1 <weg@firma.de>: Mailbox unknown"
    smtp.data_replies["inhalt@firma.de"] = "554 5.6.0 Message content rejected"
    queue(app, "weg@firma.de", "inhalt@firma.de", "neu1@firma.de", "neu2@firma.de")
    result = runner.invoke(args=["campaign", "send-mail"])
    assert "2 E-Mail(s) gesendet" in result.output
    assert "2 E-Mail(s) endgültig nicht zustellbar" in result.output
    assert sorted(m["To"] for m in smtp.messages) == ["neu1@firma.de", "neu2@firma.de"]
    state = rows(app)
    assert (state["weg@firma.de"].smtp_code, state["inhalt@firma.de"].smtp_code) == (550, 554)
    assert state["weg@firma.de"].last_error == "550 5.1.1 <Empfänger>: Mailbox unknown"
    assert all(state[a].failed_at and state[a].attempts == 1
               for a in ("weg@firma.de", "inhalt@firma.de"))
    runner.invoke(args=["campaign", "send-mail", "--now"])
    assert rows(app)["weg@firma.de"].attempts == 1  # permanent: never tried again


def test_a_temporary_refusal_is_retried_with_growing_backoff(app, smtp, runner):
    smtp.rcpt_replies["voll@firma.de"] = "452 4.2.2 Mailbox full"
    queue(app, "voll@firma.de", "frisch@firma.de")
    runner.invoke(args=["campaign", "send-mail"])
    assert [m["To"] for m in smtp.messages] == ["frisch@firma.de"]  # not stuck behind it
    first = rows(app)["voll@firma.de"]
    assert first.failed_at is None and first.smtp_code == 452
    assert timedelta(seconds=50) < first.next_attempt_at - utcnow() <= timedelta(minutes=1)
    runner.invoke(args=["campaign", "send-mail"])
    assert rows(app)["voll@firma.de"].attempts == 1  # not due yet: not tried again
    make_all_due(app)
    runner.invoke(args=["campaign", "send-mail"])
    second = rows(app)["voll@firma.de"]
    assert second.attempts == 2
    assert timedelta(seconds=110) < second.next_attempt_at - utcnow() <= timedelta(minutes=2)
    del smtp.rcpt_replies["voll@firma.de"]
    make_all_due(app)
    assert "1 E-Mail(s) gesendet" in runner.invoke(args=["campaign", "send-mail"]).output
    assert sorted(m["To"] for m in smtp.messages) == ["frisch@firma.de", "voll@firma.de"]


def test_a_temporary_failure_gives_up_after_the_last_attempt(app, smtp, runner):
    smtp.rcpt_replies["nie@firma.de"] = "451 4.3.0 Try again later"
    queue(app, "nie@firma.de")
    for _ in range(delivery.MAX_ATTEMPTS):
        make_all_due(app)
        runner.invoke(args=["campaign", "send-mail"])
    mail = rows(app)["nie@firma.de"]
    assert mail.attempts == delivery.MAX_ATTEMPTS and mail.failed_at is not None
    make_all_due(app)
    runner.invoke(args=["campaign", "send-mail"])
    assert rows(app)["nie@firma.de"].attempts == delivery.MAX_ATTEMPTS


def test_a_server_slower_than_the_timeout_gets_a_mail_at_most_twice(app, smtp, runner):
    app.config["SMTP_TIMEOUT"] = 1
    smtp.reply_delay = 2.5  # takes the mail, answers after our timeout
    (message_id,) = queue(app, "langsam@firma.de")
    result = runner.invoke(args=["campaign", "send-mail"])
    assert "1 E-Mail(s) werden später noch einmal versucht" in result.output
    mail = rows(app)["langsam@firma.de"]
    assert mail.unknown_outcomes == 1 and mail.sent_at is None and mail.failed_at is None
    assert mail.next_attempt_at - utcnow() > timedelta(minutes=59)  # strong backoff
    runner.invoke(args=["campaign", "send-mail", "--now"])  # --now leaves it waiting too
    assert len(smtp.messages) == 1
    for _ in range(3):
        make_all_due(app)
        runner.invoke(args=["campaign", "send-mail"])
    mail = rows(app)["langsam@firma.de"]
    assert mail.unknown_outcomes == delivery.MAX_UNKNOWN_OUTCOMES and mail.failed_at
    assert smtp.message_ids() == {message_id: 2}  # the bound, both copies recognisable


def test_two_send_mail_runs_at_once_send_each_mail_once(app, smtp):
    message_ids = queue(app, *addresses(10))
    smtp.hold_replies = True  # the first run waits on its first mail while the second starts
    first = flask_process(app, "send-mail", SMTP_TIMEOUT=60)
    smtp.wait_for(1, timeout=30)
    second = run_flask(app, "send-mail")
    assert second.returncode == 0 and "läuft bereits" in second.stderr
    smtp.hold_replies = False
    first.communicate(timeout=60)
    assert first.returncode == 0
    assert smtp.message_ids() == {message_id: 1 for message_id in message_ids}


def test_two_reconfirm_runs_at_once_ask_each_employer_once(app, smtp, make_employer):
    from tests.test_reconfirm import backdate

    employers = [make_employer(status=Status.PUBLISHED, contact_email=f"alt{n}@firma.de")
                 for n in range(4)]
    for employer in employers:
        backdate(app, employer, 400)
    smtp.reply_delay = 0.3
    runs = [flask_process(app, "reconfirm") for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sorted(m["To"] for m in smtp.messages) == [f"alt{n}@firma.de" for n in range(4)]
    said = " ".join(out + err for out, err in outputs)
    assert "läuft bereits" in said or "0 Betrieb(e) gefragt" in said


def test_senders_racing_in_one_process_never_take_the_same_mail(app, smtp):
    message_ids = queue(app, *addresses(16))

    def send():
        with app.app_context():
            delivery.send_due()
            db.session.remove()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert smtp.message_ids() == {message_id: 1 for message_id in message_ids}


def test_a_batch_lock_is_held_once_and_freed_afterwards(app):
    with app.app_context():
        with batch_lock("probe"), pytest.raises(AlreadyRunning), batch_lock("probe"):
            pass
        with batch_lock("probe"):
            pass


def test_a_lock_row_of_another_host_is_taken_over_when_its_lease_ends(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL frees advisory locks with the connection")
        db.session.add(BatchLock(name="probe", holder="elsewhere:1:x",
                                 expires_at=utcnow() + timedelta(seconds=30)))
        db.session.commit()
        with pytest.raises(AlreadyRunning), batch_lock("probe"):
            pass
        db.session.execute(update(BatchLock).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        with batch_lock("probe"):
            assert "elsewhere" not in db.session.scalar(select(BatchLock.holder))
