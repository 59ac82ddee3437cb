"""Sticker downloads for staff: one entry's sticker, and the page that chooses a batch (the
batch itself is a background job: batch_views)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.admin.access import bp
from campaign.admin.entries import get_entry
from campaign.admin.filters import EntryFilters, wave_choices
from campaign.extensions import db
from campaign.models import Employer, Status
from campaign.stickers import batches
from campaign.stickers.batch_views import progress_text
from campaign.stickers.files import FORMAT_LABELS, printable_problem, sticker_download


def chosen_format(formats) -> str:
    fmt = request.args.get("format", "a6")
    return fmt if fmt in formats else "a6"


@bp.get("/aufkleber")
def stickers():
    filters = EntryFilters.from_args(request.args)
    if not request.args:
        filters.status, filters.sticker = [Status.PUBLISHED.value], ["needed"]
    count = db.session.scalar(db.select(db.func.count()).select_from(
        filters.apply(db.select(Employer.id)).subquery()))
    recent = [(job, progress_text(job)) for job in batches.recent()]
    return render_template("admin/stickers.html", filters=filters, count=count,
                           formats=FORMAT_LABELS, waves=wave_choices(), recent=recent)


@bp.get("/eintraege/<id:id>/aufkleber.pdf")
def sticker_pdf(id: int):
    employer = get_entry(id, need_private=False)
    problem = printable_problem(employer)
    if problem:
        flash(_("Der Aufkleber lässt sich so nicht drucken: %(problem)s Tragen Sie einen "
                "„Namen auf dem Aufkleber“ ein.", problem=problem))
        return redirect(url_for("admin.entry", id=id), code=303)
    return sticker_download(employer, chosen_format(FORMAT_LABELS))


@bp.get("/aufkleber.pdf")
def stickers_pdf():
    """The old GET download of a batch: batches are jobs now, started from the page."""
    return redirect(url_for("admin.stickers", **EntryFilters.from_args(request.args).query_args()),
                    code=303)
