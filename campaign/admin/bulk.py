"""Actions on a selection of entries, and the CSV export."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, stream_with_context, url_for
from flask_babel import gettext as _
from sqlalchemy import Select

from campaign.admin.access import actor, bp, role_required, sees_private_data
from campaign.admin.filters import EntryFilters
from campaign.core import audit
from campaign.core.downloads import content_disposition
from campaign.core.params import int_params
from campaign.entries import decisions as operations
from campaign.entries import exports
from campaign.extensions import db
from campaign.models import Employer, Role, StickerStatus, utcnow

MAX_SELECTION = 1000


def selected_ids() -> list[int]:
    ids = int_params(request.form.getlist("ids"))
    if len(ids) > MAX_SELECTION:
        abort(400)
    return ids


def selected() -> list[Employer]:
    ids = selected_ids()
    if not ids:
        return []
    return list(db.session.scalars(db.select(Employer).where(Employer.id.in_(ids))))


def seen_versions() -> dict[int, int]:
    """The version of each entry as the list showed it ("id:version" per row)."""
    seen = {}
    for value in request.form.getlist("seen"):
        entry_id, _sep, version = value.partition(":")
        if value.isascii() and entry_id.isdigit() and version.isdigit():
            seen[int(entry_id)] = int(version)
    return seen


def _list_url():
    return url_for("admin.entries", **EntryFilters.from_args(request.args).query_args())


@bp.post("/eintraege/auswahl")
@role_required(Role.REVIEWER)
def bulk():
    employers, action = selected(), request.form.get("action", "")
    if not employers:
        flash(_("Wählen Sie zuerst mindestens einen Eintrag aus."))
        return redirect(_list_url(), code=303)
    message = _run(action, employers)
    db.session.commit()
    flash(message)
    return redirect(_list_url(), code=303)


def _run(action: str, employers: list[Employer]) -> str:
    if action == "approve":
        done = operations.bulk_approve(employers, seen_versions(), actor())
        return _("%(done)d von %(total)d Einträgen freigegeben. Die anderen warteten nicht auf "
                 "eine Prüfung.", done=done, total=len(employers))
    if action != "sticker":
        abort(400)
    status = request.form.get("sticker_status", "")
    if status not in {s.value for s in StickerStatus}:
        return _("Wählen Sie aus, welchen Stand die Aufkleber haben sollen.")
    done = operations.set_sticker_status(employers, StickerStatus(status), actor())
    return _("Aufkleber bei %(done)d Einträgen geändert.", done=done)


@bp.post("/export.csv")
def export():
    """The selection, or else every entry matching the list's filters, as CSV (streamed)."""
    include_private = sees_private_data()
    query, count = export_query()
    audit.record(actor(), "exported", count=count, private=include_private)
    # Committed before any entry is loaded: a commit during the stream would expire every
    # entry read so far and load each one again.
    db.session.commit()
    body = stream_with_context(exports.streamed_csv(query, include_private))
    name = f"alle-tueren-offen-{utcnow():%Y-%m-%d}.csv"
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": content_disposition(name)})


def export_query() -> tuple[Select, int]:
    """The entries to export (joined to their private data) and how many there are."""
    if ids := selected_ids():
        query = (db.select(Employer).join(Employer.private, isouter=True)
                 .where(Employer.id.in_(ids)).order_by(Employer.id))
        if count := _count(query):
            return query, count
    filters = EntryFilters.from_args(request.args, search_private=sees_private_data())
    query = filters.apply(db.select(Employer))
    return query, _count(query)


def _count(query: Select) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(
        query.order_by(None).subquery()))
