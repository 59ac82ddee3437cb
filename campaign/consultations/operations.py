"""Creating, changing and deleting consultation points, each change in the audit log."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, select

from campaign.consultations import schedule as sched
from campaign.core import audit, database
from campaign.core.city import City
from campaign.core.text import slugify
from campaign.extensions import db
from campaign.models import ConsultationPoint, new_qr_code

EDITABLE = ("provider", "title", "description", "street", "postal_code", "city", "district",
            "quarter", "lat", "lon", "target_groups", "languages", "contact", "no_appointment",
            "schedule", "published")


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    approximate: bool


def place_of(point: ConsultationPoint, city: City) -> Place | None:
    """The point's own coordinates, else the centre of its quarter (marked approximate)."""
    if point.lat is not None and point.lon is not None:
        return Place(point.lat, point.lon, False)
    centre = city.quarter_centres.get(point.quarter)
    return Place(centre[0], centre[1], True) if centre else None


def published_points() -> list[ConsultationPoint]:
    query = db.select(ConsultationPoint).where(ConsultationPoint.published.is_(True))
    return list(db.session.scalars(query.order_by(ConsultationPoint.title)))


def unique_slug(title: str) -> str:
    base = slugify(title)
    base = "beratung" if base == "betrieb" else base  # slugify's word for "nothing left"
    taken = db.session.scalar(db.select(ConsultationPoint.id).where(ConsultationPoint.slug == base))
    return f"{base}-{new_qr_code()[:5].lower()}" if taken else base


def create(values: dict, actor: str, is_demo: bool = False) -> ConsultationPoint:
    point = ConsultationPoint(slug=unique_slug(values["title"]), is_demo=is_demo, **values)
    db.session.add(point)
    db.session.flush()
    audit.record(actor, "consultation_created", consultation=point.id,
                 fields=sorted(values), published=point.published)
    return point


def update(point: ConsultationPoint, values: dict, actor: str) -> list[str]:
    """Apply the changed values; return the names of the fields that changed. The slug stays:
    links and calendar subscriptions keep working after a new title."""
    changed = sorted(name for name in EDITABLE if name in values
                     and getattr(point, name) != values[name])
    for name in changed:
        setattr(point, name, values[name])
    if changed:
        audit.record(actor, "consultation_updated", consultation=point.id, fields=changed)
    return changed


def delete(point: ConsultationPoint, actor: str) -> None:
    audit.record(actor, "consultation_deleted", consultation=point.id, slug=point.slug)
    db.session.delete(point)


@dataclass(frozen=True)
class Upcoming:
    point: ConsultationPoint
    occurrence: sched.Occurrence


def upcoming_dates(points, now: datetime, weeks: int) -> list[Upcoming]:
    """Every date of the points from now for `weeks` weeks, in time order."""
    today = now.astimezone(sched.TIMEZONE).date()
    last = today + timedelta(weeks=weeks)
    found = [Upcoming(point, o) for point in points
             for o in sched.occurrences(point.schedule, today, last) if o.end > now]
    return sorted(found, key=lambda u: (u.occurrence.start, u.point.title))


def next_date_per_point(now: datetime) -> list[tuple[ConsultationPoint, sched.Occurrence | None]]:
    """Every published point with its next date (None if it has none), soonest first."""
    pairs = [(point, next(iter(sched.upcoming(point.schedule, now, 1)), None))
             for point in published_points()]
    return sorted(pairs, key=lambda pair: (pair[1] is None, pair[1].start if pair[1] else now,
                                           pair[0].title))


class Listed(NamedTuple):
    """What the map page lists of a point: plain values, equal when the point is unchanged."""

    slug: str
    title: str
    provider: str
    quarter: str


_SIGNATURE = select(func.count(), func.max(ConsultationPoint.updated_at)).where(
    ConsultationPoint.published.is_(True))


def next_dates(now: datetime) -> tuple[tuple[Listed, sched.Occurrence | None], ...]:
    """next_date_per_point() as plain values, read again only when a published point changed
    or the minute did: the map asks on every request. Whether a point changed, one aggregate
    query tells, asked at most every core.database.trust_seconds()."""
    app = current_app._get_current_object()
    known = app.extensions.setdefault("campaign_consultation_dates", {})
    if time.monotonic() >= known.get("trusted_until", 0.0):
        known["signature"] = tuple(db.session.execute(_SIGNATURE).one())
        known["trusted_until"] = time.monotonic() + database.trust_seconds(app)
    key = (known["signature"], now.replace(second=0, microsecond=0))
    answer = known.get("answer")
    if answer is None or answer[0] != key:
        answer = known["answer"] = (key, tuple(
            (Listed(p.slug, p.title, p.provider, p.quarter), occurrence)
            for p, occurrence in next_date_per_point(now)))
    return answer[1]
