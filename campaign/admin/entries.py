"""All entries: the filtered list, one entry's page and the staff edit form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from campaign.admin.access import actor, bp, role_required, sees_private_data
from campaign.admin.conflicts import keeps_input_on_conflict
from campaign.admin.filters import EntryFilters, wave_choices
from campaign.admin.forms import EntryForm, NotesForm, StickerForm
from campaign.admin.labels import CONFLICT
from campaign.core.audit import actor_names
from campaign.core.forms import ActionForm
from campaign.core.params import page_param
from campaign.entries import decisions as operations
from campaign.extensions import db
from campaign.geocoding import placement
from campaign.models import AuditEntry, Employer, Role

PER_PAGE = 50


def get_entry(id: int, need_private: bool = True) -> Employer:
    employer = db.get_or_404(Employer, id)
    if need_private and employer.private is None:
        abort(404)
    return employer


@bp.get("/eintraege")
def entries():
    filters = EntryFilters.from_args(request.args, search_private=sees_private_data())
    query = filters.apply(db.select(Employer)).options(contains_eager(Employer.private))
    page = db.paginate(query, page=page_param(request.args), per_page=PER_PAGE, error_out=False)
    return render_template("admin/entries.html", page=page, filters=filters,
                           waves=wave_choices(), action_form=ActionForm())


def history(employer_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.employer_id == employer_id).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())))


@bp.get("/eintraege/<id:id>")
def entry(id: int):
    employer = get_entry(id, need_private=False)
    notes = NotesForm(internal_notes=employer.private.internal_notes
                      if employer.private and sees_private_data() else "")
    sticker = StickerForm(sticker_status=employer.private.sticker_status
                          if employer.private else "none")
    return render_template("admin/entry.html", employer=employer, notes_form=notes,
                           sticker_form=sticker, action_form=ActionForm(),
                           history=history(id), names=actor_names(),
                           needs_review=employer.private is not None
                           and operations.needs_review(employer))


def edit_again(id: int):
    """The edit form with the staff member's input, on the entry's new state (after a conflict)."""
    employer = get_entry(id)
    form = EntryForm()
    form.validate()
    conflict = form.differences(employer)
    form.version.data = str(employer.version)
    return render_template("admin/edit.html", employer=employer, form=form, conflict=conflict,
                           conflict_title=_("Nicht gespeichert: der Eintrag hat sich geändert"),
                           conflict_text=CONFLICT)


@bp.route("/eintraege/<id:id>/bearbeiten", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
@keeps_input_on_conflict(edit_again)
def edit(id: int):
    employer = get_entry(id)
    form = EntryForm()
    if request.method == "GET":
        form.fill_from(employer)
    elif form.validate():
        return _save(employer, form)
    return render_template("admin/edit.html", employer=employer, form=form), (
        400 if form.errors else 200)


def _save(employer: Employer, form: EntryForm):
    details = form.details()
    db.session.commit()  # hold no write lock while the geocoder answers
    placement.place(details.public, current=employer)
    try:
        changed = operations.staff_edit(employer, details, form.extras(),
                                        form.seen_version(), actor())
        db.session.commit()
    except operations.NotPossible as problem:
        db.session.rollback()
        form.contact_email.errors = [str(problem)]
        return render_template("admin/edit.html", employer=employer, form=form), 400
    flash(_("Die Änderungen sind gespeichert (%(count)d Felder).", count=len(changed)))
    return redirect(url_for("admin.entry", id=employer.id), code=303)
