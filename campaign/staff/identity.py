"""Staff identity for Flask-Login. The session holds "<id>:<session_token>", so rotating the
token (logout everywhere, password change, deactivation) ends every session of the account."""

from __future__ import annotations

from campaign.core.params import int_param
from campaign.extensions import db, login
from campaign.models import StaffUser


def load_staff(identity: str) -> StaffUser | None:
    staff_id, _, token = (identity or "").partition(":")
    staff_id = int_param(staff_id)
    if staff_id is None or not token:
        return None
    staff = db.session.get(StaffUser, staff_id)
    if staff is None or not staff.active or staff.session_token != token:
        return None
    return staff


def init_app(app) -> None:
    login.user_loader(load_staff)
    login.login_view = "admin.login"
    login.login_message = None
    login.session_protection = None  # the rotating session token does this job
