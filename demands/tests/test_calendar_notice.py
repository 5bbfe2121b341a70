"""The office enters the year's holiday notice; its pages warn while the next 60
days' make-up days are unknown."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.workdays import add_workdays
from org import calendar
from org.models import HolidayNotice, WorkdayOverride

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("demands_calendar:notice")
NOTICE = (
    "一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月4日（周一）上班。\n"
    "二、春节：2月5日（除夕、周五）至11日（周四）放假调休，共7天。2月20日（周六）上班。"
)


@pytest.fixture
def clock(time_machine):
    moment = timezone.make_aware(datetime.datetime(2026, 12, 6, 10))
    time_machine.move_to(moment, tick=True)
    return moment


def test_reading_the_notice_shows_its_days_and_saves_nothing(login, world, clock):
    response = login(world.director).post(URL, {"year": 2027, "text": NOTICE})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(entry.day, entry.is_workday) for entry, _weekday in rows][:4] == [
        (D(2027, 1, 1), False),
        (D(2027, 1, 2), False),
        (D(2027, 1, 3), False),
        (D(2027, 1, 4), True),
    ]
    assert len(rows) == 3 + 1 + 7 + 1
    assert not WorkdayOverride.objects.exists()
    assert not HolidayNotice.objects.exists()


def test_the_confirmed_notice_is_saved_audited_and_counts(login, world, clock):
    client = login(world.director)
    response = client.post(URL, {"year": 2027, "text": NOTICE, "confirm": "1"})
    assert response.status_code == 302
    assert HolidayNotice.objects.get().year == 2027
    overrides = calendar.overrides()
    assert overrides[D(2027, 2, 20)] is True
    assert overrides[D(2027, 2, 11)] is False
    entry = ModelLogEntry.objects.get(action="sanfu.calendar.notice")
    assert entry.user == world.director
    assert entry.data["working_days"] == ["2027-01-04", "2027-02-20"]
    start = timezone.make_aware(datetime.datetime(2027, 2, 4, 10))
    # 5 to 11 February are days off, the Saturday 20th a working day
    assert add_workdays(start, 1, overrides).date() == D(2027, 2, 12)
    assert calendar.calendar_gaps(D(2026, 12, 6)) == []


def test_text_with_no_dates_is_refused_with_a_reason(login, world, clock):
    response = login(world.director).post(
        URL, {"year": 2027, "text": "明年照常", "confirm": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not HolidayNotice.objects.exists()


def test_dates_outside_the_year_are_refused(login, world, clock):
    response = login(world.director).post(
        URL, {"year": 2027, "text": "2029-01-01 放假", "confirm": "1"}
    )
    assert response.context["form"].errors
    assert not WorkdayOverride.objects.exists()


@pytest.mark.parametrize("persona", ["clerk", "liaison_a", "leader"])
def test_other_roles_cannot_enter_the_notice(login, world, clock, persona):
    client = login(getattr(world, persona))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"year": 2027, "text": NOTICE, "confirm": "1"})
    assert response.status_code == 403
    assert not WorkdayOverride.objects.exists()


def test_the_office_list_warns_while_next_years_notice_is_missing(login, world, clock):
    client = login(world.director)
    page = client.get(reverse("demands_office:index")).content.decode()
    assert "calendar-warning" in page
    assert URL in page
    client.post(URL, {"year": 2027, "text": NOTICE, "confirm": "1"})
    page = client.get(reverse("demands_office:index")).content.decode()
    assert "calendar-warning" not in page


def test_the_cockpit_warns_too(login, world, clock):
    page = login(world.leader).get(reverse("dashboard:cockpit")).content.decode()
    assert "calendar-warning" in page
    assert URL not in page  # the leader reads the warning; the office enters


def test_no_warning_while_the_package_covers_the_next_60_days(
    login, world, time_machine
):
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 6, 1, 10)))
    page = login(world.director).get(reverse("demands_office:index")).content.decode()
    assert "calendar-warning" not in page


def test_the_calendar_listing_links_to_the_notice_screen(login, world, clock):
    page = login(world.director).get(reverse("workday_override:index"))
    assert URL in page.content.decode()
