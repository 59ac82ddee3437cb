"""Freshness: published entries confirm once a year that their details are still true.

The policy, each period a setting: ask after RECONFIRM_AFTER_DAYS without a confirmation,
remind RECONFIRM_REMINDER_DAYS after asking, pause automatically RECONFIRM_PAUSE_DAYS after
asking (actor "system", with a mail that brings the entry back in one click). Each step is
claimed with one conditional UPDATE, so two runs at once never mail or pause an entry twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from campaign.core import audit, links
from campaign.core.mail import enqueue
from campaign.entries import lifecycle
from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, PausedBy, Status, utcnow

SENT = "reconfirm_sent"
REMINDED = "reconfirm_reminded"
AUTO_PAUSED = "reconfirm_auto_paused"
CONFIRMED = "reconfirmed"

NOT_ASKED, ASKED, REMINDED_STAGE, PAUSED_STAGE = range(4)


@dataclass(frozen=True)
class Policy:
    ask_after_days: int = 365
    remind_after_days: int = 21
    pause_after_days: int = 42

    @classmethod
    def from_config(cls, config) -> Policy:
        return cls(config["RECONFIRM_AFTER_DAYS"], config["RECONFIRM_REMINDER_DAYS"],
                   config["RECONFIRM_PAUSE_DAYS"])


@dataclass
class RoundResult:
    asked: int = 0
    reminded: int = 0
    paused: int = 0


def last_confirmed():
    """When the details were last confirmed: by the reconfirm button, or else at publication."""
    return func.coalesce(EmployerPrivate.details_confirmed_at, Employer.published_at,
                         EmployerPrivate.consent_confirmed_at, Employer.created_at)


def run_round(policy: Policy, now: datetime | None = None) -> RoundResult:
    """One run of the yearly round: ask, remind and pause whatever is due. Add and flush only."""
    now = now or utcnow()
    result = RoundResult()
    _count_resumed_as_confirmed(now)
    for employer in _published(NOT_ASKED, last_confirmed() < now - timedelta(policy.ask_after_days)):
        if _claim(employer, NOT_ASKED, ASKED, now):
            _mail(employer, "reconfirm")
            audit.record(audit.SYSTEM, SENT, employer.id)
            result.asked += 1
    asked_before = EmployerPrivate.reconfirm_asked_at < now - timedelta(policy.remind_after_days)
    for employer in _published(ASKED, asked_before):
        if _claim(employer, ASKED, REMINDED_STAGE):
            _mail(employer, "reconfirm_reminder")
            audit.record(audit.SYSTEM, REMINDED, employer.id)
            result.reminded += 1
    asked_long_ago = EmployerPrivate.reconfirm_asked_at < now - timedelta(policy.pause_after_days)
    for employer in _published(REMINDED_STAGE, asked_long_ago):
        if _claim(employer, REMINDED_STAGE, PAUSED_STAGE):
            lifecycle.pause(employer, actor=audit.SYSTEM, by=PausedBy.SYSTEM)
            _mail(employer, "reconfirm_paused")
            audit.record(audit.SYSTEM, AUTO_PAUSED, employer.id)
            result.paused += 1
    db.session.flush()
    return result


def reconfirm(employer: Employer) -> bool:
    """The employer says the details are still true; an automatic pause ends with it."""
    if employer.status == Status.PAUSED and employer.paused_by == PausedBy.SYSTEM:
        lifecycle.resume(employer, actor=audit.EMPLOYER)
    if employer.status != Status.PUBLISHED:
        return False
    employer.private.details_confirmed_at = utcnow()
    employer.private.reconfirm_stage = NOT_ASKED
    employer.private.reconfirm_asked_at = None
    lifecycle.touch(employer)
    audit.record(audit.EMPLOYER, CONFIRMED, employer.id)
    return True


def overdue_condition():
    """Published entries whose "still true?" question is unanswered. The few asked entries
    are found first (a subquery on an index), not each published entry's private row."""
    asked = select(EmployerPrivate.employer_id).where(EmployerPrivate.reconfirm_stage > NOT_ASKED)
    return (Employer.status == Status.PUBLISHED) & Employer.id.in_(asked)


def auto_paused_condition():
    return (Employer.status == Status.PAUSED) & (Employer.paused_by == PausedBy.SYSTEM)


def _count_resumed_as_confirmed(now: datetime) -> None:
    """Whoever showed an automatically paused entry again vouched for it: the round starts anew."""
    resumed = select(Employer.id).where(Employer.status == Status.PUBLISHED).scalar_subquery()
    db.session.execute(
        update(EmployerPrivate)
        .where(EmployerPrivate.reconfirm_stage == PAUSED_STAGE, EmployerPrivate.employer_id.in_(resumed))
        .values(reconfirm_stage=NOT_ASKED, reconfirm_asked_at=None, details_confirmed_at=now)
        .execution_options(synchronize_session=False))


def _published(stage: int, due) -> list[Employer]:
    return db.session.scalars(
        select(Employer).join(Employer.private)
        .where(Employer.status == Status.PUBLISHED, EmployerPrivate.reconfirm_stage == stage, due)
        .order_by(Employer.id)).all()


def _claim(employer: Employer, stage: int, next_stage: int, asked_at: datetime | None = None
           ) -> bool:
    """Move the entry one stage on, unless another run did it first (then it touches 0 rows)."""
    values = {"reconfirm_stage": next_stage}
    if asked_at is not None:
        values["reconfirm_asked_at"] = asked_at
    claimed = db.session.execute(
        update(EmployerPrivate)
        .where(EmployerPrivate.id == employer.private.id, EmployerPrivate.reconfirm_stage == stage)
        .values(**values).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    db.session.refresh(employer.private)
    return True


def _mail(employer: Employer, template: str) -> None:
    enqueue(employer.private.contact_email, template, employer=employer,
            manage_url=links.manage_url(employer, long_lived=True))
