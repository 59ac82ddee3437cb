"""Staff pages for consultation points under /admin/beratung: list, new, edit, delete.

Everyone on the team reads; reviewers and admins change (as for entries)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.admin.access import actor, bp, role_required
from campaign.consultations import operations
from campaign.consultations.forms import RULES, ConsultationForm
from campaign.consultations.views import schedule_lines
from campaign.core.forms import ActionForm
from campaign.extensions import db
from campaign.models import ConsultationPoint, Role


@bp.get("/beratung")
def consultations():
    points = db.session.scalars(db.select(ConsultationPoint).order_by(
        ConsultationPoint.quarter, ConsultationPoint.title)).all()
    return render_template("admin/consultations.html", points=points,
                           schedule_lines=schedule_lines)


@bp.route("/beratung/neu", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def new_consultation():
    form = ConsultationForm()
    if request.method == "POST" and form.validate():
        point = operations.create(form.values(), actor())
        db.session.commit()
        flash(_("Der Beratungsort „%(title)s“ ist angelegt.", title=point.title))
        return redirect(url_for("admin.consultations"), code=303)
    return _form_page(form, None)


@bp.route("/beratung/<id:id>/bearbeiten", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def edit_consultation(id: int):
    point = db.get_or_404(ConsultationPoint, id)
    form = ConsultationForm()
    if request.method == "GET":
        form.fill_from(point)
    elif form.validate():
        changed = operations.update(point, form.values(), actor())
        db.session.commit()
        flash(_("Die Änderungen sind gespeichert (%(count)d Felder).", count=len(changed)))
        return redirect(url_for("admin.consultations"), code=303)
    return _form_page(form, point)


def _form_page(form: ConsultationForm, point: ConsultationPoint | None):
    status = 400 if form.errors else 200
    return render_template("admin/consultation_edit.html", form=form, point=point,
                           rules=range(1, RULES + 1)), status


@bp.route("/beratung/<id:id>/loeschen", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def delete_consultation(id: int):
    point = db.get_or_404(ConsultationPoint, id)
    form = ActionForm()
    if request.method == "GET":
        return render_template("admin/consultation_delete.html", point=point, form=form)
    if not form.validate():
        abort(400)
    title = point.title
    operations.delete(point, actor())
    db.session.commit()
    flash(_("Der Beratungsort „%(title)s“ ist gelöscht.", title=title))
    return redirect(url_for("admin.consultations"), code=303)
