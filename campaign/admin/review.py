"""The review queue and the decision on one entry."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import String, cast, or_
from sqlalchemy.orm import contains_eager

from campaign.admin.access import actor, bp, role_required
from campaign.admin.conflicts import keeps_input_on_conflict
from campaign.admin.forms import DecisionForm
from campaign.admin.labels import CONFLICT, DECISION_DONE
from campaign.core.params import page_param
from campaign.entries import decisions as operations
from campaign.entries.lifecycle import PUBLIC_FIELDS
from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, Role, Status

NO_CHANGES = ("{}", "null", "")


def queue_query():
    """Pending entries first, then published entries with changes; oldest first."""
    has_changes = cast(EmployerPrivate.pending_changes, String).not_in(NO_CHANGES)
    waiting = db.func.coalesce(EmployerPrivate.consent_confirmed_at, Employer.created_at)
    return (db.select(Employer).join(Employer.private).options(contains_eager(Employer.private))
            .where(or_(Employer.status == Status.PENDING,
                       Employer.status.in_([Status.PUBLISHED, Status.PAUSED]) & has_changes))
            .order_by((Employer.status != Status.PENDING), waiting, Employer.id))


@bp.get("/pruefen")
def queue():
    page = db.paginate(queue_query(), page=page_param(request.args), per_page=50,
                       error_out=False)
    return render_template("admin/queue.html", page=page)


def changes_of(employer: Employer) -> list[tuple[str, object, object]]:
    """(field, published value, proposed value) for each change waiting for review."""
    pending = employer.private.pending_changes or {}
    return [(key, getattr(employer, key), pending[key]) for key in PUBLIC_FIELDS if key in pending]


@bp.get("/pruefen/<id:id>")
def review(id: int):
    employer = db.get_or_404(Employer, id)
    if employer.private is None:
        abort(404)
    return _review_page(employer, DecisionForm(version=str(employer.version)))


def _review_page(employer: Employer, form: DecisionForm, **extra) -> str:
    return render_template("admin/review.html", employer=employer, form=form,
                           changes=changes_of(employer),
                           waiting=operations.needs_review(employer), **extra)


def decide_again(id: int) -> str:
    """The decision form with the reviewer's message, on the entry's new state."""
    employer = db.get_or_404(Employer, id)
    form = DecisionForm()
    form.version.data = str(employer.version)
    return _review_page(employer, form, conflict=[],
                        conflict_title=_("Nicht entschieden: der Eintrag hat sich geändert"),
                        conflict_text=CONFLICT)


@bp.post("/pruefen/<id:id>/entscheidung")
@role_required(Role.REVIEWER)
@keeps_input_on_conflict(decide_again)
def decide(id: int):
    employer = db.get_or_404(Employer, id)
    form = DecisionForm()
    if not form.validate():
        return _review_page(employer, form), 400
    name = employer.name
    try:
        operations.decide(employer, form.decision.data, form.message.data, form.seen_version(),
                          actor())
        db.session.commit()
    except operations.NotPossible as problem:
        db.session.rollback()
        flash(str(problem))
        return redirect(url_for("admin.review", id=id), code=303)
    flash(str(DECISION_DONE[done_message_key(form.decision.data, employer)]) % {"name": name})
    return redirect(url_for("admin.queue"), code=303)


def done_message_key(decision: str, employer: Employer) -> str:
    """Say "auf der Karte sichtbar" only when the entry really is on the map, and how exactly."""
    if decision != "approve":
        return decision
    if not employer.is_on_map:
        return "approve_list_only"
    return "approve_approximate" if employer.location_is_approximate else "approve"
