"""The audit log: every state change with who did it. Ids and field names only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from campaign.extensions import db
from campaign.models import AuditEntry, PublicDataVersion, StaffUser, utcnow

EMPLOYER = "employer"
SYSTEM = "system"


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


def public_data_changed() -> None:
    """Bump the public data version in the same transaction as the change."""
    result = db.session.execute(
        update(PublicDataVersion)
        .where(PublicDataVersion.id == 1)
        .values(version=PublicDataVersion.version + 1, changed_at=utcnow())
    )
    if result.rowcount == 0:
        db.session.add(PublicDataVersion(id=1, version=1))
