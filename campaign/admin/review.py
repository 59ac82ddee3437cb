"""The review queue and the decision on one entry."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import String, cast, or_
from sqlalchemy.orm.exc import StaleDataError

from campaign.admin.access import actor, bp, role_required
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
    return (db.select(Employer).join(Employer.private)
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
    form = DecisionForm(version=str(employer.version))
    return render_template("admin/review.html", employer=employer, form=form,
                           changes=changes_of(employer),
                           waiting=operations.needs_review(employer))


@bp.post("/pruefen/<id:id>/entscheidung")
@role_required(Role.REVIEWER)
def decide(id: int):
    employer = db.get_or_404(Employer, id)
    form = DecisionForm()
    if not form.validate():
        return render_template("admin/review.html", employer=employer, form=form,
                               changes=changes_of(employer),
                               waiting=operations.needs_review(employer)), 400
    name = employer.name
    try:
        operations.decide(employer, form.decision.data, form.message.data, form.seen_version(),
                          actor())
        db.session.commit()
    except (operations.Conflict, StaleDataError):
        db.session.rollback()
        flash(str(CONFLICT))
        return redirect(url_for("admin.review", id=id), code=303)
    except operations.NotPossible as problem:
        db.session.rollback()
        flash(str(problem))
        return redirect(url_for("admin.review", id=id), code=303)
    flash(str(DECISION_DONE[form.decision.data]) % {"name": name})
    return redirect(url_for("admin.queue"), code=303)
