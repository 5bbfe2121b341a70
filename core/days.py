"""Local days as moments: the project reads dates in its own zone
(``settings.TIME_ZONE``, Asia/Shanghai)."""

import datetime

from django.utils import timezone


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment of a local day: a period of days runs from the start of
    its first to the start of the day after its last."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
