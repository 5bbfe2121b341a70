"""The back-office screens for what the sweep leaves: return visits and notices."""

import datetime
import re

import pytest
from django.utils import timezone

from demands import actions, sweeps
from demands.models import (
    Demand,
    DemandStatus,
    NoticeKind,
    Rating,
    ReturnVisit,
)
from demands.tests.factories import submit_test_demand

VISITS = "/admin/demands/follow-up/visits/"
NOTICES = "/admin/demands/follow-up/notices/"
EVE = datetime.date(2025, 9, 30)
AFTER = timezone.make_aware(datetime.datetime(2025, 10, 9, 10))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submitted(world) -> Demand:
    return submit_test_demand(world)


def eve() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(EVE, datetime.time(10)))


def with_visit(world) -> ReturnVisit:
    demand = actions.dispatch_demand(
        submitted(world), world.unit_a, actor=world.director
    )
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply="已疏通。", solved=True, actor=world.liaison_a
    )
    Demand.objects.filter(pk=demand.pk).update(replied_at=eve())
    sweeps.schedule_return_visits(AFTER)
    return ReturnVisit.objects.get(demand=demand)


def with_notice(world, unit=None) -> Demand:
    demand = actions.dispatch_demand(
        submitted(world), unit or world.unit_a, actor=world.director
    )
    Demand.objects.filter(pk=demand.pk).update(accept_due=eve())
    sweeps.issue_notices(AFTER, NoticeKind.REMINDER)
    return demand


# -- return visits ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["director", "clerk"])
def test_the_office_sees_the_due_visits_with_the_phone_to_call(world, login, persona):
    visit = with_visit(world)
    response = login(getattr(world, persona)).get(VISITS)
    assert response.status_code == 200
    text = response.content.decode()
    assert visit.demand.tracking_no in text
    assert "13812345678" in text


@pytest.mark.parametrize("persona", ["liaison_a", "head_a", "leader", "editor"])
def test_it_refuses_the_visits_to_anyone_but_the_office(world, login, persona):
    with_visit(world)
    response = login(getattr(world, persona)).get(VISITS)
    assert response.status_code in (302, 403)
    assert "13812345678" not in response.content.decode()


def test_the_office_of_another_campaign_sees_none_of_its_visits(
    world, other_world, login
):
    visit = with_visit(world)
    response = login(other_world.director).get(VISITS)
    assert response.status_code == 200
    assert visit.demand.tracking_no not in response.content.decode()


def test_the_visit_list_pins_its_query_count(
    world, login, django_assert_max_num_queries
):
    for _ in range(5):
        with_visit(world)
    client = login(world.clerk)
    client.get(VISITS)
    with django_assert_max_num_queries(25):
        response = client.get(VISITS)
    assert response.content.decode().count("13812345678") == 5


def test_the_visit_list_shows_the_reply_to_ask_about(world, login):
    visit = with_visit(world)
    text = login(world.clerk).get(VISITS).content.decode()
    assert "已疏通。" in text
    assert visit.demand.tracking_no in text


def test_a_reader_who_may_not_see_contact_reads_the_reply_masked(
    world, login, monkeypatch
):
    """The rule of the demand's page: the reply as typed for those who call back,
    masked for anyone else."""
    from demands.views import followup

    visit = with_visit(world)
    Demand.objects.filter(pk=visit.demand_id).update(
        reply="已聯繫陈志华13600001111疏通。"
    )
    client = login(world.clerk)
    assert "陈志华13600001111" in client.get(VISITS).content.decode()
    monkeypatch.setattr(followup, "sees_contact", lambda user, demand: False)
    text = client.get(VISITS).content.decode()
    assert "陈**136****1111" in text
    assert "13600001111" not in text
    assert "13812345678" not in text


def test_the_visit_list_pages_and_keeps_its_parameters(world, login, monkeypatch):
    from demands.views import followup

    monkeypatch.setattr(followup, "PAGE_SIZE", 2)
    visits = [with_visit(world) for _ in range(3)]
    client = login(world.clerk)
    first = client.get(VISITS, {"q": "水渠"}).content.decode()
    # the row's link (a near-copy flag may name an earlier demand's number)
    assert [f">{v.demand.tracking_no}</a>" in first for v in visits] == [
        True,
        True,
        False,
    ]
    links = re.findall(r'href="(\?[^"]*p=2[^"]*)"', first)
    assert links and all("q=%E6%B0%B4%E6%B8%A0" in link for link in links)
    second = client.get(VISITS, {"q": "水渠", "p": 2}).content.decode()
    assert [f">{v.demand.tracking_no}</a>" in second for v in visits] == [
        False,
        False,
        True,
    ]


def test_recording_a_visit_rates_the_demand(world, login):
    visit = with_visit(world)
    response = login(world.clerk).post(
        f"{VISITS}{visit.pk}/record/",
        {"rating": Rating.BASICALLY_SATISFIED, "note": "電話回訪"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.rating, visit.by) == (Rating.BASICALLY_SATISFIED, world.clerk)
    assert visit.demand.status == DemandStatus.CLOSED


def test_recording_a_visit_twice_is_refused_with_a_message(world, login):
    visit = with_visit(world)
    client = login(world.clerk)
    client.post(f"{VISITS}{visit.pk}/record/", {"rating": Rating.UNKNOWN})
    response = client.post(
        f"{VISITS}{visit.pk}/record/", {"rating": Rating.SATISFIED}, follow=True
    )
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.rating == Rating.UNKNOWN


def test_it_refuses_to_record_a_visit_for_a_unit(world, login):
    visit = with_visit(world)
    response = login(world.liaison_a).post(
        f"{VISITS}{visit.pk}/record/", {"rating": Rating.SATISFIED}
    )
    assert response.status_code in (302, 404)
    visit.refresh_from_db()
    assert visit.done_at is None


def test_an_invalid_rating_records_nothing(world, login):
    visit = with_visit(world)
    login(world.clerk).post(f"{VISITS}{visit.pk}/record/", {"rating": "great"})
    visit.refresh_from_db()
    assert visit.done_at is None


# -- notices ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["director", "leader", "head_a", "liaison_a"])
def test_the_office_leaders_and_the_named_unit_see_the_notice(world, login, persona):
    demand = with_notice(world)
    response = login(getattr(world, persona)).get(NOTICES)
    assert response.status_code == 200
    assert demand.tracking_no in response.content.decode()


def test_another_unit_does_not_see_the_notice(world, login):
    demand = with_notice(world)
    response = login(world.liaison_b).get(NOTICES)
    assert demand.tracking_no not in response.content.decode()


def test_the_notice_list_pins_its_query_count(
    world, login, django_assert_max_num_queries
):
    for _ in range(5):
        with_notice(world)
    client = login(world.director)
    client.get(NOTICES)
    with django_assert_max_num_queries(25):
        client.get(NOTICES)


def test_the_named_unit_downloads_the_notice(world, login):
    demand = with_notice(world)
    notice = demand.notices.get()
    response = login(world.liaison_a).get(f"{NOTICES}{notice.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert demand.tracking_no in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_it_refuses_another_unit_the_download(world, login):
    notice = with_notice(world).notices.get()
    response = login(world.liaison_b).get(f"{NOTICES}{notice.pk}/download/")
    assert response.status_code == 404


def test_it_refuses_the_notices_to_an_anonymous_visitor(world, client):
    notice = with_notice(world).notices.get()
    response = client.get(f"{NOTICES}{notice.pk}/download/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_notice_list_pages_instead_of_stopping(world, login, monkeypatch):
    from demands.views import followup

    monkeypatch.setattr(followup, "PAGE_SIZE", 2)  # 100 in use
    demands = [with_notice(world) for _ in range(3)]
    client = login(world.director)
    first = client.get(NOTICES).content.decode()
    second = client.get(NOTICES, {"p": 2}).content.decode()
    assert "?p=2" in first
    numbers = [demand.tracking_no for demand in demands]
    assert [n in first for n in numbers] == [False, True, True]  # newest first
    assert [n in second for n in numbers] == [True, False, False]
