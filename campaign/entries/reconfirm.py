"""Yearly "still open?" mails: published entries confirm that their details are still true."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from campaign.core import audit, links
from campaign.core.mail import enqueue
from campaign.extensions import db
from campaign.models import AuditEntry, Employer, EmployerPrivate, Status, utcnow

SENT = "reconfirm_sent"
CONFIRMED = "reconfirmed"


def _last_touch() -> dict[int, datetime]:
    rows = db.session.execute(
        select(AuditEntry.employer_id, func.max(AuditEntry.at))
        .where(AuditEntry.action.in_((SENT, CONFIRMED)))
        .group_by(AuditEntry.employer_id)).all()
    return dict(rows)


def due_for_reconfirmation(days: int, now: datetime | None = None) -> list[Employer]:
    """Published entries not confirmed, nor asked, within `days`."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    touched = _last_touch()
    candidates = db.session.scalars(
        select(Employer).join(EmployerPrivate).where(Employer.status == Status.PUBLISHED)).all()
    return [e for e in candidates
            if max(filter(None, (e.private.consent_confirmed_at, e.published_at,
                                 touched.get(e.id))), default=e.created_at) < cutoff]


def ask_to_reconfirm(employer: Employer) -> None:
    enqueue(employer.private.contact_email, "reconfirm", employer=employer,
            manage_url=links.manage_url(employer, long_lived=True))
    audit.record(audit.SYSTEM, SENT, employer.id)


def reconfirm(employer: Employer) -> bool:
    """The employer says the published details are still true."""
    if employer.status != Status.PUBLISHED:
        return False
    audit.record(audit.EMPLOYER, CONFIRMED, employer.id)
    return True
