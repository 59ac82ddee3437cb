"""Staff see mail that never went out, with the server's reason, and send it again."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, OutboxMail
from tests.admin.helpers import post
from tests.test_mail_delivery import queue, rows

PAGE = "/admin/mails/unzustellbar"


def refused_mail(app, smtp, runner) -> str:
    smtp.rcpt_replies["tippfehler@firma.de"] = "550 5.1.1 <tippfehler@firma.de>: User unknown"
    (message_id,) = queue(app, "tippfehler@firma.de")
    runner.invoke(args=["campaign", "send-mail"])
    return message_id


def test_a_refused_mail_is_listed_with_its_reason_and_sent_again_by_a_reviewer(
        app, smtp, runner, reviewer):
    message_id = refused_mail(app, smtp, runner)
    assert "<span class=\"card__number\">1</span> <span class=\"card__label\">Nicht zugestellte" \
        in reviewer.get("/admin/").get_data(as_text=True)
    page = reviewer.get(PAGE).get_data(as_text=True)
    assert "1 E-Mail ist nicht angekommen" in page and "tippfehler@firma.de" in page
    assert "Vom Mailserver abgelehnt" in page and "550 5.1.1 &lt;Empfänger&gt;: User unknown" in page
    mail_id = rows(app)["tippfehler@firma.de"].id
    del smtp.rcpt_replies["tippfehler@firma.de"]  # the address works again
    response = post(reviewer, f"/admin/mails/{mail_id}/erneut-senden")
    assert response.status_code == 303 and response.headers["Location"].endswith(PAGE)
    (arrived,) = smtp.wait_for(1)
    assert arrived["Message-ID"].strip() == message_id
    assert "Alle E-Mails sind angekommen" in reviewer.get(PAGE).get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "mail_resent")).one()
        assert entry.actor.startswith("staff:") and entry.details == {"mail": mail_id}


def test_a_mail_refused_again_returns_to_the_list(app, smtp, runner, reviewer):
    refused_mail(app, smtp, runner)
    mail_id = rows(app)["tippfehler@firma.de"].id
    post(reviewer, f"/admin/mails/{mail_id}/erneut-senden")
    assert "tippfehler@firma.de" in reviewer.get(PAGE).get_data(as_text=True)
    assert rows(app)["tippfehler@firma.de"].attempts == 1


def test_viewers_see_the_list_without_addresses_and_cannot_resend(app, smtp, runner, viewer):
    refused_mail(app, smtp, runner)
    page = viewer.get(PAGE).get_data(as_text=True)
    assert "1 E-Mail ist nicht angekommen" in page and "nur für Prüfende sichtbar" in page
    assert "tippfehler" not in page and "Erneut senden" not in page
    mail_id = rows(app)["tippfehler@firma.de"].id
    assert post(viewer, f"/admin/mails/{mail_id}/erneut-senden").status_code == 403
    with app.app_context():
        assert db.session.get(OutboxMail, mail_id).failed_at is not None


def test_resend_needs_the_csrf_token(app, smtp, runner, reviewer):
    refused_mail(app, smtp, runner)
    mail_id = rows(app)["tippfehler@firma.de"].id
    assert reviewer.post(f"/admin/mails/{mail_id}/erneut-senden").status_code == 400
