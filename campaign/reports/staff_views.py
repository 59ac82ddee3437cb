"""Problem reports from the public ("door was closed", "data wrong"): read and mark as done."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from campaign.admin.access import actor, bp, role_required
from campaign.core import audit
from campaign.core.forms import ActionForm
from campaign.extensions import db
from campaign.models import ProblemReport, Role, utcnow
from campaign.reports.views import KINDS, open_reports

SHOWN = 200


@bp.get("/meldungen")
def problem_reports():
    rows = db.session.execute(open_reports().limit(SHOWN)).all()
    total = db.session.scalar(db.select(db.func.count()).select_from(
        open_reports().subquery()))
    return render_template("admin/reports.html", rows=rows, total=total, kinds=KINDS,
                           form=ActionForm())


@bp.post("/meldungen/<id:id>/erledigt")
@role_required(Role.REVIEWER)
def resolve_report(id: int):
    if not ActionForm().validate():
        abort(400)
    report = db.get_or_404(ProblemReport, id)
    if report.resolved_at is None:
        report.resolved_at = utcnow()
        audit.record(actor(), "report_resolved", report.employer_id, report=report.id)
        db.session.commit()
    flash(_("Die Meldung ist als erledigt markiert."))
    return redirect(url_for("admin.problem_reports"), code=303)
