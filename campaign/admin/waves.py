"""Waves of invited companies: progress per wave and the CSV import."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import case

from campaign.admin.access import actor, bp, role_required
from campaign.admin.forms import ImportForm, WaveEndForm
from campaign.entries import imports, invitations, retention
from campaign.extensions import db
from campaign.jobs import runner
from campaign.models import Employer, EmployerPrivate, Role, Status, Wave


def wave_progress() -> list[dict]:
    """Per wave: invited, opened the link, registered, published."""
    count_if = lambda condition: db.func.sum(case((condition, 1), else_=0))  # noqa: E731
    rows = db.session.execute(
        db.select(Wave, db.func.count(EmployerPrivate.id),
                  count_if(EmployerPrivate.invitation_opened_at.is_not(None)),
                  count_if(Employer.status.not_in([Status.INVITED])),
                  count_if(Employer.status == Status.PUBLISHED))
        .join(Wave.members, isouter=True).join(EmployerPrivate.employer, isouter=True)
        .group_by(Wave.id).order_by(Wave.created_at.desc())).all()
    return [{"wave": w, "invited": n or 0, "opened": o or 0, "registered": r or 0,
             "published": p or 0} for w, n, o, r, p in rows]


@bp.get("/wellen")
def waves():
    return render_template("admin/waves.html", waves=wave_progress(), form=ImportForm(),
                           end_form=WaveEndForm(), wave_end=retention.wave_end)


@bp.post("/wellen/<id:wave_id>/ende")
@role_required(Role.ADMIN)
def set_wave_end(wave_id: int):
    wave = db.get_or_404(Wave, wave_id)
    form = WaveEndForm()
    if not form.validate():
        flash(_("Bitte geben Sie ein gültiges Datum ein, zum Beispiel 31.03.2027."), "error")
        return redirect(url_for("admin.waves"), code=303)
    invitations.set_wave_end(wave, form.ends_on.data, actor())
    db.session.commit()
    flash(_("Das Ende der Welle „%(name)s“ ist gespeichert.", name=wave.name))
    return redirect(url_for("admin.waves"), code=303)


@bp.route("/wellen/import", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def import_wave():
    form = ImportForm()
    problems = []
    if request.method == "POST" and form.validate():
        try:
            job = imports.queue_import(form.file.data.read(), form.wave.data,
                                       current_app.extensions["campaign_city"], actor())
            db.session.commit()
        except imports.ImportRefused as refused:
            db.session.rollback()
            problems = refused.problems
        else:
            flash(_("Die Datei ist in Ordnung: %(count)d Betriebe. Der Import läuft, jede "
                    "Einladung geht hinaus, sobald ihre Zeile fertig ist.", count=job.total))
            runner.start()
            return redirect(url_for("admin.job", id=job.id), code=303)
    status = 400 if problems or form.errors else 200
    return render_template("admin/import.html", form=form, problems=problems), status
