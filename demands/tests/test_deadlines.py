"""Working days of the Chinese calendar, and the deadlines and cards built on them."""

import datetime
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from core.workdays import (
    add_workdays,
    is_workday,
    nth_workday_back,
    statutory_holidays,
    unannounced_years,
    workdays_between,
)
from demands import actions, deadlines
from demands.deadlines import card, card_for
from demands.models import DeadlineRule, Demand, DemandKind, DemandStatus, Urgency
from demands.tests.factories import CategoryFactory
from org.models import WorkdayOverride

D = datetime.date
NO_OVERRIDES: dict[datetime.date, bool] = {}


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


# -- the calendar ------------------------------------------------------------------


def test_the_national_day_holiday_of_2025_is_no_working_day():
    for day in range(1, 9):
        assert not is_workday(D(2025, 10, day), NO_OVERRIDES)
    assert is_workday(D(2025, 10, 9), NO_OVERRIDES)


def test_the_make_up_weekend_days_of_the_national_day_holiday_are_working_days():
    assert is_workday(D(2025, 9, 28), NO_OVERRIDES)  # a Sunday
    assert is_workday(D(2025, 10, 11), NO_OVERRIDES)  # a Saturday


def test_one_working_day_from_the_eve_of_national_day_is_after_the_holiday():
    assert add_workdays(at(D(2025, 9, 30)), 1, NO_OVERRIDES) == at(D(2025, 10, 9))


def test_the_make_up_saturday_counts_as_a_working_day():
    assert add_workdays(at(D(2025, 10, 10)), 1, NO_OVERRIDES) == at(D(2025, 10, 11))


def test_a_deadline_keeps_its_time_of_day():
    assert add_workdays(at(D(2025, 9, 30), 17, 45), 2, NO_OVERRIDES) == at(
        D(2025, 10, 10), 17, 45
    )


def test_a_year_the_package_lacks_still_keeps_the_statutory_holidays():
    # 2027-01-01 (a Friday) is 元旦: without an announcement it is still a day off
    assert not is_workday(D(2027, 1, 1), NO_OVERRIDES)
    assert not is_workday(D(2027, 1, 2), NO_OVERRIDES)
    assert is_workday(D(2027, 1, 4), NO_OVERRIDES)
    assert add_workdays(at(D(2026, 12, 31)), 1, NO_OVERRIDES) == at(D(2027, 1, 4))


def test_fifteen_working_days_from_mid_december_cross_new_years_day():
    assert add_workdays(at(D(2026, 12, 14)), 15, NO_OVERRIDES) == at(D(2027, 1, 5))


def test_the_statutory_holidays_of_2027_follow_the_lunar_calendar():
    assert statutory_holidays(2027) == {
        D(2027, 1, 1),  # 元旦
        D(2027, 2, 5),  # 除夕
        D(2027, 2, 6),  # 春节 (正月初一)
        D(2027, 2, 7),
        D(2027, 2, 8),
        D(2027, 4, 5),  # 清明
        D(2027, 5, 1),  # 劳动节
        D(2027, 5, 2),
        D(2027, 6, 9),  # 端午 (五月初五)
        D(2027, 9, 15),  # 中秋 (八月十五)
        D(2027, 10, 1),  # 国庆
        D(2027, 10, 2),
        D(2027, 10, 3),
    }


def test_the_spring_festival_starts_on_the_eve_even_after_a_short_twelfth_month():
    # 2026's twelfth lunar month has 29 days: 除夕 is 2026-02-16, 初一 02-17
    assert {D(2026, 2, 16), D(2026, 2, 17)} <= statutory_holidays(2026)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_holiday_is_a_day_off_in_the_announced_years(year):
    # The rule as amended in 2024 took effect in 2025; the notices agree with it.
    assert len(statutory_holidays(year)) == 13
    for day in statutory_holidays(year):
        assert not is_workday(day, NO_OVERRIDES), day


def test_a_year_is_unannounced_until_the_package_or_a_notice_covers_it():
    assert unannounced_years(D(2026, 6, 1), 60, []) == []
    assert unannounced_years(D(2026, 12, 6), 60, []) == [2027]
    assert unannounced_years(D(2026, 12, 6), 60, [2027]) == []
    assert unannounced_years(D(2026, 10, 1), 60, []) == []


def test_an_override_makes_a_day_a_holiday_or_a_working_day():
    overrides = {D(2027, 1, 4): False, D(2027, 2, 20): True}
    assert add_workdays(at(D(2026, 12, 31)), 1, overrides) == at(D(2027, 1, 5))
    assert add_workdays(at(D(2027, 2, 19)), 1, overrides) == at(D(2027, 2, 20))


def test_an_override_wins_over_the_package():
    assert not is_workday(D(2025, 10, 9), {D(2025, 10, 9): False})


def test_zero_working_days_is_the_same_moment_and_negative_ones_are_refused():
    assert add_workdays(at(D(2025, 10, 4)), 0, NO_OVERRIDES) == at(D(2025, 10, 4))
    with pytest.raises(ValueError):
        add_workdays(at(D(2025, 10, 4)), -1, NO_OVERRIDES)


def test_working_days_between_two_dates_skip_the_holiday():
    assert workdays_between(D(2025, 9, 30), D(2025, 10, 11), NO_OVERRIDES) == 3
    assert workdays_between(D(2025, 10, 11), D(2025, 9, 30), NO_OVERRIDES) == 0


def test_counting_working_days_back_skips_the_holiday():
    assert nth_workday_back(D(2025, 10, 9), 1, NO_OVERRIDES) == D(2025, 10, 9)
    assert nth_workday_back(D(2025, 10, 5), 1, NO_OVERRIDES) == D(2025, 9, 30)
    assert nth_workday_back(D(2025, 10, 9), 2, NO_OVERRIDES) == D(2025, 9, 30)
    with pytest.raises(ValueError):
        nth_workday_back(D(2025, 10, 9), 0, NO_OVERRIDES)


@given(
    start=st.dates(min_value=D(2004, 1, 1), max_value=D(2028, 12, 31)),
    days=st.integers(min_value=0, max_value=30),
)
def test_adding_working_days_lands_on_a_working_day_that_many_days_on(start, days):
    due = add_workdays(at(start), days, NO_OVERRIDES).date()
    assert workdays_between(start, due, NO_OVERRIDES) == days
    if days:
        assert is_workday(due, NO_OVERRIDES)


# -- deadlines of a demand ---------------------------------------------------------


def make_demand(world, **extra) -> Demand:
    category = CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a
    )
    fields: dict[str, Any] = {
        "kind": DemandKind.HELP,
        "title": "村口水渠堵塞",
        "content": "雨季將至，村口水渠堵塞。",
        "urgency": Urgency.NORMAL,
        "category": category,
    }
    fields.update(extra)
    demand, _code = actions.submit_demand(world.campaign, **fields)
    return demand


@pytest.mark.parametrize(
    ("urgency", "hours"),
    [(Urgency.CRITICAL, 1), (Urgency.URGENT, 2), (Urgency.NORMAL, 24)],
)
def test_the_office_has_hours_by_urgency_to_dispatch(urgency, hours):
    since = at(D(2025, 9, 30))
    assert deadlines.dispatch_due(urgency, since) == since + datetime.timedelta(
        hours=hours
    )


@pytest.mark.django_db
def test_a_unit_has_one_working_day_to_accept():
    assert deadlines.accept_due(at(D(2025, 9, 30))) == at(D(2025, 10, 9))


@pytest.mark.django_db
def test_an_override_in_the_table_moves_the_acceptance_deadline():
    WorkdayOverride.objects.create(day=D(2025, 10, 9), is_workday=False)
    assert deadlines.accept_due(at(D(2025, 9, 30))) == at(D(2025, 10, 10))


@pytest.mark.parametrize(
    ("kind", "due"),
    [
        (DemandKind.CONSULTATION, D(2025, 10, 10)),
        (DemandKind.HELP, D(2025, 10, 21)),
        (DemandKind.COMPLAINT, D(2025, 10, 21)),
        (DemandKind.SUGGESTION, D(2025, 10, 28)),
        (DemandKind.REPORT, D(2025, 10, 28)),
    ],
)
def test_the_reply_deadline_depends_on_the_kind(world, kind, due):
    demand = make_demand(world, kind=kind)
    assert deadlines.reply_due(demand, at(D(2025, 9, 30))) == at(due)


def test_the_reply_days_per_kind_are_a_setting(world, settings):
    settings.SANFU_DEMANDS = {
        **settings.SANFU_DEMANDS,
        "REPLY_WORKDAYS": {**settings.SANFU_DEMANDS["REPLY_WORKDAYS"], "help": 1},
    }
    demand = make_demand(world, kind=DemandKind.HELP)
    assert deadlines.reply_due(demand, at(D(2025, 9, 30))) == at(D(2025, 10, 9))


def test_a_campaign_rule_wins_over_the_setting(world):
    DeadlineRule.objects.create(
        campaign=world.campaign, kind=DemandKind.HELP, reply_days=3
    )
    demand = make_demand(world, kind=DemandKind.HELP)
    assert deadlines.reply_due(demand, at(D(2025, 9, 30))) == at(D(2025, 10, 11))


def test_extension_days_add_working_days_to_the_reply_deadline(world):
    demand = make_demand(world, kind=DemandKind.CONSULTATION)
    demand.extension_days = 2
    # 2 + 2 working days after 30 September: 9, 10, 11 (Saturday, made up), 13 October
    assert deadlines.reply_due(demand, at(D(2025, 9, 30))) == at(D(2025, 10, 13))
    assert deadlines.extend(at(D(2025, 10, 10)), 2) == at(D(2025, 10, 13))


def test_an_approved_extension_moves_the_reply_deadline_by_working_days(world):
    demand = make_demand(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    before = demand.reply_due
    assert before is not None
    extension = actions.request_extension(
        demand, days=3, reason="需協調多個部門", actor=world.liaison_a
    )
    actions.decide_extension(extension, approve=True, actor=world.director)
    demand.refresh_from_db()
    assert demand.extension_days == 3
    assert demand.reply_due == deadlines.extend(before, 3)
    assert (
        workdays_between(
            timezone.localdate(before), timezone.localdate(demand.reply_due), {}
        )
        == 3
    )


def test_a_refused_extension_leaves_the_deadline(world):
    demand = make_demand(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    before = demand.reply_due
    extension = actions.request_extension(
        demand, days=3, reason="需協調", actor=world.liaison_a
    )
    actions.decide_extension(extension, approve=False, actor=world.director)
    demand.refresh_from_db()
    assert (demand.reply_due, demand.extension_days) == (before, 0)


# -- cards ---------------------------------------------------------------------------


HOUR = datetime.timedelta(hours=1)
SECOND = datetime.timedelta(seconds=1)
# Monday 7 to Sunday 13 December 2026
WEEK = [D(2026, 12, 7) + datetime.timedelta(days=n) for n in range(7)]


def test_no_deadline_shows_no_card():
    now = at(D(2025, 9, 30))
    assert card_for(None, now, start=now, yellow_percent=75) == ""


def test_a_card_turns_yellow_at_the_share_of_the_limit_and_red_after_it():
    start = at(D(2025, 9, 30))
    due = start + 24 * HOUR

    def card_at(now: datetime.datetime, percent: int = 75) -> str:
        return card_for(due, now, start=start, yellow_percent=percent)

    assert card_at(start) == ""
    assert card_at(start + 18 * HOUR - SECOND) == ""
    assert card_at(start + 18 * HOUR) == "yellow"
    assert card_at(due) == "yellow"
    assert card_at(due + SECOND) == "red"
    assert card_at(start + 12 * HOUR, percent=50) == "yellow"


@pytest.mark.parametrize("day", [*WEEK, D(2026, 12, 31), D(2027, 1, 1)], ids=str)
def test_a_new_demand_shows_no_card_in_its_first_hours(world, time_machine, day):
    time_machine.move_to(at(day), tick=False)
    demand = make_demand(world)
    assert demand.dispatch_due == at(day) + 24 * HOUR
    assert card(demand, at(day)) == ""
    assert card(demand, at(day) + 18 * HOUR - SECOND) == ""
    assert card(demand, at(day) + 18 * HOUR) == "yellow"
    assert card(demand, demand.dispatch_due + SECOND) == "red"


def test_the_yellow_share_is_set_per_campaign(world, time_machine):
    world.campaign.yellow_card_percent = 50
    world.campaign.save(update_fields=["yellow_card_percent"])
    time_machine.move_to(at(D(2026, 12, 7)), tick=False)
    demand = make_demand(world)
    assert card(demand, at(D(2026, 12, 7)) + 12 * HOUR - SECOND) == ""
    assert card(demand, at(D(2026, 12, 7)) + 12 * HOUR) == "yellow"


@pytest.mark.parametrize(
    ("day", "accept", "reply"),
    [
        (WEEK[0], D(2026, 12, 8), D(2026, 12, 21)),
        (WEEK[1], D(2026, 12, 9), D(2026, 12, 22)),
        (WEEK[2], D(2026, 12, 10), D(2026, 12, 23)),
        (WEEK[3], D(2026, 12, 11), D(2026, 12, 24)),
        (WEEK[4], D(2026, 12, 14), D(2026, 12, 25)),
        (WEEK[5], D(2026, 12, 14), D(2026, 12, 25)),
        (WEEK[6], D(2026, 12, 14), D(2026, 12, 25)),
        # 2027-01-01 is 元旦, a statutory holiday though no 2027 notice is entered
        (D(2026, 12, 24), D(2026, 12, 25), D(2027, 1, 8)),
        (D(2026, 12, 31), D(2027, 1, 4), D(2027, 1, 15)),
    ],
    ids=str,
)
def test_a_dispatched_demand_is_due_by_the_calendar_on_every_day(
    world, time_machine, day, accept, reply
):
    time_machine.move_to(at(day), tick=False)
    demand = make_demand(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    assert (demand.accept_due, demand.reply_due) == (at(accept), at(reply))
    assert demand.accept_due is not None
    limit = demand.accept_due - at(day)
    assert card(demand, at(day)) == ""
    assert card(demand, at(day) + limit * 3 / 4 - SECOND) == ""
    assert card(demand, at(day) + limit * 3 / 4) == "yellow"
    assert card(demand, demand.accept_due + SECOND) == "red"


def test_a_report_dispatched_in_mid_december_is_due_after_new_years_day(
    world, time_machine
):
    time_machine.move_to(at(D(2026, 12, 14)), tick=False)
    demand = make_demand(world, kind=DemandKind.REPORT)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    assert demand.reply_due == at(D(2027, 1, 5))


def test_a_reopened_demands_card_counts_its_new_reply_limit(world, time_machine):
    time_machine.move_to(at(D(2026, 12, 7)), tick=False)
    demand = make_demand(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply="已疏通。", solved=True, actor=world.liaison_a
    )
    time_machine.move_to(at(D(2026, 12, 21)), tick=False)
    demand = actions.rate_demand(demand, rating="unsatisfied")
    assert demand.status == DemandStatus.REOPENED
    # 10 working days from Monday 21 December, over 元旦: Tuesday 5 January
    assert demand.reply_due == at(D(2027, 1, 5))
    assert card(demand, at(D(2026, 12, 21))) == ""
    assert card(demand, at(D(2026, 12, 31))) == ""
    assert card(demand, at(D(2027, 1, 3))) == "yellow"
    assert card(demand, at(D(2027, 1, 5)) + SECOND) == "red"


def test_a_demands_card_follows_the_deadline_of_its_present_step(world):
    demand = make_demand(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    assert demand.accept_due is not None and demand.reply_due is not None
    assert card(demand, demand.accept_due + datetime.timedelta(minutes=1)) == "red"
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    assert demand.accept_due is not None and demand.reply_due is not None
    assert card(demand, demand.accept_due + datetime.timedelta(minutes=1)) == ""
    assert card(demand, demand.reply_due + datetime.timedelta(minutes=1)) == "red"


def test_a_closed_demand_shows_no_card(world):
    demand = make_demand(world)
    demand.status = DemandStatus.CLOSED
    assert card(demand, demand.dispatch_due + datetime.timedelta(days=30)) == ""
