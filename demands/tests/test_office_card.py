"""The yellow and red cards of the office's list."""

import datetime

from demands.views.office import NO_CARD, RED, YELLOW, deadline_card

NOW = datetime.datetime(2007, 5, 8, 9, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def test_a_passed_deadline_earns_a_red_card():
    assert deadline_card(NOW - HOUR, NOW) == RED


def test_a_deadline_within_a_day_earns_a_yellow_card():
    assert deadline_card(NOW + 23 * HOUR, NOW) == YELLOW
    assert deadline_card(NOW + 24 * HOUR, NOW) == YELLOW


def test_a_distant_deadline_earns_no_card():
    assert deadline_card(NOW + 25 * HOUR, NOW) == NO_CARD


def test_a_demand_without_a_running_deadline_earns_no_card():
    assert deadline_card(None, NOW) == NO_CARD


def test_the_warning_window_is_configurable():
    assert deadline_card(NOW + 3 * HOUR, NOW, warning=2 * HOUR) == NO_CARD
    assert deadline_card(NOW + HOUR, NOW, warning=2 * HOUR) == YELLOW
