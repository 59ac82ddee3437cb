"""Staff accounts: sign-in (throttled per client, see throttle.py), and the admin's account
management. Add and flush only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from campaign.core import audit
from campaign.extensions import db
from campaign.models import Role, StaffUser, new_nonce, utcnow
from campaign.staff import throttle
from campaign.staff.passwords import dummy_verify, hash_password, needs_rehash, verify_password


class AccountProblem(Exception):
    """A staff account change that cannot be made; the message is for the admin."""


def find_staff(email: str) -> StaffUser | None:
    return db.session.scalar(db.select(StaffUser).where(StaffUser.email == email.strip().lower()))


def authenticate(email: str, password: str, client: str) -> StaffUser | None:
    """The staff member for these credentials, or None; every refusal costs the same time.

    `client` is throttle.client_key() of the request's address.
    """
    now = utcnow()
    staff = find_staff(email)
    if throttle.is_throttled(staff.id if staff else None, client, now):
        dummy_verify(password)
        return None
    if staff is None or not staff.active:
        dummy_verify(password)
        count_failure(None, client, now)
        return None
    if not verify_password(staff.password_hash, password):
        count_failure(staff, client, now)
        return None
    staff.last_login_at = now
    if not staff.totp_secret:  # with a second factor, only the right code clears the failures
        throttle.record_success(staff, client)
    if needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    audit.record(audit.staff_actor(staff.id), "staff_login")
    return staff


def count_failure(staff: StaffUser | None, client: str, now) -> None:
    throttle.record_failure(staff, client, now)
    if staff is not None:
        audit.record(audit.SYSTEM, "staff_login_failed", staff_id=staff.id,
                     failures=throttle.account_failures(staff.id, now))


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
