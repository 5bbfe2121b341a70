"""Keyset cursors for lists paged by (moment, id), and checked moments from outside.

A moment from a query string must parse, carry its zone and lie in years the database
can hold after any shift of zone: 2024-02-30 or year 9999 at -12:00 would otherwise
crash the request (ValueError in parsing, OverflowError in the query).
"""

import datetime

from django.utils.dateparse import parse_datetime

from core.digits import parse_key

EARLIEST = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC)


def parse_moment(
    text: str, *, default_zone: datetime.tzinfo | None = None
) -> datetime.datetime | None:
    """An aware datetime in a sane range, or None. A naive one takes
    ``default_zone`` when given, else is refused."""
    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        if default_zone is None:
            return None
        moment = moment.replace(tzinfo=default_zone)
    if not EARLIEST <= moment <= LATEST:
        return None
    return moment


def format_cursor(moment: datetime.datetime, pk: int) -> str:
    """``<moment in UTC, ISO with Z>_<id>``: a plus sign in a query string reads as a
    space, so the zone is written as Z."""
    stamp = moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    return f"{stamp}_{pk}"


def parse_cursor(value: str) -> tuple[datetime.datetime, int] | None:
    stamp, _sep, pk = value.rpartition("_")
    moment = parse_moment(stamp) if stamp else None
    key = parse_key(pk)
    if moment is None or key is None:
        return None
    return moment, key
