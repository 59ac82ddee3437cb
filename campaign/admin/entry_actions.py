"""Buttons on one entry's page: pause, publish again, delete, notes and sticker status."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from campaign.admin.access import actor, bp, role_required
from campaign.admin.entries import get_entry
from campaign.admin.forms import NotesForm, StickerForm
from campaign.entries import decisions as operations
from campaign.extensions import db
from campaign.models import Role, StickerStatus


def _back(id: int):
    return redirect(url_for("admin.entry", id=id), code=303)


def _act(id: int, operation, done: str):
    employer = get_entry(id)
    try:
        operation(employer, actor())
        db.session.commit()
        flash(done)
    except operations.NotPossible as problem:
        db.session.rollback()
        flash(str(problem))
    return _back(id)


@bp.post("/eintraege/<id:id>/pausieren")
@role_required(Role.REVIEWER)
def pause(id: int):
    return _act(id, operations.pause, _("Der Eintrag ist pausiert und nicht mehr öffentlich."))


@bp.post("/eintraege/<id:id>/fortsetzen")
@role_required(Role.REVIEWER)
def resume(id: int):
    return _act(id, operations.resume, _("Der Eintrag ist wieder öffentlich."))


@bp.post("/eintraege/<id:id>/loeschen")
@role_required(Role.ADMIN)
def delete(id: int):
    employer = get_entry(id, need_private=False)
    name = employer.name
    operations.delete(employer, actor())
    db.session.commit()
    flash(_("„%(name)s“ ist gelöscht.", name=name))
    return redirect(url_for("admin.entries"), code=303)


@bp.post("/eintraege/<id:id>/notiz")
@role_required(Role.REVIEWER)
def notes(id: int):
    employer = get_entry(id)
    form = NotesForm()
    if not form.validate():
        flash(form.internal_notes.errors[0])
        return _back(id)
    operations.save_notes(employer, form.internal_notes.data, actor())
    db.session.commit()
    flash(_("Die Notiz ist gespeichert."))
    return _back(id)


@bp.post("/eintraege/<id:id>/aufkleber")
@role_required(Role.REVIEWER)
def sticker_status(id: int):
    employer = get_entry(id)
    form = StickerForm()
    if not form.validate():
        abort(400)
    operations.set_sticker_status([employer], StickerStatus(form.sticker_status.data), actor())
    db.session.commit()
    flash(_("Der Stand des Aufklebers ist gespeichert."))
    return _back(id)
