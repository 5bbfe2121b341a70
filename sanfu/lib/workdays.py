"""Working days of the Chinese calendar: weekends, official holidays and the
make-up working days (調休) that the State Council announces each year.

``chinese_calendar`` carries the announced years; an override (a date and whether it
is a working day) covers the years it lacks and any local change. Beyond both, only
weekends are days off.
"""

import datetime
from collections.abc import Mapping

import chinese_calendar


def is_workday(day: datetime.date, overrides: Mapping[datetime.date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(
    start: datetime.datetime, days: int, overrides: Mapping[datetime.date, bool]
) -> datetime.datetime:
    """The same time of day on the ``days``-th working day after ``start``'s date.

    A demand dispatched on Saturday with one working day to answer is due on Monday
    at the same time; one dispatched on the eve of the National Day holiday is due
    after the holiday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start.date()
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_workday(day, overrides):
            remaining -= 1
    return start + datetime.timedelta(days=(day - start.date()).days)


def workdays_between(
    start: datetime.date, end: datetime.date, overrides: Mapping[datetime.date, bool]
) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_workday(day, overrides):
            count += 1
    return count


def nth_workday_back(
    day: datetime.date, n: int, overrides: Mapping[datetime.date, bool]
) -> datetime.date:
    """The ``n``-th working day counting back from ``day`` (``day`` itself counts if
    it is one). A deadline on a date before it has had ``n`` working days after it
    by ``day``."""
    if n < 1:
        raise ValueError("n must be at least 1")
    remaining = n
    while True:
        if is_workday(day, overrides):
            remaining -= 1
            if not remaining:
                return day
        day -= datetime.timedelta(days=1)
