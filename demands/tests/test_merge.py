"""Merged duplicates (合併): the office merges a duplicate into a parent order; the
parent's reply reaches every merged requester, who rates it on their own; the
figures count the parent once; merging and splitting are audited and undone."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from core.errors import Conflict, Refused, refusal_text
from demands import actions, duplicates, metrics, rollup, sweeps
from demands.models import (
    Demand,
    DemandDayStat,
    DemandStatus,
    Rating,
    ReturnVisit,
)
from demands.tests.factories import AreaFactory, CategoryFactory, submit_test_demand

pytestmark = pytest.mark.django_db

# a Monday morning: deadlines in working days do not cross a weekend here
MONDAY = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(MONDAY, tick=True)


@pytest.fixture
def category(world):
    return CategoryFactory.create(campaign=world.campaign, default_unit=world.unit_a)


@pytest.fixture
def parent(world, category):
    demand = submit_test_demand(
        world,
        category=category,
        title="村口水渠堵塞",
        content="雨季將至，村口水渠堵塞，請幫助疏通。",
        submitter_name="張三",
        submitter_phone="13812345678",
    )
    return actions.dispatch_demand(demand, world.unit_a, actor=world.director)


@pytest.fixture
def child(world, category):
    return submit_test_demand(
        world,
        category=category,
        title="村口水渠又堵了",
        content="村口水渠堵塞，雨季將至，請盡快疏通。",
        submitter_name="李四",
        submitter_phone="13900001111",
    )


def fresh(demand) -> Demand:
    return Demand.objects.get(pk=demand.pk)


def actions_of(demand) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(demand)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def answer(world, parent, reply="已疏通水渠", solved=True):
    parent = actions.accept_demand(parent, actor=world.liaison_a)
    return actions.reply_demand(
        parent, reply=reply, solved=solved, actor=world.liaison_a
    )


# -- the actions ------------------------------------------------------------------


def test_merging_puts_the_duplicate_under_its_parent(world, parent, child):
    merged = actions.merge_demand(
        child, parent, reason="同一水渠", actor=world.director
    )
    assert merged.status == DemandStatus.MERGED
    assert merged.merged_into == parent
    assert merged.status_before_merge == DemandStatus.SUBMITTED
    assert list(parent.merged_children.all()) == [merged]
    assert not Demand.objects.open().filter(pk=child.pk).exists()
    assert actions_of(child)[-1] == "sanfu.demand.merge"
    assert actions_of(parent)[-1] == "sanfu.demand.merge_receive"
    entry = ModelLogEntry.objects.for_instance(child).get(action="sanfu.demand.merge")
    assert entry.data["merged_into"] == parent.tracking_no
    assert entry.data["reason"] == "同一水渠"
    assert entry.data["changes"]["status"] == ["submitted", "merged"]
    assert entry.user_id == world.director.pk


def test_the_parents_reply_reaches_each_merged_requester(
    world, parent, child, category
):
    third = submit_test_demand(world, category=category, submitter_phone="")
    actions.merge_demand(child, parent, actor=world.director)
    actions.merge_demand(third, parent, actor=world.director)
    answer(world, parent, reply="已派人疏通，明日完工。")
    for merged in (fresh(child), fresh(third)):
        assert merged.status == DemandStatus.REPLIED
        assert merged.reply == "已派人疏通，明日完工。"
        assert merged.solved is True
        assert merged.replied_at == fresh(parent).replied_at
        assert merged.unit == world.unit_a
        assert merged.merged_into_id == parent.pk
        assert actions_of(merged)[-1] == "sanfu.demand.reply"


def test_each_merged_requester_rates_on_their_own(world, parent, child):
    actions.merge_demand(child, parent, actor=world.director)
    answer(world, parent)
    actions.rate_demand(fresh(child), rating=Rating.BASICALLY_SATISFIED)
    assert fresh(child).status == DemandStatus.CLOSED
    assert fresh(child).rating == Rating.BASICALLY_SATISFIED
    # the parent's requester has not rated yet: the parent waits for it
    assert fresh(parent).status == DemandStatus.REPLIED
    actions.rate_demand(fresh(parent), rating=Rating.SATISFIED)
    assert fresh(parent).rating == Rating.SATISFIED


def test_an_unsatisfied_merged_requester_closes_theirs_without_reopening(
    world, parent, child
):
    actions.merge_demand(child, parent, actor=world.director)
    answer(world, parent)
    actions.rate_demand(fresh(child), rating=Rating.UNSATISFIED)
    assert fresh(child).status == DemandStatus.CLOSED
    assert fresh(child).rating == Rating.UNSATISFIED
    assert fresh(parent).status == DemandStatus.REPLIED


def test_a_reopened_parents_second_reply_reaches_the_unrated_children(
    world, parent, child
):
    actions.merge_demand(child, parent, actor=world.director)
    answer(world, parent, reply="第一次答覆")
    actions.rate_demand(fresh(parent), rating=Rating.UNSATISFIED)
    assert fresh(parent).status == DemandStatus.REOPENED
    actions.reply_demand(
        fresh(parent), reply="第二次答覆", solved=True, actor=world.liaison_a
    )
    assert fresh(child).reply == "第二次答覆"


def test_each_merged_requester_with_a_phone_gets_a_return_visit(world, parent, child):
    actions.merge_demand(child, parent, actor=world.director)
    answer(world, parent)
    sweeps.sweep(timezone.now() + datetime.timedelta(days=1))
    assert ReturnVisit.objects.filter(demand=child).count() == 1
    assert ReturnVisit.objects.filter(demand=parent).count() == 1


def test_splitting_undoes_the_merge(world, parent, child):
    dispatched = actions.dispatch_demand(child, world.unit_b, actor=world.director)
    actions.merge_demand(dispatched, parent, actor=world.director)
    split = actions.split_demand(fresh(child), reason="不同地點", actor=world.director)
    assert split.status == DemandStatus.DISPATCHED
    assert split.unit == world.unit_b
    assert split.merged_into is None and split.status_before_merge == ""
    assert actions_of(child)[-1] == "sanfu.demand.split"
    assert actions_of(parent)[-1] == "sanfu.demand.split_off"
    # handled on its own again
    actions.accept_demand(fresh(child), actor=world.liaison_b)


def test_a_split_demand_no_longer_gets_the_parents_reply(world, parent, child):
    actions.merge_demand(child, parent, actor=world.director)
    actions.split_demand(fresh(child), actor=world.director)
    answer(world, parent)
    assert fresh(child).status == DemandStatus.SUBMITTED
    assert fresh(child).reply == ""


# -- what is refused ---------------------------------------------------------------


def test_a_merged_demand_cannot_be_dispatched_or_answered_separately(
    world, parent, child
):
    dispatched = actions.dispatch_demand(child, world.unit_b, actor=world.director)
    dispatched = actions.accept_demand(dispatched, actor=world.liaison_b)
    actions.merge_demand(dispatched, parent, actor=world.director)
    steps = [
        lambda: actions.reply_demand(
            fresh(child), reply="答覆", solved=True, actor=world.liaison_b
        ),
        lambda: actions.recall_demand(fresh(child), reason="x", actor=world.director),
        lambda: actions.supervise_demand(fresh(child), note="x", actor=world.director),
        lambda: actions.return_demand(fresh(child), reason="x", actor=world.liaison_b),
        lambda: actions.rate_demand(fresh(child), rating=Rating.SATISFIED),
    ]
    for step in steps:
        with pytest.raises(Refused) as refused:
            step()
        assert not isinstance(refused.value, Conflict)
        assert refused.value.code == "merged"
    assert fresh(child).status == DemandStatus.MERGED


def test_a_merged_demand_waiting_to_be_dispatched_cannot_be(world, parent, child):
    actions.merge_demand(child, parent, actor=world.director)
    with pytest.raises(Refused) as refused:
        actions.dispatch_demand(fresh(child), world.unit_a, actor=world.director)
    assert refused.value.code == "merged"


@pytest.mark.parametrize(
    "case",
    ["itself", "already_merged", "parent_merged", "parent_replied", "has_children"],
)
def test_merges_that_make_no_sense_are_refused(world, parent, child, category, case):
    other = submit_test_demand(world, category=category)
    if case == "itself":
        demand, target = child, child
    elif case == "already_merged":
        actions.merge_demand(child, parent, actor=world.director)
        demand, target = fresh(child), other
    elif case == "parent_merged":
        actions.merge_demand(other, parent, actor=world.director)
        demand, target = child, fresh(other)
    elif case == "parent_replied":
        demand, target = child, answer(world, parent)
    else:
        actions.merge_demand(other, child, actor=world.director)
        demand, target = fresh(child), parent
    before = fresh(demand).status
    with pytest.raises(Refused):
        actions.merge_demand(demand, target, actor=world.director)
    assert fresh(demand).status == before


def test_a_demand_of_another_campaign_is_no_parent(world, other_world, child):
    foreign = submit_test_demand(other_world)
    with pytest.raises(Refused) as refused:
        actions.merge_demand(child, foreign, actor=world.director)
    assert refused.value.code == "other_campaign"


def test_only_the_office_merges_and_splits(world, parent, child):
    for person in (world.liaison_a, world.leader):
        with pytest.raises(PermissionDenied):
            actions.merge_demand(child, parent, actor=person)
    actions.merge_demand(child, parent, actor=world.director)
    with pytest.raises(PermissionDenied):
        actions.split_demand(fresh(child), actor=world.liaison_a)


def test_a_demand_the_reply_reached_cannot_be_split_off(world, parent, child):
    actions.merge_demand(child, parent, actor=world.director)
    answer(world, parent)
    with pytest.raises(Refused) as refused:
        actions.split_demand(fresh(child), actor=world.director)
    assert refused.value.code == "replied"


def test_a_demand_not_merged_cannot_be_split(world, child):
    with pytest.raises(Refused) as refused:
        actions.split_demand(child, actor=world.director)
    assert refused.value.code == "not_merged"


# -- the figures count the parent once ---------------------------------------------


def test_the_figures_count_the_parent_once(world, parent, child, category):
    third = submit_test_demand(world, category=category)
    before = metrics.report(world.campaign).total
    assert before.received == 3
    actions.merge_demand(child, parent, actor=world.director)
    actions.merge_demand(third, parent, actor=world.director)
    answer(world, parent)
    actions.rate_demand(fresh(parent), rating=Rating.SATISFIED)
    actions.rate_demand(fresh(child), rating=Rating.UNSATISFIED)
    actions.rate_demand(fresh(third), rating=Rating.SATISFIED)
    total = metrics.report(world.campaign).total
    assert total.received == 1
    assert total.replied == 1
    assert total.rated == 1
    assert total.satisfaction_rate == 1.0
    assert total.response_rate == 1.0
    assert total.on_time_reply_rate == 1.0
    assert metrics.merged_with_parent(world.campaign) == 2
    # the live count agrees with the rollup, and a rebuild with both
    assert metrics.totals(metrics.demands_in(world.campaign)).received == 1
    rows = list(DemandDayStat.objects.values_list("received", "replied", "rated"))
    rollup.rebuild(world.campaign.pk)
    assert list(DemandDayStat.objects.values_list("received", "replied", "rated")) == (
        rows
    )


def test_a_split_demand_counts_again(world, parent, child):
    actions.merge_demand(child, parent, actor=world.director)
    assert metrics.report(world.campaign).total.received == 1
    actions.split_demand(fresh(child), actor=world.director)
    assert metrics.report(world.campaign).total.received == 2
    assert metrics.merged_with_parent(world.campaign) == 0


def test_the_figures_screen_says_how_many_merged_demands_count_with_the_parent(
    login, world, parent, child
):
    actions.merge_demand(child, parent, actor=world.director)
    response = login(world.director).get(
        reverse("demands_metrics:index"), {"campaign": world.campaign.pk}
    )
    assert response.status_code == 200
    assert response.context["merged_note"] == metrics.merged_note(1)
    assert metrics.merged_note(1) in response.content.decode()


# -- the suggestions ----------------------------------------------------------------


def test_the_suggestions_come_from_the_duplicate_check_text_and_place(
    world, parent, category
):
    area = AreaFactory.create(campaign=world.campaign)
    flagged = submit_test_demand(
        world, category=category, title="完全不同", content="路燈不亮", area=area
    )
    same_place = submit_test_demand(
        world,
        category=category,
        title="村口水渠塞住了",
        content="下雨就淹，請疏通。",
        submitter_phone="",
        area=area,
    )
    unrelated = submit_test_demand(
        world,
        category=category,
        title="公園長椅壞了",
        content="公園東門的長椅斷了一條腿。",
        submitter_phone="",
    )
    # the same place and category, another matter
    elsewise = submit_test_demand(
        world,
        category=category,
        title="路燈不亮",
        content="村口的路燈壞了好幾天。",
        submitter_phone="",
        area=area,
    )
    demand = submit_test_demand(
        world,
        category=category,
        title="村口水渠堵住了",
        content="雨季將至，村口的水渠堵塞，請幫助疏通。",
        submitter_phone="",
        area=area,
    )
    Demand.objects.filter(pk=demand.pk).update(possible_duplicate_of=flagged)
    demand.refresh_from_db()
    suggestions = duplicates.merge_suggestions(demand, Demand.objects.all())
    found = {s.demand.pk: s for s in suggestions}
    assert suggestions[0].demand == flagged and suggestions[0].flagged
    assert found[parent.pk].percent >= 40
    assert found[same_place.pk].same_place
    assert unrelated.pk not in found
    assert elsewise.pk not in found
    # a merged demand or one closed is no parent
    actions.merge_demand(same_place, parent, actor=world.director)
    again = duplicates.merge_suggestions(demand, Demand.objects.all())
    assert same_place.pk not in {s.demand.pk for s in again}


# -- the office's pages ------------------------------------------------------------


def step(name, demand) -> str:
    return reverse(f"demands_office:{name}", args=[demand.pk])


def detail(demand) -> str:
    return reverse("demands_office:detail", args=[demand.pk])


def test_the_office_merges_from_the_demands_page(login, world, parent, child):
    client = login(world.director)
    page = client.get(detail(child))
    assert "merge_form" in page.context
    assert parent.pk in {s.demand.pk for s in page.context["merge_suggestions"]}
    response = client.post(step("merge", child), {"parent": parent.tracking_no})
    assert response.status_code == 302
    assert fresh(child).merged_into_id == parent.pk
    parent_page = client.get(detail(parent))
    assert [c.pk for c in parent_page.context["merged_children"]] == [child.pk]
    assert child.tracking_no in parent_page.content.decode()
    child_page = client.get(detail(child))
    assert "split_form" in child_page.context
    assert "merge_form" not in child_page.context
    assert "dispatch_form" not in child_page.context


def test_an_unknown_parent_number_is_a_form_error(login, world, child):
    response = login(world.director).post(step("merge", child), {"parent": "NOPE1234"})
    assert response.status_code == 200
    assert response.context["merge_form"].errors["parent"]
    assert fresh(child).status == DemandStatus.SUBMITTED


def test_the_office_splits_from_the_demands_page(login, world, parent, child):
    actions.merge_demand(child, parent, actor=world.director)
    response = login(world.director).post(step("split", child), {"reason": ""})
    assert response.status_code == 302
    assert fresh(child).merged_into_id is None


@pytest.mark.parametrize("name", ["merge", "split"])
def test_the_merge_steps_are_refused_to_a_unit_and_the_leaders(
    login, world, parent, child, name
):
    actions.merge_demand(child, parent, actor=world.director)
    data = {"parent": parent.tracking_no, "reason": ""}
    # the leading group sees the demand, may not act on it
    assert login(world.leader).post(step(name, child), data).status_code == 403
    # a unit does not even see a demand not dispatched to it
    assert login(world.liaison_a).post(step(name, child), data).status_code == 404
    assert fresh(child).merged_into_id == parent.pk


def test_dispatching_a_merged_demand_on_its_page_is_refused(
    login, world, parent, child
):
    actions.merge_demand(child, parent, actor=world.director)
    response = login(world.director).post(
        step("dispatch", child), {"unit": world.unit_a.pk, "note": ""}
    )
    assert response.status_code == 200
    assert "dispatch_form" not in response.context
    shown = [(m.level_tag, str(m).strip()) for m in get_messages(response.wsgi_request)]
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        refusal = refusal_text(actions._merged(child))
    assert shown == [("error", refusal)]
    assert fresh(child).status == DemandStatus.MERGED


def test_following_a_figure_lists_the_parent_once(login, world, parent, child):
    actions.merge_demand(child, parent, actor=world.director)
    answer(world, parent)
    response = login(world.director).get(
        reverse("demands_office:index"),
        {"campaign": world.campaign.pk, "rate": "resolution_rate"},
    )
    assert response.context["matching"] == 1


# -- the requester's page and the API ----------------------------------------------


def test_the_merged_requester_sees_the_reply_and_rates_on_the_tracking_page(
    client, world, parent, category
):
    child, code = actions.submit_demand(
        world.campaign,
        kind="help",
        title="水渠又堵",
        content="村口水渠堵塞",
        urgency="normal",
        category=category,
    )
    actions.merge_demand(child, parent, actor=world.director)
    track = reverse("demands:track")
    client.post(track, {"tracking_no": child.tracking_no, "query_code": code})
    page = client.get(reverse("demands:status"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["rating_form"] is None
    answer(world, parent, reply="水渠已疏通好了")
    page = client.get(reverse("demands:status"), HTTP_ACCEPT_LANGUAGE="en")
    assert "水渠已疏通好了" in page.content.decode()
    assert page.context["rating_form"] is not None
    client.post(reverse("demands:status"), {"rating": Rating.SATISFIED})
    assert fresh(child).rating == Rating.SATISFIED


def test_the_api_says_into_which_parent_a_demand_is_merged(world, parent, child):
    from api.v1 import _public, _staff

    actions.merge_demand(child, parent, actor=world.director)
    staff = _staff(fresh(child), world.director)
    assert staff["status"] == DemandStatus.MERGED
    assert staff["merged_into"] == parent.pk
    assert staff["merged_into_tracking_no"] == parent.tracking_no
    assert _public(fresh(child))["merged_into"] == parent.tracking_no
    assert _public(fresh(parent))["merged_into"] is None
