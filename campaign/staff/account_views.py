"""Staff accounts: admins add people, change roles, lock accounts; everyone changes their password."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.admin.access import actor, bp, role_required
from campaign.admin.forms import PasswordForm, RoleForm, StaffForm
from campaign.core.forms import ActionForm
from campaign.extensions import db
from campaign.models import Role, StaffUser
from campaign.staff import accounts
from campaign.staff.login_views import start_session
from campaign.staff.passwords import verify_password


def _team_page(form: StaffForm, status: int = 200):
    team = db.session.scalars(db.select(StaffUser).order_by(StaffUser.email)).all()
    return render_template("admin/staff.html", team=team, form=form, action_form=ActionForm(),
                           role_forms={s.id: RoleForm(role=s.role, prefix=f"s{s.id}")
                                       for s in team}), status


@bp.get("/team")
@role_required(Role.ADMIN)
def staff():
    return _team_page(StaffForm())


@bp.post("/team")
@role_required(Role.ADMIN)
def add_staff():
    form = StaffForm()
    if not form.validate():
        return _team_page(form, 400)
    try:
        accounts.create_staff(form.email.data, form.password.data, Role(form.role.data), actor())
    except accounts.AccountProblem as problem:
        form.email.errors = [str(problem)]
        return _team_page(form, 400)
    db.session.commit()
    flash(_("Das Konto für %(email)s ist angelegt.", email=form.email.data))
    return redirect(url_for("admin.staff"), code=303)


def _change(id: int, change, done: str):
    member = db.get_or_404(StaffUser, id)
    try:
        change(member)
        db.session.commit()
        flash(done % {"email": member.email})
    except accounts.AccountProblem as problem:
        db.session.rollback()
        flash(str(problem))
    return redirect(url_for("admin.staff"), code=303)


@bp.post("/team/<id:id>/rolle")
@role_required(Role.ADMIN)
def change_role(id: int):
    form = RoleForm(prefix=f"s{id}")
    if not form.validate():
        abort(400)
    return _change(id, lambda m: accounts.change_role(m, Role(form.role.data), actor()),
                   _("Die Rolle von %(email)s ist geändert."))


@bp.post("/team/<id:id>/sperren")
@role_required(Role.ADMIN)
def deactivate(id: int):
    return _change(id, lambda m: accounts.set_active(m, False, actor()),
                   _("%(email)s ist gesperrt und überall abgemeldet."))


@bp.post("/team/<id:id>/entsperren")
@role_required(Role.ADMIN)
def activate(id: int):
    return _change(id, lambda m: accounts.set_active(m, True, actor()),
                   _("%(email)s kann sich wieder anmelden."))


@bp.route("/passwort", methods=["GET", "POST"])
def password():
    form = PasswordForm()
    me = current_user._get_current_object()
    if form.validate_on_submit():
        if verify_password(me.password_hash, form.current.data):
            accounts.change_password(me, form.password.data)
            db.session.commit()
            start_session(me)
            flash(_("Ihr Passwort ist geändert. Alle anderen Sitzungen sind beendet."))
            return redirect(url_for("admin.dashboard"), code=303)
        form.current.errors = [_("Das bisherige Passwort stimmt nicht")]
    return render_template("admin/password.html", form=form), 400 if form.errors else 200
