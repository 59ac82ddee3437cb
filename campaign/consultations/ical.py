"""The consultation points as an RFC 5545 calendar: one recurring VEVENT per schedule rule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from icalendar import Calendar, Event, Timezone, vRecur

from campaign.consultations import schedule as sched
from campaign.entries.dropin import TIMEZONE

PRODUCT = "-//Alle Tueren offen//Beratung vor Ort//DE"
YEARS_AHEAD = 3  # the VTIMEZONE lists the transitions up to then; calendars extrapolate later


@lru_cache(maxsize=8)
def _vtimezone(first_year: int, last_year: int) -> Timezone:
    return Timezone.from_tzinfo(TIMEZONE, first_date=date(first_year, 1, 1),
                                last_date=date(last_year, 12, 31))


def event_uid(point, rule_index: int, host: str) -> str:
    """Stable for a point and rule, whatever else changes."""
    return f"beratung-{point.id}-{rule_index}@{host}"


def build(points, *, host: str, url_for_point, name: str, now: datetime) -> bytes:
    """The VCALENDAR for the given published points; url_for_point(point) gives its page."""
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TIMEZONE.key)
    events = [_event(point, index, rule, host, url_for_point(point), now)
              for point in points for index, rule in enumerate(sched.rules_of(point.schedule))]
    if events:
        first = min(e.decoded("dtstart") for e in events)
        cal.add_component(_vtimezone(first.year, now.year + YEARS_AHEAD))
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


def _event(point, index: int, rule: dict, host: str, url: str, now: datetime) -> Event:
    first = sched.first_date(rule)
    event = Event()
    event.add("uid", event_uid(point, index, host))
    event.add("dtstamp", now.astimezone(UTC))  # RFC 5545 3.8.7.2: always UTC
    event.add("summary", f"{point.title} ({point.provider})")
    event.add("dtstart", sched.local(first, rule["start"]))
    event.add("dtend", sched.local(first, rule["end"]))
    event.add("rrule", vRecur(sched.rrule(rule)))
    exdates = sched.exdates(point.schedule, rule)
    if exdates:
        event.add("exdate", exdates)
    event.add("location", location_text(point))
    event.add("description", description_text(point))
    event.add("url", url)
    if point.lat is not None and point.lon is not None:
        event.add("geo", (point.lat, point.lon))
    return event


def location_text(point) -> str:
    town = " ".join(part for part in (point.postal_code, point.city) if part)
    return ", ".join(part for part in (point.street, town) if part)


def description_text(point) -> str:
    parts = [point.description or point.title]
    if point.no_appointment:
        parts.append("Ohne Termin: einfach vorbeikommen.")
    if point.contact:
        parts.append(f"Kontakt: {point.contact}")
    return "\n\n".join(parts)
