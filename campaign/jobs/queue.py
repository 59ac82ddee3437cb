"""The job table as a queue: submit, claim with a lease, record steps, finish. Each function
commits its own small transaction, because a job's progress must survive a crash."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from campaign.extensions import db
from campaign.models import Job, JobItem, JobState, utcnow

ERROR_MAX = 300


class LeaseLost(Exception):
    """Another runner owns the job now (ours was too slow or presumed dead): stop at once."""


def submit(kind: str, params: dict, total: int, actor: str) -> Job:
    """Add a queued job (add/flush; the caller commits, then starts a runner)."""
    job = Job(kind=kind, params=params, total=total, created_by=actor, state=JobState.QUEUED)
    db.session.add(job)
    db.session.flush()
    return job


def _lease_end():
    return utcnow() + timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"])


def new_owner() -> str:
    return secrets.token_hex(8)


def claimable():
    """Queued jobs, and running ones whose runner stopped renewing its lease."""
    return or_(Job.state == JobState.QUEUED,
               (Job.state == JobState.RUNNING) & (Job.lease_until < utcnow()))


def claim_next(owner: str) -> Job | None:
    """Take the oldest claimable job; a conditional UPDATE makes the claim atomic."""
    candidates = db.session.scalars(
        db.select(Job.id).where(claimable()).order_by(Job.id).limit(5)).all()
    db.session.rollback()
    for job_id in candidates:
        result = db.session.execute(
            update(Job).where(Job.id == job_id, claimable())
            .values(state=JobState.RUNNING, lease_owner=owner, lease_until=_lease_end(),
                    attempts=Job.attempts + 1,
                    started_at=db.func.coalesce(Job.started_at, utcnow())))
        db.session.commit()
        if result.rowcount == 1:
            return db.session.get(Job, job_id)
    return None


def _renew(job_id: int, owner: str, **values) -> None:
    """Extend our lease (and set values) in the current transaction, or raise LeaseLost."""
    result = db.session.execute(
        update(Job).where(Job.id == job_id, Job.lease_owner == owner,
                          Job.state == JobState.RUNNING)
        .values({"lease_until": _lease_end(), **values}))
    if result.rowcount != 1:
        db.session.rollback()
        raise LeaseLost()


class Steps:
    """Records a claimed job's steps; one commit per step, together with the step's work."""

    def __init__(self, job: Job, owner: str):
        self.job_id, self.owner = job.id, owner

    def done_positions(self) -> set[int]:
        return set(db.session.scalars(
            db.select(JobItem.position).where(JobItem.job_id == self.job_id)))

    def record(self, position: int, outcome: str, message: str = "",
               employer_id: int | None = None, advance: int = 1, **details) -> None:
        """Commit the step's work with its outcome; the (job, position) key refuses a repeat.
        `advance` is how much of the job's total the step did (a chunk of stickers: many)."""
        try:
            _renew(self.job_id, self.owner, done=Job.done + advance)
            db.session.add(JobItem(job_id=self.job_id, position=position, outcome=outcome,
                                   message=message[:ERROR_MAX], employer_id=employer_id,
                                   details=details))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise LeaseLost() from None

    def heartbeat(self) -> None:
        _renew(self.job_id, self.owner)
        db.session.commit()


def finish(job_id: int, owner: str, result: dict) -> None:
    _renew(job_id, owner, state=JobState.DONE, result=result, finished_at=utcnow(),
           lease_until=None)
    db.session.commit()


def fail(job_id: int, owner: str, error: str) -> None:
    db.session.rollback()
    try:
        _renew(job_id, owner, state=JobState.FAILED, error=error[:ERROR_MAX],
               finished_at=utcnow(), lease_until=None)
    except LeaseLost:
        return
    db.session.commit()


def counts(job: Job) -> dict[str, int]:
    """Steps per outcome, for the progress page."""
    rows = db.session.execute(
        db.select(JobItem.outcome, db.func.count()).where(JobItem.job_id == job.id)
        .group_by(JobItem.outcome))
    return {outcome: n for outcome, n in rows}
