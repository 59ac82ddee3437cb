"""The audit log: every state change with who did it. Ids and field names only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update

from campaign.extensions import db
from campaign.models import AuditEntry, PublicDataChange, PublicDataVersion, StaffUser, utcnow

EMPLOYER = "employer"
SYSTEM = "system"
# Change notes older than this many versions are dropped; a worker that far behind reads all.
KEEP_CHANGES = 10_000


def staff_actor(staff_id: int) -> str:
    return f"staff:{staff_id}"


def actor_names() -> dict[str, str]:
    """Every actor key ("staff:<id>", "employer", "system") with the name staff read for it."""
    names = {EMPLOYER: str(_l("Betrieb")), SYSTEM: str(_l("System"))}
    for staff_id, email in db.session.execute(db.select(StaffUser.id, StaffUser.email)):
        names[staff_actor(staff_id)] = email
    return names


def record(actor: str, action: str, employer_id: int | None = None, **details) -> AuditEntry:
    entry = AuditEntry(actor=actor, action=action, employer_id=employer_id, details=details)
    db.session.add(entry)
    return entry


def public_data_changed(*employer_ids: int) -> None:
    """Bump the public data version in the same transaction as the change and note which
    entries it touched (none named: any may have, and workers read everything again)."""
    result = db.session.execute(
        update(PublicDataVersion)
        .where(PublicDataVersion.id == 1)
        .values(version=PublicDataVersion.version + 1, changed_at=utcnow())
    )
    if result.rowcount == 0:
        db.session.add(PublicDataVersion(id=1, version=1))
        db.session.flush()
    version = db.session.scalar(select(PublicDataVersion.version).where(PublicDataVersion.id == 1))
    db.session.execute(insert(PublicDataChange),
                       [{"version": version, "employer_id": i} for i in employer_ids or (None,)])
    if version % 1000 == 0:
        db.session.execute(delete(PublicDataChange)
                           .where(PublicDataChange.version <= version - KEEP_CHANGES))
