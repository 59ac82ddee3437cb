"""A cap on mail to one address, so that public forms cannot be used to flood someone's inbox.

Forms anyone can send (sign-up, "send me a link", a sign-up with an invited company's address)
queue their mail through `enqueue_capped`. Every mail in the outbox counts, staff mails too, but
only these are held back. The key is the address in one spelling (case-folded, NFC), so the
decomposed spelling of the same address does not get a second allowance. A capped request gets
the same neutral answer as any other: the page says nothing about whether a mail went out.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from limits import parse_many
from sqlalchemy import func, select

from campaign.core.mail import enqueue
from campaign.core.text import casefold_email, mask_email
from campaign.extensions import db
from campaign.models import OutboxMail, utcnow

log = logging.getLogger(__name__)


def mails_since(address: str, since: datetime) -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMail)
        .where(OutboxMail.recipient_key == casefold_email(address), OutboxMail.created_at >= since)
    )


def cap_reached(address: str, now: datetime | None = None) -> bool:
    """Whether this address got as many mails as MAIL_CAP_PER_ADDRESS allows (e.g. "5/hour")."""
    now = now or utcnow()
    return any(
        mails_since(address, now - timedelta(seconds=limit.get_expiry())) >= limit.amount
        for limit in parse_many(current_app.config["MAIL_CAP_PER_ADDRESS"])
    )


def enqueue_capped(recipient: str, template: str, **context) -> OutboxMail | None:
    """Queue the mail like mail.enqueue, unless the recipient's cap is reached (then None)."""
    if cap_reached(recipient):
        log.info("Mail %r to %s not queued: the per-address cap is reached", template,
                 mask_email(recipient))
        return None
    return enqueue(recipient, template, **context)
