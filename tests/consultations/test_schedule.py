"""The recurring schedule as data: dates in Berlin time, exceptions, and the RRULE form."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from campaign.consultations import schedule as sched


def rule(kind="weekly", weekday=1, start_date="2026-01-06", start="09:00", end="12:00",
         until="", **extra) -> dict:
    return {"kind": kind, "weekday": weekday, "start_date": start_date, "start": start,
            "end": end, "until": until, **extra}


def days(schedule, first, last) -> list[date]:
    return [o.start.date() for o in sched.occurrences(schedule, first, last)]


def test_every_two_weeks_keeps_the_parity_of_its_start_date():
    # Starts on a Wednesday; the first Tuesday after it is 13 Jan, then every 14 days.
    schedule = {"rules": [rule("biweekly", 1, "2026-01-07")]}
    assert days(schedule, date(2026, 1, 1), date(2026, 2, 28)) == [
        date(2026, 1, 13), date(2026, 1, 27), date(2026, 2, 10), date(2026, 2, 24)]
    # Asked from a later window that starts on an "off" week, the parity still holds.
    assert days(schedule, date(2026, 11, 30), date(2026, 12, 31)) == [
        date(2026, 12, 1), date(2026, 12, 15), date(2026, 12, 29)]


def test_monthly_on_the_last_and_on_the_second_weekday():
    last_friday = {"rules": [rule("monthly", 4, "2026-01-01", nth=sched.LAST)]}
    assert days(last_friday, date(2026, 1, 1), date(2026, 5, 31)) == [
        date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27), date(2026, 4, 24),
        date(2026, 5, 29)]
    second_wednesday = {"rules": [rule("monthly", 2, "2026-01-15", nth=2)]}
    # 14 Jan is before the start date, so February is the first month.
    assert days(second_wednesday, date(2026, 1, 1), date(2026, 3, 31)) == [
        date(2026, 2, 11), date(2026, 3, 11)]


def test_exceptions_and_until_remove_dates():
    schedule = {"rules": [rule("weekly", 3, "2026-12-01", until="2027-01-14")],
                "exceptions": ["2026-12-24", "2026-12-31", "2026-12-25"]}
    assert days(schedule, date(2026, 12, 1), date(2027, 2, 1)) == [
        date(2026, 12, 3), date(2026, 12, 10), date(2026, 12, 17), date(2027, 1, 7),
        date(2027, 1, 14)]
    assert [d.date() for d in sched.exdates(schedule, schedule["rules"][0])] == [
        date(2026, 12, 24), date(2026, 12, 31)]


def test_local_times_stay_put_across_the_change_to_summer_time():
    # Clocks go forward on Sunday 29 March 2026.
    schedule = {"rules": [rule("weekly", 5, "2026-03-21", start="10:00", end="12:00")]}
    before, after = sched.occurrences(schedule, date(2026, 3, 28), date(2026, 4, 4))
    assert (before.start.hour, after.start.hour) == (10, 10)
    assert before.start.astimezone(UTC).hour == 9 and after.start.astimezone(UTC).hour == 8
    assert after.end - after.start == timedelta(hours=2)


def test_several_rules_come_out_in_time_order_and_upcoming_skips_ended_dates():
    schedule = {"rules": [rule("weekly", 3, "2026-01-01", start="14:00", end="17:00"),
                          rule("weekly", 1, "2026-01-01", start="10:00", end="13:00")]}
    now = datetime(2026, 12, 1, 12, 30, tzinfo=sched.TIMEZONE)  # a Tuesday, during the date
    upcoming = sched.upcoming(schedule, now, 3)
    assert [(o.start.date(), o.rule_index) for o in upcoming] == [
        (date(2026, 12, 1), 1), (date(2026, 12, 3), 0), (date(2026, 12, 8), 1)]
    later = datetime(2026, 12, 1, 13, 0, tzinfo=sched.TIMEZONE)
    assert sched.upcoming(schedule, later, 1)[0].start.date() == date(2026, 12, 3)


def test_rrule_text_for_each_kind():
    assert sched.rrule_text(rule("weekly", 0)) == "FREQ=WEEKLY;BYDAY=MO"
    assert sched.rrule_text(rule("biweekly", 1)) == "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2"
    assert sched.rrule_text(rule("monthly", 2, nth=2)) == "FREQ=MONTHLY;BYDAY=2WE"
    assert sched.rrule_text(rule("monthly", 4, nth=-1, until="2027-06-30")) == (
        "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270630T215959Z")  # end of the local day, in UTC


def test_upcoming_looks_far_enough_for_rare_dates():
    yearly_ish = {"rules": [rule("monthly", 0, "2026-01-01", nth=1, until="2027-06-30")],
                  "exceptions": ["2027-01-04", "2027-02-01", "2027-03-01"]}
    now = datetime(2026, 12, 10, tzinfo=sched.TIMEZONE)
    assert [o.start.date() for o in sched.upcoming(yearly_ish, now, 3)] == [
        date(2027, 4, 5), date(2027, 5, 3), date(2027, 6, 7)]
    assert sched.upcoming(yearly_ish, datetime(2027, 6, 8, tzinfo=sched.TIMEZONE), 3) == []
