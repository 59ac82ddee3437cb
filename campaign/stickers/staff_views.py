"""Sticker downloads for staff: one entry's sticker, or a batch chosen by filters."""

from __future__ import annotations

import tempfile

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from campaign.admin.access import bp
from campaign.admin.entries import get_entry
from campaign.admin.filters import EntryFilters, wave_choices
from campaign.core.downloads import content_disposition
from campaign.extensions import db
from campaign.models import Employer, Status
from campaign.stickers.files import (
    FORMAT_LABELS,
    branding,
    printable_problem,
    sticker_data,
    sticker_download,
)
from campaign.stickers.pdf import render_batch

MAX_BATCH = 2000


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
    return render_template("admin/stickers.html", filters=filters, count=count,
                           formats=FORMAT_LABELS, waves=wave_choices())


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
    filters = EntryFilters.from_args(request.args)
    employers = list(db.session.scalars(filters.apply(db.select(Employer)).limit(MAX_BATCH)))
    unprintable = [e for e in employers if printable_problem(e)]
    if unprintable or not employers:
        return _batch_refused(filters, unprintable)
    fmt = chosen_format(FORMAT_LABELS)
    out = tempfile.TemporaryFile()  # noqa: SIM115 (send_file closes it after streaming)
    count = render_batch((sticker_data(e) for e in employers), out, fmt, branding=branding())
    out.seek(0)
    response = send_file(out, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(f"aufkleber-{fmt}-{count}.pdf")
    return response


def _batch_refused(filters: EntryFilters, unprintable: list[Employer]):
    if unprintable:
        names = ", ".join(e.name for e in unprintable[:10])
        flash(_("Diese Namen lassen sich nicht drucken: %(names)s. Tragen Sie bei diesen "
                "Einträgen einen „Namen auf dem Aufkleber“ ein.", names=names))
    else:
        flash(_("Keine Einträge passen zu dieser Auswahl."))
    return redirect(url_for("admin.stickers", **filters.query_args()), code=303)
