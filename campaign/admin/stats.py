"""Campaign figures for the dashboard: counts by status, place, offer, sector and week.

Every figure is counted by the database (GROUP BY, COUNT, SUM): the dashboard sends the same
few queries and reads the same few rows however many entries there are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, case

from campaign.admin.filters import has_offer
from campaign.core.city import City
from campaign.entries import reconfirm
from campaign.entries.vocabulary import OFFER_LABELS
from campaign.extensions import db
from campaign.models import AuditEntry, Employer, ProblemReport, ScanCount, Status

SIGNUP_ACTIONS = ("registered", "invitation_accepted")


@dataclass(frozen=True)
class Row:
    label: str
    value: int
    highlight: bool = False
    group: str = ""


def counts_by_status() -> dict[str, int]:
    rows = db.session.execute(
        db.select(Employer.status, db.func.count()).group_by(Employer.status)).all()
    found = dict(rows)
    return {status.value: found.get(status.value, 0) for status in Status}


def _published(column) -> Counter:
    rows = db.session.execute(db.select(column, db.func.count())
                              .where(Employer.status == Status.PUBLISHED).group_by(column)).all()
    return Counter(dict(rows))


def published_by_district(city: City) -> list[Row]:
    counts = _published(Employer.district)
    return [Row(d, counts.get(d, 0)) for d in city.quarters_by_district]


def published_by_quarter(city: City) -> list[Row]:
    """Every quarter of the city, zeros included, focus quarters marked."""
    counts = _published(Employer.quarter)
    return [Row(q, counts.get(q, 0), city.is_focus(q), d)
            for d, quarters in city.quarters_by_district.items() for q in quarters]


def published_by_sector(city: City) -> list[Row]:
    counts = _published(Employer.sector)
    return sorted((Row(s, counts.get(s, 0)) for s in city.sectors if counts.get(s)),
                  key=lambda r: -r.value)


def published_by_offer() -> list[Row]:
    """Published entries per offer (an entry counts once per offer it makes)."""
    totals = db.session.execute(
        db.select(*(db.func.coalesce(db.func.sum(case((has_offer(key), 1), else_=0)), 0)
                    for key in OFFER_LABELS))
        .where(Employer.status == Status.PUBLISHED)).one()
    return [Row(str(label), total) for label, total in zip(OFFER_LABELS.values(), totals,
                                                           strict=True)]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(today: date, count: int) -> list[date]:
    first = week_start(today) - timedelta(weeks=count - 1)
    return [first + timedelta(weeks=n) for n in range(count)]


def _per_week(days: Iterable[tuple[date, int]], today: date, count: int) -> list[Row]:
    """Amounts per day (at most count weeks of them) added up per calendar week."""
    buckets = weeks(today, count)
    counts = Counter()
    for day, amount in days:
        counts[week_start(day)] += amount
    return [Row(f"KW {w.isocalendar().week}", counts.get(w, 0), group=w.isoformat())
            for w in buckets]


def _per_day(stamp, *conditions) -> list[tuple[date, int]]:
    """How many rows per day of the timestamp column, counted by the database."""
    day = db.func.date(stamp, type_=Date)  # date() on SQLite and PostgreSQL alike
    return db.session.execute(db.select(day, db.func.count()).where(*conditions)
                              .group_by(day)).all()


def signups_per_week(today: date, count: int = 12) -> list[Row]:
    since = datetime.combine(weeks(today, count)[0], datetime.min.time())
    days = _per_day(AuditEntry.at, AuditEntry.action.in_(SIGNUP_ACTIONS), AuditEntry.at >= since)
    return _per_week(days, today, count)


def publications_per_week(today: date, count: int = 12) -> list[Row]:
    since = datetime.combine(weeks(today, count)[0], datetime.min.time())
    return _per_week(_per_day(Employer.published_at, Employer.published_at >= since), today,
                     count)


def scans_per_week(today: date, count: int = 12) -> list[Row]:
    since = weeks(today, count)[0]
    rows = db.session.execute(db.select(ScanCount.day, db.func.sum(ScanCount.count))
                              .where(ScanCount.day >= since).group_by(ScanCount.day)).all()
    return _per_week(rows, today, count)


def focus_share(quarters: list[Row]) -> tuple[int, int]:
    """Published entries in the focus quarters, and all published entries, from the rows of
    published_by_quarter."""
    return sum(r.value for r in quarters if r.highlight), sum(r.value for r in quarters)


def open_report_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(ProblemReport)
                             .where(ProblemReport.resolved_at.is_(None)))


def freshness_counts() -> dict[str, int]:
    """Entries whose "still true?" question is unanswered, and those paused for it."""
    def count(condition) -> int:
        return db.session.scalar(db.select(db.func.count()).select_from(Employer)
                                 .join(Employer.private).where(condition))
    return {"overdue": count(reconfirm.overdue_condition()),
            "auto_paused": count(reconfirm.auto_paused_condition())}
