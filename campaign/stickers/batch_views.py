"""A sticker batch for staff: start it, watch its progress, download the PDF (admin blueprint).

Whoever may print stickers (every staff role, like /admin/aufkleber) may start, watch and
download any batch; the job's id must belong to a sticker batch.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_number
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from campaign.admin.access import actor, bp, role_required
from campaign.admin.filters import EntryFilters
from campaign.core.downloads import content_disposition
from campaign.extensions import db
from campaign.jobs import runner
from campaign.jobs.staff_views import finished, load_job
from campaign.models import Job, JobState, Role
from campaign.stickers import batch_files, batches
from campaign.stickers.files import FORMAT_LABELS, FORMAT_SHORT

REFRESH_SECONDS = 2


@bp.post("/aufkleber/auftraege")
@role_required(Role.VIEWER)
def start_sticker_batch():
    filters = EntryFilters.from_args(request.form)
    fmt = request.form.get("format", "")
    if fmt not in FORMAT_LABELS:
        flash(_("Bitte wählen Sie ein Format."))
        return redirect(url_for("admin.stickers", **filters.query_args()), code=303)
    try:
        job = batches.submit(filters, fmt, actor())
    except batches.BatchRefused as refused:
        db.session.rollback()
        return _refused(filters, refused.unprintable)
    db.session.commit()
    runner.start()
    return redirect(url_for("admin.sticker_batch", id=job.id), code=303)


def _refused(filters: EntryFilters, unprintable: list[str]):
    if unprintable:
        names = ", ".join(unprintable[:batches.NAMES_SHOWN])
        if len(unprintable) > batches.NAMES_SHOWN:
            names += " " + _("und %(count)s weitere",
                             count=format_number(len(unprintable) - batches.NAMES_SHOWN))
        flash(_("Diese Namen lassen sich nicht drucken: %(names)s. Tragen Sie bei diesen "
                "Einträgen einen „Namen auf dem Aufkleber“ ein.", names=names))
    else:
        flash(_("Keine Einträge passen zu dieser Auswahl."))
    return redirect(url_for("admin.stickers", **filters.query_args()), code=303)


def _batch(id: int) -> Job:
    job = load_job(id)
    if job.kind != batches.JOB_KIND:
        abort(404)
    return job


def progress_text(job: Job) -> str:
    done, total = format_number(job.done), format_number(job.total)
    if job.state == JobState.QUEUED:
        return _("Wartet auf den Start … (%(total)s Aufkleber)", total=total)
    if job.state == JobState.DONE:
        return _("Fertig: %(count)s Aufkleber erstellt.",
                 count=format_number(job.result.get("count", 0)))
    if job.state == JobState.FAILED:
        return _("Abgebrochen nach %(done)s von %(total)s Aufklebern.", done=done, total=total)
    return _("Aufkleber werden erstellt: %(done)s von %(total)s", done=done, total=total)


def failure_reason(job: Job) -> str:
    """What staff can do about a failed batch: our own German message, or a technical one."""
    ours = f"{batches.BatchFailed.__name__}: "
    if job.error.startswith(ours):
        return job.error.removeprefix(ours)
    return _("Ein technischer Fehler (%(error)s). Versuchen Sie es noch einmal; kommt er wieder, "
             "melden Sie ihn dem technischen Team.", error=job.error)


@bp.get("/aufkleber/auftraege/<id:id>")
@role_required(Role.VIEWER)
def sticker_batch(id: int):
    job = _batch(id)
    downloads = batches.downloads(job) if job.state == JobState.DONE else []
    available = [d for d in downloads if batch_files.download_path(job.id, d.name)]
    return render_template(
        "admin/sticker_batch.html", job=job, text=progress_text(job), finished=finished(job),
        reason=failure_reason(job) if job.state == JobState.FAILED else "",
        downloads=available, expired=len(available) < len(downloads), refresh=REFRESH_SECONDS,
        filters=EntryFilters.from_args(_multidict(job.params.get("filters", {}))),
        format_short=FORMAT_SHORT.get(job.params.get("format"), ""),
        keep_hours=current_app.config["STICKER_BATCH_KEEP_HOURS"])


@bp.get("/aufkleber/auftraege/<id:id>.json")
@role_required(Role.VIEWER)
def sticker_batch_status(id: int):
    job = _batch(id)
    return jsonify(state=job.state, done=job.done, total=job.total, finished=finished(job),
                   text=progress_text(job), page=url_for("admin.sticker_batch", id=id))


@bp.get("/aufkleber/auftraege/<id:id>/<id:number>.pdf")
@role_required(Role.VIEWER)
def sticker_batch_pdf(id: int, number: int):
    job = _batch(id)
    downloads = batches.downloads(job) if job.state == JobState.DONE else []
    if not 1 <= number <= len(downloads):
        abort(404)
    download = downloads[number - 1]
    path = batch_files.download_path(job.id, download.name)
    if path is None:
        flash(_("Die Datei ist nicht mehr da. Erstellen Sie das PDF neu."))
        return redirect(url_for("admin.sticker_batch", id=id), code=303)
    response = send_file(path, mimetype="application/pdf", max_age=0)
    response.headers["Content-Disposition"] = content_disposition(
        batches.download_name(job, download))
    return response


def _multidict(query_args: dict):
    """The stored filters in the shape EntryFilters.from_args reads (getlist and get)."""
    return MultiDict([(key, item) for key, value in query_args.items()
                      for item in (value if isinstance(value, list) else [value])])
