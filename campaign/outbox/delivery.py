"""Claim one due mail, send it, commit its outcome; repeat. No mail waits behind another.

Each mail is claimed alone (its next_attempt_at moves one lease ahead) and its outcome is
committed as soon as its SMTP transaction ends, so a sender that stops or dies leaves at most
the one mail it was sending, and that one becomes due again when the lease ends.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, select, update

from campaign.extensions import db
from campaign.models import OutboxMail, utcnow
from campaign.outbox import smtp as transport
from campaign.outbox.smtp import PERMANENT, SENT, TEMPORARY, UNKNOWN, Outcome

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20  # with the delays below: about two days of retries
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=4)
# Maybe delivered: wait long before the one more try, then leave it to staff.
UNKNOWN_RETRY = timedelta(hours=1)
MAX_UNKNOWN_OUTCOMES = 2
CANDIDATES = 5


@dataclass
class Tally:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    unknown: int = 0

    @property
    def not_sent(self) -> int:
        return self.deferred + self.failed + self.unknown


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def mail_budget(config=None) -> float:
    """Seconds one mail may take from claim to outcome (within gunicorn's graceful timeout)."""
    return 2.0 * float((config or current_app.config)["SMTP_TIMEOUT"])


def claim_lease() -> timedelta:
    return timedelta(seconds=mail_budget() + float(current_app.config["SMTP_TIMEOUT"]))


def is_due(now):
    return and_(OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None),
                OutboxMail.next_attempt_at <= now)


def claim_next() -> OutboxMail | None:
    """Take the mail that is due longest, or None; concurrent senders never take the same."""
    now = utcnow()
    candidates = db.session.scalars(
        select(OutboxMail.id).where(is_due(now))
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(CANDIDATES)).all()
    for mail_id in candidates:
        taken = db.session.execute(
            update(OutboxMail).where(OutboxMail.id == mail_id, is_due(now))
            .values(claimed_at=now, last_attempt_at=now, next_attempt_at=now + claim_lease(),
                    attempts=OutboxMail.attempts + 1)).rowcount
        db.session.commit()
        if taken:
            return _detached(mail_id)
    db.session.commit()
    return None


def _detached(mail_id: int) -> OutboxMail:
    """Load the mail and end the transaction: no database lock is held while SMTP talks."""
    mail = db.session.get(OutboxMail, mail_id)
    db.session.expunge(mail)
    db.session.commit()
    return mail


def record(mail: OutboxMail, outcome: Outcome) -> bool:
    """Write what the attempt showed and commit, before the next mail is touched; return
    whether nobody will try it again."""
    now = utcnow()
    mail = db.session.merge(mail)
    mail.claimed_at = None
    if outcome.kind == SENT:
        mail.sent_at = now
    else:
        mail.smtp_code, mail.last_error = outcome.code, outcome.reason
    if outcome.kind == TEMPORARY:
        mail.next_attempt_at = now + retry_delay(mail.attempts)
        if mail.attempts >= MAX_ATTEMPTS:
            mail.failed_at = now
    elif outcome.kind == UNKNOWN:
        mail.unknown_outcomes += 1
        mail.next_attempt_at = now + UNKNOWN_RETRY
        if mail.unknown_outcomes >= MAX_UNKNOWN_OUTCOMES:
            mail.failed_at = now
    elif outcome.kind == PERMANENT:
        mail.failed_at = now
    given_up = mail.failed_at is not None
    db.session.commit()
    return given_up


def retry_now() -> int:
    """Make mail that waits for a retry due at once (after an SMTP outage is over). Mail that
    may have been delivered already keeps waiting, and nothing in flight is touched."""
    now = utcnow()
    count = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None),
               OutboxMail.claimed_at.is_(None), OutboxMail.unknown_outcomes == 0,
               OutboxMail.next_attempt_at > now)
        .values(next_attempt_at=now)).rowcount
    db.session.commit()
    return count


def _count(tally: Tally, outcome: Outcome, given_up: bool) -> None:
    if outcome.kind == SENT:
        tally.sent += 1
    elif given_up:
        tally.failed += 1
    elif outcome.kind == UNKNOWN:
        tally.unknown += 1
    else:
        tally.deferred += 1


class _Session:
    """The SMTP connection of one run, opened for the first mail and reused for the rest."""

    def __init__(self, url: str):
        self.url, self.smtp = url, None

    def deliver(self, mail: OutboxMail, sender: str) -> Outcome:
        deadline = time.monotonic() + mail_budget()
        step = float(current_app.config["SMTP_TIMEOUT"])
        if self.smtp is None:
            try:
                self.smtp = transport.connect(self.url, step, deadline)
            except (smtplib.SMTPException, OSError) as exc:
                return transport.classify(exc, in_data=False)._replace(connection_lost=True)
        outcome = transport.send(self.smtp, mail, sender, deadline)
        if outcome.connection_lost:
            self.close()
        return outcome

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def _log_only(mail: OutboxMail) -> Outcome:
    log.info("Mail not sent (no CAMPAIGN_SMTP_URL); it reads:\n%s", mail.text_body)
    return Outcome(SENT)


def send_due(limit: int | None = None, should_stop: Callable[[], bool] = lambda: False) -> Tally:
    """Send due mails one by one until none is due, `limit` are handled, the server is gone,
    or should_stop() says so (checked between mails: the current one always ends first)."""
    tally, handled = Tally(), 0
    url, sender = current_app.config.get("SMTP_URL"), current_app.config["MAIL_FROM"]
    session = _Session(url) if url else None
    try:
        while (limit is None or handled < limit) and not should_stop():
            mail = claim_next()
            if mail is None:
                break
            outcome = session.deliver(mail, sender) if session else _log_only(mail)
            _count(tally, outcome, record(mail, outcome))
            handled += 1
            if outcome.kind != SENT:
                log.warning("SMTP delivery failed for mail %d (%s): %s", mail.id, outcome.kind,
                            outcome.reason)
            if outcome.connection_lost:
                break
    finally:
        if session:
            session.close()
    return tally
