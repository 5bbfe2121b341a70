"""Cursors and moments from query strings: parsed, or refused, never a crash."""

import datetime

import pytest

from core.keyset import format_cursor, parse_cursor, parse_moment

MOMENT = datetime.datetime(2007, 3, 28, 9, 30, tzinfo=datetime.UTC)


def test_a_cursor_round_trips():
    assert parse_cursor(format_cursor(MOMENT, 42)) == (MOMENT, 42)
    assert "+" not in format_cursor(MOMENT, 42)


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-30T00:00:00Z_1",  # no such day
        "9999-12-31T23:59:59-12:00_1",  # overflows once shifted to UTC
        "0001-01-01T00:00:00+14:00_1",
        "2007-03-28T09:30:00_1",  # no zone
        "2007-03-28T09:30:00Z_x",
        "2007-03-28T09:30:00Z_¹7",  # a superscript: isdigit() but not int()
        "2007-03-28T09:30:00Z_٣",  # another script's digit: int() takes it
        "2007-03-28T09:30:00Z_" + "9" * 30,
        "garbage",
        "",
    ],
)
def test_a_bad_cursor_is_refused(value):
    assert parse_cursor(value) is None


def test_a_naive_moment_takes_the_given_zone():
    zone = datetime.timezone(datetime.timedelta(hours=8))
    moment = parse_moment("2007-03-28T09:30:00", default_zone=zone)
    assert moment == datetime.datetime(2007, 3, 28, 1, 30, tzinfo=datetime.UTC)
