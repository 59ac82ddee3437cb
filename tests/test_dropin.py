from datetime import datetime

import pytest

from campaign.entries.dropin import TIMEZONE, is_open_at, parse_time, status_text

HOURS = {"opening_hours": False, "slots": [
    {"day": 0, "start": "09:00", "end": "12:00"},
    {"day": 0, "start": "14:00", "end": "17:00"},
    {"day": 3, "start": "10:00", "end": "15:30"},
]}


@pytest.mark.parametrize("typed, expected", [
    ("9", "09:00"), ("09", "09:00"), ("9.00", "09:00"), ("900", "09:00"), ("9:00", "09:00"),
    ("9 Uhr", "09:00"), ("14:30", "14:30"), (" 1430 ", "14:30"), ("24", "23:59"),
])
def test_times_people_type_are_understood(typed, expected):
    assert parse_time(typed).strftime("%H:%M") == expected


@pytest.mark.parametrize("typed", ["", "25", "9:75", "morgens", "9-12", "12:3"])
def test_unreadable_times_are_refused(typed):
    assert parse_time(typed) is None


def at(day: int, hour: int, minute: int = 0) -> datetime:
    # 2026-11-23 is a Monday
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=TIMEZONE)


def test_open_now_says_until_when():
    assert status_text(HOURS, at(0, 10)) == "Jetzt ohne Termin offen – bis 12:00 Uhr"
    assert is_open_at(HOURS, at(0, 10))


def test_later_today_names_the_start():
    assert status_text(HOURS, at(0, 12, 30)) == "Heute ab 14:00 Uhr ohne Termin"
    assert not is_open_at(HOURS, at(0, 12, 30))


def test_closed_today_names_the_next_day():
    assert status_text(HOURS, at(1, 10)) == "Heute nicht – wieder am Donnerstag ab 10:00 Uhr"
    assert status_text(HOURS, at(3, 16)) == "Heute nicht – wieder am Montag ab 9:00 Uhr"


def test_end_time_is_exclusive():
    assert not is_open_at(HOURS, at(0, 12, 0))


def test_opening_hours_and_no_hours():
    assert status_text({"opening_hours": True, "slots": []}) == "Zu den Öffnungszeiten ohne Termin"
    assert status_text({}) == "Keine Zeiten angegeben"


def test_local_time_is_berlin_not_utc():
    from datetime import UTC
    # 08:30 UTC on a Monday in November is 09:30 in Bochum
    assert is_open_at(HOURS, datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
