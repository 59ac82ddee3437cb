"""Staff sign-in and sign-out."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from campaign.admin.access import bp
from campaign.admin.forms import CodeForm, LoginForm
from campaign.extensions import db, limiter
from campaign.models import StaffUser
from campaign.staff import accounts, second_factor, throttle

DEFAULT_LOGIN_LIMIT = "60 per 15 minutes"
LOGIN_FAILED = _l("E-Mail-Adresse oder Passwort stimmen nicht. Nach mehreren falschen Versuchen "
                  "ist die Anmeldung für einige Minuten gesperrt.")


def safe_next(target: str | None) -> str | None:
    """A relative admin path to return to after login, or None for anything that could leave."""
    if not target or not target.startswith("/admin") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    return target if not (parts.scheme or parts.netloc) else None


def _login_limit() -> str:
    return current_app.config.get("ADMIN_LOGIN_RATE_LIMIT", DEFAULT_LOGIN_LIMIT)


def start_session(staff) -> None:
    """A fresh session: nothing from before the login survives, not even the CSRF token."""
    session.clear()
    g.pop("csrf_token", None)
    login_user(staff)
    session.permanent = True


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    target = safe_next(request.values.get("next")) or url_for("admin.dashboard")
    if current_user.is_authenticated:
        return redirect(target, code=303)
    form = LoginForm()
    failed = False
    if request.method == "POST" and form.validate():
        staff = accounts.authenticate(form.email.data, form.password.data,
                                      throttle.client_key(request.remote_addr))
        db.session.commit()
        if staff is not None and staff.totp_secret:
            session.clear()
            session["second_factor"] = {"id": staff.id, "t": staff.session_token, "next": target,
                                        "until": time.time() + second_factor.PENDING_SECONDS}
            return redirect(url_for("admin.login_code"), code=303)
        if staff is not None:
            start_session(staff)
            return redirect(target, code=303)
        failed = True
    status = 400 if failed or form.errors else 200
    return render_template("admin/login.html", form=form, failed=failed and str(LOGIN_FAILED),
                           next=safe_next(request.values.get("next"))), status


def _pending_second_factor() -> StaffUser | None:
    pending = session.get("second_factor") or {}
    if pending.get("until", 0) < time.time() or not isinstance(pending.get("id"), int):
        return None
    staff = db.session.get(StaffUser, pending["id"])
    if staff is None or not staff.active or not staff.totp_secret:
        return None
    return staff if staff.session_token == pending.get("t") else None


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login_code():
    """Second step of the sign-in for accounts with a second factor."""
    staff = _pending_second_factor()
    if staff is None:
        session.pop("second_factor", None)
        flash(_("Melden Sie sich erneut mit E-Mail-Adresse und Passwort an."))
        return redirect(url_for("admin.login"), code=303)
    form = CodeForm()
    failed = False
    if request.method == "POST" and form.validate():
        accepted = second_factor.check_login_code(staff, form.code.data,
                                                  throttle.client_key(request.remote_addr))
        db.session.commit()
        if accepted:
            target = safe_next(session["second_factor"].get("next")) or url_for("admin.dashboard")
            start_session(staff)
            return redirect(target, code=303)
        failed = True
    return render_template("admin/login_code.html", form=form, failed=failed), (
        400 if failed or form.errors else 200)


@bp.post("/logout")
def logout():
    """End this and every other session of the account (CSRFProtect has checked the token)."""
    accounts.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Sie sind abgemeldet."))
    return redirect(url_for("admin.login"), code=303)
