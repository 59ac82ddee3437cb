"""Mail that will not go out by itself: refused for good, or given up after its retries."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from campaign.core.mail import mail_queued
from campaign.extensions import db
from campaign.models import OutboxMail, utcnow
from campaign.outbox.delivery import MAX_UNKNOWN_OUTCOMES

REFUSED = _l("Vom Mailserver abgelehnt")
UNCERTAIN = _l("Zustellung ungewiss: Der Mailserver hat nach dem Senden nicht geantwortet. "
               "Die E-Mail ist vielleicht angekommen.")
GIVEN_UP = _l("Nach %(attempts)d Versuchen aufgegeben")


def undeliverable():
    return (select(OutboxMail).where(OutboxMail.failed_at.is_not(None),
                                     OutboxMail.sent_at.is_(None))
            .order_by(OutboxMail.failed_at.desc(), OutboxMail.id.desc()))


def undeliverable_count() -> int:
    return db.session.scalar(select(func.count()).select_from(undeliverable().subquery()))


def why(mail: OutboxMail) -> str:
    """What happened, in words; the server's own answer is shown beside it."""
    if mail.unknown_outcomes >= MAX_UNKNOWN_OUTCOMES:
        return str(UNCERTAIN)
    if mail.smtp_code and 500 <= mail.smtp_code < 600 or mail.attempts <= 1:
        return str(REFUSED)
    return GIVEN_UP % {"attempts": mail.attempts}


def resend(mail_id: int) -> bool:
    """Queue a failed mail again with fresh retries and the same Message-ID; False if it is
    not (or no longer) failed."""
    queued = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.failed_at.is_not(None),
               OutboxMail.sent_at.is_(None))
        .values(failed_at=None, next_attempt_at=utcnow(), attempts=0, unknown_outcomes=0,
                claimed_at=None)).rowcount
    if queued:
        mail_queued()
    return bool(queued)
