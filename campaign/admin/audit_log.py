"""The audit log: who did what, when; filterable by actor, action, entry and date."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import render_template, request

from campaign.admin.access import bp
from campaign.core.audit import actor_names
from campaign.core.params import int_param, page_param
from campaign.extensions import db
from campaign.models import AuditEntry

PER_PAGE = 100


def _date(value: str | None) -> datetime | None:
    try:
        return datetime.strptime(value or "", "%Y-%m-%d")
    except ValueError:
        return None


def audit_query(args):
    query = db.select(AuditEntry)
    if args.get("actor"):
        query = query.where(AuditEntry.actor == args["actor"][:60])
    if args.get("action"):
        query = query.where(AuditEntry.action.startswith(args["action"][:40], autoescape=True))
    if (employer_id := int_param(args.get("employer"))) is not None:
        query = query.where(AuditEntry.employer_id == employer_id)
    if start := _date(args.get("from")):
        query = query.where(AuditEntry.at >= start)
    if end := _date(args.get("to")):
        query = query.where(AuditEntry.at < end + timedelta(days=1))
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).distinct().order_by(
        AuditEntry.action)))


@bp.get("/protokoll")
def audit_log():
    page = db.paginate(audit_query(request.args), page=page_param(request.args), per_page=PER_PAGE,
                       error_out=False)
    return render_template("admin/audit.html", page=page, names=actor_names(),
                           actions=actions(), args=request.args,
                           page_args={k: v for k, v in request.args.items() if k != "page"})
