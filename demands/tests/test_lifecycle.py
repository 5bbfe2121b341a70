"""A demand's whole life through the actions, as the office and a unit handle it."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.errors import Conflict
from demands import actions
from demands.models import (
    Channel,
    Demand,
    DemandKind,
    DemandStatus,
    Rating,
    ReturnVisit,
    Urgency,
)
from demands.tests.factories import CategoryFactory, submit_test_demand

pytestmark = pytest.mark.django_db


def submit(world, **extra):
    category = CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a
    )
    fields: dict[str, Any] = {
        "kind": DemandKind.HELP,
        "title": "村口水渠堵塞",
        "content": "雨季將至，村口水渠堵塞，請幫助疏通。",
        "urgency": Urgency.NORMAL,
        "category": category,
        "submitter_name": "張三",
        "submitter_phone": "13812345678",
    }
    fields.update(extra)
    return actions.submit_demand(world.campaign, **fields)


def test_a_demand_goes_from_submission_to_a_satisfied_close(world):
    demand, code = submit(world)
    assert demand.tracking_no and demand.status == DemandStatus.SUBMITTED
    assert demand.check_query_code(code)
    assert not demand.check_query_code("WRONGCODE")
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    assert demand.accept_due and demand.reply_due
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply="已派人疏通。", solved=True, actor=world.liaison_a
    )
    demand = actions.rate_demand(demand, rating=Rating.SATISFIED)
    assert demand.status == DemandStatus.CLOSED
    assert demand.rating == Rating.SATISFIED
    actions_logged = list(
        ModelLogEntry.objects.filter(object_id=str(demand.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions_logged == [
        "sanfu.demand.submit",
        "sanfu.demand.dispatch",
        "sanfu.demand.accept",
        "sanfu.demand.reply",
        "sanfu.demand.rate",
    ]
    assert all("13812345678" not in str(e.data) for e in ModelLogEntry.objects.all())


def test_an_unsatisfied_rating_reopens_once_then_closes(world):
    demand, _ = submit(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply="第一次", solved=False, actor=world.liaison_a
    )
    demand = actions.rate_demand(demand, rating=Rating.UNSATISFIED)
    assert demand.status == DemandStatus.REOPENED
    assert demand.first_reply == "第一次"
    demand = actions.reply_demand(
        demand, reply="第二次", solved=True, actor=world.liaison_a
    )
    demand = actions.rate_demand(demand, rating=Rating.UNSATISFIED)
    assert demand.status == DemandStatus.CLOSED
    assert demand.rating == Rating.UNSATISFIED


def test_cannot_say_leaves_the_demand_unrated(world):
    demand, _ = submit(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply="答覆", solved=True, actor=world.liaison_a
    )
    demand = actions.rate_demand(demand, rating=Rating.UNKNOWN)
    assert demand.status == DemandStatus.REPLIED
    assert demand.rating == ""


def test_a_returned_demand_goes_back_to_the_office(world):
    demand, _ = submit(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.return_demand(
        demand, reason="不屬本單位職責", actor=world.liaison_a
    )
    assert demand.status == DemandStatus.RETURNED
    assert demand.unit is None
    demand = actions.dispatch_demand(demand, world.unit_b, actor=world.clerk)
    assert demand.unit == world.unit_b


def test_another_unit_cannot_act_on_the_demand(world):
    demand, _ = submit(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    with pytest.raises(PermissionDenied):
        actions.accept_demand(demand, actor=world.liaison_b)
    with pytest.raises(PermissionDenied):
        actions.dispatch_demand(demand, world.unit_b, actor=world.liaison_a)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.DISPATCHED


def test_a_transition_that_lost_the_race_is_a_conflict(world):
    demand, _ = submit(world)
    stale = Demand.objects.get(pk=demand.pk)
    actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    with pytest.raises(Conflict):
        actions.dispatch_demand(stale, world.unit_b, actor=world.clerk)
    assert Demand.objects.get(pk=demand.pk).unit == world.unit_a


def test_an_approved_extension_moves_the_reply_deadline(world):
    demand, _ = submit(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    before = demand.reply_due
    extension = actions.request_extension(
        demand, days=5, reason="需要現場勘查", actor=world.liaison_a
    )
    with pytest.raises(Conflict):
        actions.request_extension(demand, days=3, reason="再延", actor=world.liaison_a)
    actions.decide_extension(extension, approve=True, actor=world.director)
    demand.refresh_from_db()
    assert demand.extension_days == 5
    assert demand.reply_due is not None and before is not None
    assert demand.reply_due > before


def test_the_same_phone_with_an_open_demand_is_flagged_as_a_possible_duplicate(world):
    first, _ = submit(world)
    second, _ = submit(world, title="另一件事", content="完全不同的內容")
    second.refresh_from_db()  # flagged by the task the submission queued
    assert second.possible_duplicate_of == first


def test_near_identical_text_is_flagged_in_either_script(world):
    first, _ = submit(world, submitter_phone="")
    second, _ = submit(
        world,
        submitter_phone="",
        title="村口水渠堵塞",
        content="雨季将至，村口水渠堵塞，请帮助疏通！",
    )
    second.refresh_from_db()  # flagged by the task the submission queued
    assert second.possible_duplicate_of == first


def test_a_stale_copy_held_by_the_old_unit_cannot_act_after_re_dispatch(world):
    demand, _ = submit(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    stale = Demand.objects.get(pk=demand.pk)  # unit A's screen, still open
    demand = actions.return_demand(demand, reason="非本單位", actor=world.liaison_a)
    actions.dispatch_demand(demand, world.unit_b, actor=world.director)
    with pytest.raises(PermissionDenied):
        actions.accept_demand(stale, actor=world.liaison_a)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.DISPATCHED


def test_a_pending_extension_lapses_when_the_unit_returns_the_demand(world):
    demand, _ = submit(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    extension = actions.request_extension(
        demand, days=10, reason="需要時間", actor=world.liaison_a
    )
    demand = actions.return_demand(demand, reason="非本單位", actor=world.liaison_a)
    assert demand.extension_days == 0
    with pytest.raises(Conflict):
        actions.decide_extension(extension, approve=True, actor=world.director)
    demand = actions.dispatch_demand(demand, world.unit_b, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_b)
    actions.request_extension(demand, days=3, reason="乙處也需", actor=world.liaison_b)


def test_a_pending_extension_lapses_when_the_unit_replies(world):
    demand, _ = submit(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    extension = actions.request_extension(
        demand, days=5, reason="需要時間", actor=world.liaison_a
    )
    actions.reply_demand(demand, reply="已辦", solved=True, actor=world.liaison_a)
    with pytest.raises(Conflict):
        actions.decide_extension(extension, approve=True, actor=world.director)


def test_a_return_visit_for_a_replaced_reply_cannot_rate_the_new_one(world):
    demand, _ = submit(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply="一", solved=False, actor=world.liaison_a
    )
    visit = actions.schedule_return_visit(demand, now=timezone.now())
    assert visit is not None
    demand = actions.rate_demand(demand, rating=Rating.UNSATISFIED)  # online
    demand = actions.reply_demand(
        demand, reply="二", solved=True, actor=world.liaison_a
    )
    assert not ReturnVisit.objects.pending().filter(pk=visit.pk).exists()
    with pytest.raises(Conflict):
        actions.record_return_visit(
            visit, rating=Rating.SATISFIED, actor=world.director
        )
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.REPLIED


def test_a_demand_taken_by_phone_is_the_callers_not_the_clerks(world):
    demand = submit_test_demand(world, channel=Channel.PHONE, actor=world.clerk)
    assert demand.submitter is None
    entry = ModelLogEntry.objects.get(
        object_id=str(demand.pk), action="sanfu.demand.submit"
    )
    assert entry.user_id == world.clerk.pk


def test_a_signed_in_person_filing_on_the_web_is_the_submitter(world):
    demand = submit_test_demand(world, channel=Channel.WEB, actor=world.staff_a)
    assert demand.submitter == world.staff_a
