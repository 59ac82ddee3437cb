"""A recurring schedule as plain data, its dates in local time and its RFC 5545 form.

A schedule is a dict: {"rules": [rule, ...], "exceptions": ["YYYY-MM-DD", ...]}. A rule is
{"kind": "weekly" | "biweekly" | "monthly", "weekday": 0..6 (0 = Monday),
 "start_date": "YYYY-MM-DD", "start": "HH:MM", "end": "HH:MM", "until": "YYYY-MM-DD" | "",
 "nth": 1..4 or -1 (last; monthly only)}.
Every-2-weeks counts from the first matching weekday on or after start_date. Exceptions
(holidays, cancellations) remove every occurrence on that date. Pure: no Flask, no database.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from campaign.entries.dropin import TIMEZONE

WEEKLY = "weekly"
BIWEEKLY = "biweekly"
MONTHLY = "monthly"
KINDS = (WEEKLY, BIWEEKLY, MONTHLY)
LAST = -1
NTH_VALUES = (1, 2, 3, 4, LAST)
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LOOKAHEAD_DAYS = 800
FIRST_LOOK_DAYS = 50


@dataclass(frozen=True)
class Occurrence:
    start: datetime  # aware, Europe/Berlin
    end: datetime
    rule_index: int


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _time(text: str) -> time:
    return time.fromisoformat(text)


def rules_of(schedule: dict | None) -> list[dict]:
    return list((schedule or {}).get("rules", []))


def exception_dates(schedule: dict | None) -> set[date]:
    return {date.fromisoformat(d) for d in (schedule or {}).get("exceptions", [])}


def first_date(rule: dict) -> date:
    """The rule's first occurrence: the first matching day on or after its start date."""
    start = date.fromisoformat(rule["start_date"])
    if rule["kind"] == MONTHLY:
        year, month = start.year, start.month
        while True:
            day = nth_weekday(year, month, rule["weekday"], rule["nth"])
            if day >= start:
                return day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return start + timedelta(days=(rule["weekday"] - start.weekday()) % 7)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The n-th (1..4) or last (-1) given weekday of a month."""
    if nth == LAST:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def rule_dates(rule: dict, first: date, last: date) -> list[date]:
    """The days a rule falls on between first and last (inclusive), ignoring exceptions."""
    begin = first_date(rule)
    until = _date(rule.get("until"))
    last = min(last, until) if until else last
    if rule["kind"] == MONTHLY:
        return _monthly_dates(rule, max(first, begin), last)
    step = 14 if rule["kind"] == BIWEEKLY else 7
    day = begin
    if day < first:
        day += timedelta(days=-(-(first - day).days // step) * step)
    days = []
    while day <= last:
        days.append(day)
        day += timedelta(days=step)
    return days


def _monthly_dates(rule: dict, first: date, last: date) -> list[date]:
    days = []
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        day = nth_weekday(year, month, rule["weekday"], rule["nth"])
        if first <= day <= last:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def local(day: date, clock: str) -> datetime:
    return datetime.combine(day, _time(clock), tzinfo=TIMEZONE)


def occurrences(schedule: dict | None, first: date, last: date) -> list[Occurrence]:
    """Every date of the schedule between first and last (inclusive), in time order."""
    skipped = exception_dates(schedule)
    found = [
        Occurrence(local(day, rule["start"]), local(day, rule["end"]), index)
        for index, rule in enumerate(rules_of(schedule))
        for day in rule_dates(rule, first, last)
        if day not in skipped
    ]
    return sorted(found, key=lambda o: (o.start, o.rule_index))


def upcoming(schedule: dict | None, now: datetime, count: int) -> list[Occurrence]:
    """The next `count` dates that have not ended yet at `now`."""
    today = now.astimezone(TIMEZONE).date()
    span = FIRST_LOOK_DAYS
    while True:  # a short window is enough nearly always; widen it for rare dates
        future = [o for o in occurrences(schedule, today, today + timedelta(days=span))
                  if o.end > now]
        if len(future) >= count or span >= LOOKAHEAD_DAYS:
            return future[:count]
        span = min(span * 4, LOOKAHEAD_DAYS)


def rrule(rule: dict) -> dict:
    """The rule as RFC 5545 RRULE parts (as the icalendar library's vRecur takes them)."""
    day = ICAL_DAYS[rule["weekday"]]
    parts: dict = {"FREQ": "WEEKLY", "BYDAY": day}
    if rule["kind"] == BIWEEKLY:
        parts["INTERVAL"] = 2
    elif rule["kind"] == MONTHLY:
        parts = {"FREQ": "MONTHLY", "BYDAY": f"{rule['nth']}{day}"}
    until = _date(rule.get("until"))
    if until:
        # With a TZID start, UNTIL must be UTC (RFC 5545 3.3.10): the end of the local day.
        end_of_day = datetime.combine(until, time(23, 59, 59), tzinfo=TIMEZONE)
        parts["UNTIL"] = end_of_day.astimezone(UTC)
    return parts


def rrule_text(rule: dict) -> str:
    """The RRULE value as text, e.g. "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"."""
    def value(v):
        return v.strftime("%Y%m%dT%H%M%SZ") if isinstance(v, datetime) else str(v)

    return ";".join(f"{key}={value(v)}" for key, v in rrule(rule).items())


def exdates(schedule: dict | None, rule: dict) -> list[datetime]:
    """The exception dates this rule would fall on, at its start time (for EXDATE)."""
    skipped = sorted(exception_dates(schedule))
    if not skipped:
        return []
    on_rule = set(rule_dates(rule, skipped[0], skipped[-1]))
    return [local(day, rule["start"]) for day in skipped if day in on_rule]
