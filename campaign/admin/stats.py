"""Campaign figures for the dashboard: counts by status, place, offer, sector and week.

Every figure is counted by the database (GROUP BY, COUNT, SUM), or for what is published by
the public snapshot the map is served from: the dashboard sends the same few queries and reads
the same few rows however many entries there are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from sqlalchemy import literal_column, union_all

from campaign.core.city import City
from campaign.entries import reconfirm
from campaign.entries.vocabulary import OFFER_LABELS
from campaign.extensions import db
from campaign.models import AuditEntry, Employer, ProblemReport, ScanCount, Status
from campaign.public.filter_index import published_counts
from campaign.public.snapshot import public_snapshot

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


def _published(name: str) -> Counter:
    """Published entries per value of a field, from the public snapshot: the map's own data,
    counted once per public data version (public.filter_index) instead of per page view."""
    return published_counts(public_snapshot()[0])[name]


def published_by_district(city: City) -> list[Row]:
    counts = _published("district")
    return [Row(d, counts.get(d, 0)) for d in city.quarters_by_district]


def published_by_quarter(city: City) -> list[Row]:
    """Every quarter of the city, zeros included, focus quarters marked."""
    counts = _published("quarter")
    return [Row(q, counts.get(q, 0), city.is_focus(q), d)
            for d, quarters in city.quarters_by_district.items() for q in quarters]


def published_by_sector(city: City) -> list[Row]:
    counts = _published("sector")
    return sorted((Row(s, counts.get(s, 0)) for s in city.sectors if counts.get(s)),
                  key=lambda r: -r.value)


def published_by_offer() -> list[Row]:
    """Published entries per offer (an entry counts once per offer it makes)."""
    counts = _published("offers")
    return [Row(str(label), counts.get(key, 0)) for key, label in OFFER_LABELS.items()]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(today: date, count: int) -> list[date]:
    first = week_start(today) - timedelta(weeks=count - 1)
    return [first + timedelta(weeks=n) for n in range(count)]


def _per_week(stamp, amount, today: date, count: int, *conditions, at_midnight=True) -> list[Row]:
    """The amount (a COUNT or SUM) per calendar week of the stamp column, for the last count
    weeks. One query: a UNION ALL of one aggregate per week over that week's range of the
    column, which an index serves without looking at each row's day."""
    starts = weeks(today, count)
    bounds = [*starts, starts[-1] + timedelta(weeks=1)]
    if at_midnight:
        bounds = [datetime.combine(day, datetime.min.time()) for day in bounds]
    parts = [db.select(literal_column(str(n)).label("week"), amount)
             .where(*conditions, stamp >= start, stamp < end)
             for n, (start, end) in enumerate(pairwise(bounds))]
    found = dict(db.session.execute(union_all(*parts)).all())
    return [Row(f"KW {w.isocalendar().week}", found.get(n) or 0, group=w.isoformat())
            for n, w in enumerate(starts)]


def signups_per_week(today: date, count: int = 12) -> list[Row]:
    return _per_week(AuditEntry.at, db.func.count(), today, count,
                     AuditEntry.action.in_(SIGNUP_ACTIONS))


def publications_per_week(today: date, count: int = 12) -> list[Row]:
    return _per_week(Employer.published_at, db.func.count(), today, count)


def scans_per_week(today: date, count: int = 12) -> list[Row]:
    return _per_week(ScanCount.day, db.func.sum(ScanCount.count), today, count,
                     at_midnight=False)


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
