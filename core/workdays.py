"""Working days of the Chinese calendar: weekends, official holidays and the
make-up working days (調休) that the State Council announces each year.

``chinese_calendar`` carries the announced years; an override (a date and whether it
is a working day) covers the years it lacks and any local change. Beyond both, the
statutory holidays of 《全国年节及纪念日放假办法》 still count, computed from the
lunar calendar and the solar terms; only the make-up days (調休) stay unknown until
the office enters the year's notice.
"""

import datetime
import functools
from collections.abc import Iterable, Mapping

import chinese_calendar
from lunardate import LunarDate


@functools.cache
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """The days off every year by 《全国年节及纪念日放假办法》 as amended in 2024
    (13 days): 元旦 1, 春节 4 from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3.
    Weekends and the make-up days a yearly notice adds are not among them."""
    spring = LunarDate(year, 1, 1).to_solar_date()
    # 除夕 is the last day of the twelfth lunar month, whether it has 29 or 30 days.
    spring_festival = [spring + datetime.timedelta(days=n) for n in range(-1, 3)]
    qingming = [
        day
        for day, name in chinese_calendar.get_solar_terms(
            datetime.date(year, 4, 1), datetime.date(year, 4, 30)
        )
        if name == "清明"
    ]
    return frozenset(
        [
            datetime.date(year, 1, 1),
            *spring_festival,
            *qingming,
            datetime.date(year, 5, 1),
            datetime.date(year, 5, 2),
            LunarDate(year, 5, 5).to_solar_date(),
            LunarDate(year, 8, 15).to_solar_date(),
            datetime.date(year, 10, 1),
            datetime.date(year, 10, 2),
            datetime.date(year, 10, 3),
        ]
    )


def has_official_data(year: int) -> bool:
    """Whether ``chinese_calendar`` carries the State Council's notice for
    ``year``."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def unannounced_years(
    start: datetime.date, days: int, announced: Iterable[int]
) -> list[int]:
    """The years touched by the ``days`` days from ``start`` whose make-up days
    neither ``chinese_calendar`` nor a notice in ``announced`` (years) knows."""
    end = start + datetime.timedelta(days=days)
    missing = [
        year for year in range(start.year, end.year + 1) if not has_official_data(year)
    ]
    if not missing:  # ``announced`` may be a query: not run for nothing
        return []
    known = set(announced)
    return [year for year in missing if year not in known]


def is_workday(day: datetime.date, overrides: Mapping[datetime.date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5 and day not in statutory_holidays(day.year)


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


class WorkdayCounter:
    """``workdays_between`` for many pairs of dates in one range: the calendar is
    read once per day of the range, then each count is a subtraction. Dates
    outside the range fall back to counting day by day."""

    def __init__(
        self,
        first: datetime.date,
        last: datetime.date,
        overrides: Mapping[datetime.date, bool],
    ) -> None:
        self.first, self.last, self.overrides = first, last, overrides
        self._cumulative: list[int] = []
        count, day = 0, first
        while day <= last:
            if is_workday(day, overrides):
                count += 1
            self._cumulative.append(count)
            day += datetime.timedelta(days=1)

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        if end <= start:
            return 0
        if start < self.first or end > self.last:
            return workdays_between(start, end, self.overrides)
        table = self._cumulative
        return table[(end - self.first).days] - table[(start - self.first).days]
