"""Staff accounts: sign-in with backoff, and the admin's account management. Add and flush only."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from campaign.core import audit
from campaign.extensions import db
from campaign.models import Role, StaffUser, new_nonce, utcnow
from campaign.staff.passwords import dummy_verify, hash_password, needs_rehash, verify_password

FREE_ATTEMPTS = 5
FIRST_PAUSE_SECONDS = 30
LONGEST_PAUSE_SECONDS = 15 * 60


class AccountProblem(Exception):
    """A staff account change that cannot be made; the message is for the admin."""


def find_staff(email: str) -> StaffUser | None:
    return db.session.scalar(db.select(StaffUser).where(StaffUser.email == email.strip().lower()))


def pause_after(failures: int) -> timedelta | None:
    """How long the account waits after this many failures in a row; it never locks for good."""
    if failures < FREE_ATTEMPTS:
        return None
    seconds = FIRST_PAUSE_SECONDS * 2 ** (failures - FREE_ATTEMPTS)
    return timedelta(seconds=min(seconds, LONGEST_PAUSE_SECONDS))


def is_paused(staff: StaffUser, now: datetime) -> bool:
    return staff.locked_until is not None and staff.locked_until > now


def authenticate(email: str, password: str) -> StaffUser | None:
    """The staff member for these credentials, or None; every refusal costs the same time."""
    now = utcnow()
    staff = find_staff(email)
    if staff is None or not staff.active or is_paused(staff, now):
        dummy_verify(password)
        return None
    if not verify_password(staff.password_hash, password):
        count_failure(staff, now)
        return None
    staff.failed_logins, staff.locked_until, staff.last_login_at = 0, None, now
    if needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    audit.record(audit.staff_actor(staff.id), "staff_login")
    return staff


def count_failure(staff: StaffUser, now: datetime) -> None:
    staff.failed_logins += 1
    pause = pause_after(staff.failed_logins)
    staff.locked_until = now + pause if pause else None
    audit.record(audit.SYSTEM, "staff_login_failed", staff_id=staff.id,
                 failures=staff.failed_logins)


def end_sessions(staff: StaffUser) -> None:
    """Rotate the session token: every cookie of this account stops working."""
    staff.session_token = new_nonce()


def create_staff(email: str, password: str, role: Role, actor: str) -> StaffUser:
    address = email.strip().lower()
    if find_staff(address) is not None:
        raise AccountProblem(_l("Es gibt schon ein Konto für %(address)s", address=address))
    staff = StaffUser(email=address, password_hash=hash_password(password), role=role)
    db.session.add(staff)
    db.session.flush()
    audit.record(actor, "staff_created", staff_id=staff.id, role=str(role))
    return staff


def change_role(staff: StaffUser, role: Role, actor: str) -> None:
    _refuse_last_admin(staff, role == Role.ADMIN and staff.active)
    staff.role = role
    end_sessions(staff)
    audit.record(actor, "staff_role_changed", staff_id=staff.id, role=str(role))


def set_active(staff: StaffUser, active: bool, actor: str) -> None:
    _refuse_last_admin(staff, active and staff.role == Role.ADMIN)
    staff.active = active
    staff.failed_logins, staff.locked_until = 0, None
    end_sessions(staff)
    audit.record(actor, "staff_activated" if active else "staff_deactivated", staff_id=staff.id)


def change_password(staff: StaffUser, password: str) -> None:
    staff.password_hash = hash_password(password)
    end_sessions(staff)
    audit.record(audit.staff_actor(staff.id), "staff_password_changed")


def _refuse_last_admin(staff: StaffUser, stays_admin: bool) -> None:
    if stays_admin or staff.role != Role.ADMIN or not staff.active:
        return
    admins = db.session.scalar(db.select(db.func.count()).select_from(StaffUser).where(
        StaffUser.role == Role.ADMIN, StaffUser.active.is_(True)))
    if admins <= 1:
        raise AccountProblem(_l("Das letzte aktive Admin-Konto muss bleiben"))
