"""GDPR housekeeping: delete what we promised to delete, and export what we hold."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from campaign.core import audit
from campaign.entries.lifecycle import PUBLIC_FIELDS, withdraw
from campaign.extensions import db
from campaign.models import AuditEntry, Employer, Status, field_names, utcnow

PRIVATE_EXPORT_FIELDS = field_names(personal=True)


def purge_expired(unconfirmed_days: int, rejected_days: int, now: datetime | None = None) -> dict:
    """Delete unconfirmed sign-ups and scrub rejected entries past their retention period."""
    now = now or utcnow()
    stale = db.session.scalars(select(Employer.id).where(
        Employer.status == Status.UNCONFIRMED,
        Employer.created_at < now - timedelta(days=unconfirmed_days))).all()
    for employer_id in stale:
        audit.record(audit.SYSTEM, "purged_unconfirmed", employer_id)
    if stale:
        db.session.execute(delete(Employer).where(Employer.id.in_(stale)))
    rejected = db.session.scalars(select(Employer).where(
        Employer.status == Status.REJECTED, Employer.private.has(),
        Employer.updated_at < now - timedelta(days=rejected_days))).all()
    for employer in rejected:
        withdraw(employer, actor=audit.SYSTEM)
    return {"unconfirmed": len(stale), "rejected": len(rejected)}


def personal_data_export(employer: Employer) -> dict:
    """Everything we hold about this entry and its contact person (GDPR Art. 15/20)."""
    private = employer.private
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.employer_id == employer.id)
                                 .order_by(AuditEntry.at)).all()
    return {
        "eintrag": {name: getattr(employer, name) for name in PUBLIC_FIELDS}
        | {"status": str(employer.status), "angelegt": employer.created_at.isoformat()},
        "kontakt": {name: _plain(getattr(private, name)) for name in PRIVATE_EXPORT_FIELDS},
        "verlauf": [{"zeit": e.at.isoformat(), "aktion": e.action,
                     "durch": e.actor.split(":")[0]} for e in history],
    }


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value
