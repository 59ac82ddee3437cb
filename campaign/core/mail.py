"""Outbox mail: written in the caller's transaction, sent over SMTP after commit."""

from __future__ import annotations

import logging
import smtplib
import threading
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from sqlalchemy import or_, update

from campaign.extensions import db
from campaign.models import OutboxMail, utcnow

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=5)
MAX_ATTEMPTS = 20


def enqueue(recipient: str, template: str, headers: dict[str, str] | None = None,
            **context) -> OutboxMail:
    """Render mail/<template>.{subject,txt,html} and add it to the outbox (no commit)."""
    context.setdefault("city", current_app.extensions["campaign_city"])
    mail = OutboxMail(
        recipient=recipient, headers=headers,
        subject=render_template(f"mail/{template}.subject.txt", **context).strip(),
        text_body=render_template(f"mail/{template}.txt", **context),
        html_body=render_template(f"mail/{template}.html", **context),
    )
    db.session.add(mail)
    db.session.info["outbox_dirty"] = True
    return mail


def build_message(mail: OutboxMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(">") or None)
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (mail.headers or {}).items():
        message[name] = value
    message.set_content(mail.text_body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
    return message


def _claim(mail_id: int) -> bool:
    now = utcnow()
    result = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None))
        .where(or_(OutboxMail.claimed_at.is_(None), OutboxMail.claimed_at < now - CLAIM_TIMEOUT))
        .values(claimed_at=now, attempts=OutboxMail.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def _smtp_connection(url: str) -> smtplib.SMTP:
    parts = urlsplit(url)
    timeout = current_app.config["SMTP_TIMEOUT"]
    if parts.scheme == "smtps":
        smtp = smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=timeout)
    else:
        smtp = smtplib.SMTP(parts.hostname, parts.port or 25, timeout=timeout)
        if parts.scheme == "smtp+starttls":
            smtp.starttls()
    if parts.username:
        smtp.login(unquote(parts.username), unquote(parts.password or ""))
    return smtp


def _deliver(mails: list[OutboxMail], sender: str) -> None:
    """Send each mail and stamp it; a refused recipient does not hold up the others."""
    url = current_app.config.get("SMTP_URL")
    if not url:
        for mail in mails:
            log.info("Mail not sent (no CAMPAIGN_SMTP_URL); it reads:\n%s", mail.text_body)
            mail.sent_at = utcnow()
        return
    with _smtp_connection(url) as smtp:
        for mail in mails:
            try:
                smtp.send_message(build_message(mail, sender))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPNotSupportedError) as exc:
                mail.last_error = type(exc).__name__
                continue
            mail.sent_at = utcnow()


def send_pending(limit: int = 100) -> tuple[int, int]:
    """Send queued mails; return (sent, failed). Failures stay queued for the next run."""
    ids = db.session.scalars(
        db.select(OutboxMail.id)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMail.id)
        .limit(limit)
    ).all()
    claimed = [db.session.get(OutboxMail, i) for i in ids if _claim(i)]
    try:
        _deliver(claimed, current_app.config["MAIL_FROM"])
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("SMTP delivery failed (%s); unsent mail stays queued", type(exc).__name__)
        for mail in claimed:
            mail.last_error = type(exc).__name__
    unsent = [mail for mail in claimed if mail.sent_at is None]
    for mail in unsent:
        mail.claimed_at = None
    db.session.commit()
    return len(claimed) - len(unsent), len(unsent)


def send_after_request() -> None:
    """Send what this request queued, in the background so nobody waits for SMTP."""
    if not db.session.info.pop("outbox_dirty", False):
        return
    app = current_app._get_current_object()
    if app.config["MAIL_SEND_IN_BACKGROUND"]:
        threading.Thread(target=_send_quietly, args=(app,), daemon=True).start()
    else:
        _send_quietly(app)


def _send_quietly(app) -> None:
    """Never let a mail problem reach the user: the data is committed, the mail waits."""
    with app.app_context():
        try:
            send_pending(limit=20)
        except Exception:
            db.session.rollback()
            log.exception("Sending queued mail failed")
        finally:
            db.session.remove()


ERASED = ""


def erase_sent(*conditions) -> int:
    """Blank address and text of sent mails matching ``conditions``; subject and times stay."""
    result = db.session.execute(
        update(OutboxMail).where(OutboxMail.sent_at.is_not(None), OutboxMail.recipient != ERASED,
                                 *conditions)
        .values(recipient=ERASED, text_body=ERASED, html_body=ERASED, headers=None))
    return result.rowcount


def erase_sent_to(address: str) -> int:
    """Forget every mail already sent to ``address``, e.g. when its entry is withdrawn."""
    return erase_sent(db.func.lower(OutboxMail.recipient) == address.strip().lower())
