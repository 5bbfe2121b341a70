"""The organisation's working-day calendar: the days the office marked as working
days or days off, and the years whose make-up days (調休) nobody has entered."""

import datetime

from core.workdays import unannounced_years
from org.models import HolidayNotice, WorkdayOverride

CALENDAR_HORIZON_DAYS = 60


def overrides() -> dict[datetime.date, bool]:
    return dict(WorkdayOverride.objects.values_list("day", "is_workday"))


def calendar_gaps(today: datetime.date) -> list[int]:
    """The years within ``CALENDAR_HORIZON_DAYS`` of ``today`` for which neither
    the calendar package nor a notice the office entered knows the make-up days:
    their deadlines count the statutory holidays only."""
    entered = HolidayNotice.objects.values_list("year", flat=True)
    return unannounced_years(today, CALENDAR_HORIZON_DAYS, entered)
