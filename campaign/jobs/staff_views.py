"""The progress page of a background job and its JSON for polling (on the admin blueprint)."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, url_for

from campaign.admin.access import bp, role_required
from campaign.extensions import db
from campaign.jobs import queue, runner
from campaign.models import Job, JobItem, JobState, Role

REFRESH_SECONDS = 2


def load_job(id: int) -> Job:
    """The job, or 404; a job whose runner stopped renewing its lease gets a new runner."""
    job = db.get_or_404(Job, id)
    if runner.is_stalled(job):
        runner.start(current_app._get_current_object())  # e.g. the worker that ran it died
        db.session.expire(job)
    return job


def finished(job: Job) -> bool:
    return job.state in (JobState.DONE, JobState.FAILED)


@bp.get("/auftraege/<id:id>")
@role_required(Role.ADMIN)
def job(id: int):
    job = load_job(id)
    items = list(db.session.scalars(db.select(JobItem).where(JobItem.job_id == id)
                                    .order_by(JobItem.position))) if finished(job) else []
    return render_template("admin/job.html", job=job, items=items, counts=queue.counts(job),
                           finished=finished(job), refresh=REFRESH_SECONDS)


@bp.get("/auftraege/<id:id>.json")
@role_required(Role.ADMIN)
def job_status(id: int):
    job = load_job(id)
    return jsonify(state=job.state, done=job.done, total=job.total, finished=finished(job),
                   counts=queue.counts(job), page=url_for("admin.job", id=id))
