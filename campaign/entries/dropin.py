"""Drop-in hours: parsing times people type, and answering "open now?" in local time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

TIMEZONE = ZoneInfo("Europe/Berlin")
WEEKDAYS = (
    _l("Montag"),
    _l("Dienstag"),
    _l("Mittwoch"),
    _l("Donnerstag"),
    _l("Freitag"),
    _l("Samstag"),
    _l("Sonntag"),
)
# The day inside "wieder am %(day)s": its own messages, since Ukrainian and Russian inflect it.
WEEKDAYS_ON = (
    lazy_pgettext("on weekday", "Montag"),
    lazy_pgettext("on weekday", "Dienstag"),
    lazy_pgettext("on weekday", "Mittwoch"),
    lazy_pgettext("on weekday", "Donnerstag"),
    lazy_pgettext("on weekday", "Freitag"),
    lazy_pgettext("on weekday", "Samstag"),
    lazy_pgettext("on weekday", "Sonntag"),
)
_TIME = re.compile(r"^(\d{1,2})(?:[:.h]?(\d{2}))?(?:\s*uhr)?$")


def parse_time(text: str) -> time | None:
    """Read "9", "09", "9.00", "900", "9:00", "9 Uhr" or "14:30" as a time; None if unreadable."""
    cleaned = text.strip().lower().replace(" ", "") if text else ""
    cleaned = cleaned.removesuffix("uhr")
    match = _TIME.match(cleaned)
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours == 24 and minutes == 0:
        return time(23, 59)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def format_time(value: str) -> str:
    """'09:00' -> '9:00' (DIN 5008 style without a leading zero)."""
    hours, minutes = value.split(":")
    return f"{int(hours)}:{minutes}"


@dataclass(frozen=True)
class Slot:
    day: int  # 0 = Monday
    start: str  # "HH:MM"
    end: str

    def contains(self, moment: time) -> bool:
        return self.start <= moment.strftime("%H:%M") < self.end


def slots_of(drop_in: dict) -> list[Slot]:
    return sorted(
        (Slot(s["day"], s["start"], s["end"]) for s in drop_in.get("slots", [])),
        key=lambda s: (s.day, s.start),
    )


def slots_by_day(drop_in: dict) -> list[list[Slot]]:
    days: list[list[Slot]] = [[] for _ in range(7)]
    for slot in slots_of(drop_in):
        days[slot.day].append(slot)
    return days


def closed_day_text(is_today: bool) -> str:
    """What a weekday without walk-in hours says: no door is open (not "no free appointment")."""
    return str(_l("Heute keine offene Tür") if is_today else _l("Keine offene Tür"))


def local_now() -> datetime:
    return datetime.now(TIMEZONE)


def is_open_at(drop_in: dict, moment: datetime) -> bool:
    local = moment.astimezone(TIMEZONE)
    return any(s.day == local.weekday() and s.contains(local.time()) for s in slots_of(drop_in))


def status_text(drop_in: dict, moment: datetime | None = None) -> str:
    """One plain sentence for young people: open now, later today, or the next day."""
    local = (moment or local_now()).astimezone(TIMEZONE)
    slots = slots_of(drop_in)
    if not slots:
        if drop_in.get("opening_hours"):
            return str(_l("Zu den Öffnungszeiten ohne Termin"))
        return str(_l("Keine Zeiten angegeben"))
    now = local.strftime("%H:%M")
    today = [s for s in slots if s.day == local.weekday()]
    for slot in today:
        if slot.start <= now < slot.end:
            return str(_l("Jetzt ohne Termin offen – bis %(end)s Uhr", end=format_time(slot.end)))
    for slot in today:
        if now < slot.start:
            return str(_l("Heute ab %(start)s Uhr ohne Termin", start=format_time(slot.start)))
    for offset in range(1, 8):
        day = (local + timedelta(days=offset)).weekday()
        later = [s for s in slots if s.day == day]
        if later:
            return str(
                _l(
                    "Heute nicht – wieder am %(day)s ab %(start)s Uhr",
                    day=WEEKDAYS_ON[day],
                    start=format_time(later[0].start),
                )
            )
    return str(_l("Keine Zeiten angegeben"))
