"""Outbox mail: written in the caller's transaction, sent over SMTP after commit.

Delivery itself (claims, retries, the background sender) lives in `campaign.outbox`.
"""

from __future__ import annotations

import logging
from email.utils import make_msgid

from flask import current_app, render_template
from sqlalchemy import update

from campaign.extensions import db
from campaign.models import OutboxMail
from campaign.outbox import delivery, sender

log = logging.getLogger(__name__)


def enqueue(recipient: str, template: str, headers: dict[str, str] | None = None,
            **context) -> OutboxMail:
    """Render mail/<template>.{subject,txt,html} and add it to the outbox (no commit)."""
    context.setdefault("city", current_app.extensions["campaign_city"])
    mail = OutboxMail(
        recipient=recipient, headers=headers,
        subject=render_template(f"mail/{template}.subject.txt", **context).strip(),
        text_body=render_template(f"mail/{template}.txt", **context),
        html_body=render_template(f"mail/{template}.html", **context),
        message_id=new_message_id(current_app.config["MAIL_FROM"]),
    )
    db.session.add(mail)
    mail_queued()
    return mail


def new_message_id(sender: str) -> str:
    return make_msgid(domain=sender.rpartition("@")[2].strip(">") or None)


def mail_queued() -> None:
    """Have the outbox sent after this request (also for mail made due again)."""
    db.session.info["outbox_dirty"] = True


def send_pending(limit: int | None = 100) -> tuple[int, int]:
    """Send due mails now; return (sent, not sent). Mail not sent stays queued or failed."""
    tally = delivery.send_due(limit)
    return tally.sent, tally.not_sent


def unsent_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(OutboxMail)
                             .where(OutboxMail.sent_at.is_(None)))


def send_after_request() -> None:
    """Send what this request queued, in the background so nobody waits for SMTP."""
    if not db.session.info.pop("outbox_dirty", False):
        return
    app = current_app._get_current_object()
    if app.config["MAIL_SEND_IN_BACKGROUND"]:
        sender.sender_for(app).wake()
    else:
        _send_quietly()


def _send_quietly() -> None:
    """Never let a mail problem reach the user: the data is committed, the mail waits."""
    try:
        delivery.send_due(limit=sender.BATCH)
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
.values(recipient=ERASED, recipient_key=ERASED, text_body=ERASED, html_body=ERASED,
                headers=None))
    return result.rowcount


def erase_sent_to(address: str) -> int:
    """Forget every mail already sent to ``address``, e.g. when its entry is withdrawn."""
    return erase_sent(db.func.lower(OutboxMail.recipient) == address.strip().lower())
