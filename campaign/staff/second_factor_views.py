"""Staff set up or switch off their own second factor."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.admin.access import bp
from campaign.admin.forms import CodeForm
from campaign.core import audit
from campaign.extensions import db
from campaign.staff import second_factor


@bp.route("/zwei-faktor", methods=["GET", "POST"])
def second_factor_setup():
    staff = current_user._get_current_object()
    if staff.totp_secret:
        return render_template("admin/second_factor.html", form=CodeForm(), enabled=True)
    secret = second_factor.setup_secret(staff, current_app.config["SECRET_KEY"])
    form = CodeForm()
    failed = request.method == "POST" and form.validate() and not second_factor.enable(
        staff, secret, form.code.data)
    if request.method == "POST" and form.validate() and not failed:
        db.session.commit()
        flash(_("Die Zwei-Faktor-Anmeldung ist eingerichtet. Ab jetzt fragen wir beim Anmelden "
                "nach dem Code aus Ihrer App."))
        return redirect(url_for("admin.dashboard"), code=303)
    return render_template(
        "admin/second_factor.html", form=form, enabled=False, failed=failed,
        qr_svg=second_factor.provisioning_svg(secret, staff.email),
        secret=second_factor.grouped(secret)), 400 if failed or form.errors else 200


@bp.post("/zwei-faktor/aus")
def second_factor_off():
    staff = current_user._get_current_object()
    form = CodeForm()
    if not (form.validate() and staff.totp_secret
            and second_factor.matching_step(staff.totp_secret, form.code.data) is not None):
        flash(_("Der Code stimmt nicht. Die Zwei-Faktor-Anmeldung bleibt eingeschaltet."))
        return redirect(url_for("admin.second_factor_setup"), code=303)
    second_factor.disable(staff, audit.staff_actor(staff.id))
    db.session.commit()
    flash(_("Die Zwei-Faktor-Anmeldung ist ausgeschaltet."))
    return redirect(url_for("admin.second_factor_setup"), code=303)
