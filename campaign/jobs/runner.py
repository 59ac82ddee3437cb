"""Run queued jobs: in a thread of the web process after the submitting request, or from
`flask campaign run-jobs`. Any number of runners may run at once; the lease keeps each job
in one place."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask, current_app

from campaign.extensions import db
from campaign.jobs import queue
from campaign.models import Job, JobState, utcnow

log = logging.getLogger(__name__)

Handler = Callable[[Job, queue.Steps], dict]
HANDLERS: dict[str, Handler] = {}
_background = threading.Lock()  # one background runner thread per process is enough


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register what a job of this kind does; it returns the job's result summary."""
    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function
    return register


def run_job(job: Job, owner: str) -> None:
    """Run one claimed job to its end; a failure is stored on the job, never raised."""
    job_id = job.id
    work = HANDLERS.get(job.kind)
    try:
        if work is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        result = work(job, queue.Steps(job, owner))
        queue.finish(job_id, owner, result)
    except queue.LeaseLost:
        log.warning("Job %s was taken over by another runner; this one stops", job_id)
    except Exception as exc:
        log.exception("Job %s failed", job_id)
        queue.fail(job_id, owner, f"{type(exc).__name__}: {exc}")


def run_pending(limit: int | None = None) -> int:
    """Claim and run jobs until none is left (or `limit` ran); return how many ran."""
    ran = 0
    while limit is None or ran < limit:
        owner = queue.new_owner()
        job = queue.claim_next(owner)
        if job is None:
            break
        run_job(job, owner)
        ran += 1
    return ran


def start(app: Flask | None = None) -> None:
    """After the submitting request committed: run queued jobs in a background thread (or right
    here when JOB_RUN_IN_BACKGROUND is off, as in tests)."""
    app = app or current_app._get_current_object()
    if not app.config["JOB_RUN_IN_BACKGROUND"]:
        run_pending()
        return
    if _background.locked():
        return  # the running thread picks the new job up before it ends
    threading.Thread(target=_run_in_background, args=(app,), daemon=True,
                     name="campaign-jobs").start()


def _run_in_background(app: Flask) -> None:
    if not _background.acquire(blocking=False):
        return
    try:
        with app.app_context():
            try:
                run_pending()
            finally:
                db.session.remove()
    except Exception:
        log.exception("Background job runner stopped")
    finally:
        _background.release()


def is_stalled(job: Job) -> bool:
    """Queued, or running with a lease nobody renewed: no runner is working on it."""
    return job.state == JobState.QUEUED or (
        job.state == JobState.RUNNING and job.lease_until is not None
        and job.lease_until < utcnow())
