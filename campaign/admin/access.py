"""The admin blueprint, its login guard and the role check every staff action goes through."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from campaign.core import audit
from campaign.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")

RANK = {Role.VIEWER: 0, Role.REVIEWER: 1, Role.ADMIN: 2}
OPEN_ENDPOINTS = frozenset({"admin.login", "admin.login_code"})


def has_role(role: Role, user=current_user) -> bool:
    """Whether the signed-in staff member may do what `role` may do."""
    if not user.is_authenticated:
        return False
    return RANK.get(Role(user.role), -1) >= RANK[role]


def sees_private_data(user=current_user) -> bool:
    """Contact data, consent records and notes are for reviewers and admins; viewers see the
    public fields and the states of entries only."""
    return has_role(Role.REVIEWER, user)


def role_required(role: Role):
    """Refuse the view with 403 unless the staff member has at least `role`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def actor() -> str:
    return audit.staff_actor(current_user.id)


@bp.before_request
def require_login():
    """Every admin page needs a signed-in staff member; only the login page is open."""
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("admin.login", next=target), code=303)


@bp.record_once
def register_helpers(state) -> None:
    state.app.jinja_env.globals.update(can=has_role, Role=Role,
                                       sees_private_data=sees_private_data)
