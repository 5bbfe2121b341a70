"""Supervision (督辦) by the office, and the office's supervision list."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from core.errors import Conflict, Refused
from demands import actions
from demands.models import (
    Demand,
    DemandKind,
    Supervision,
    SupervisionLevel,
    Urgency,
)
from demands.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def dispatched(world) -> Demand:
    category = CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a
    )
    demand, _code = actions.submit_demand(
        world.campaign,
        kind=DemandKind.COMPLAINT,
        title="噪音擾民",
        content="工地夜間施工。",
        urgency=Urgency.NORMAL,
        category=category,
    )
    return actions.dispatch_demand(demand, world.unit_a, actor=world.director)


@pytest.mark.parametrize("persona", ["director", "clerk", "superuser"])
def test_the_office_puts_a_demand_under_supervision(world, persona):
    demand = dispatched(world)
    supervision = actions.supervise_demand(
        demand,
        note="請本周內答覆",
        actor=getattr(world, persona),
        level=SupervisionLevel.LEADER,
    )
    assert supervision.demand == demand
    assert supervision.by == getattr(world, persona)
    assert supervision.level == SupervisionLevel.LEADER
    entry = ModelLogEntry.objects.get(action="sanfu.demand.supervise")
    assert entry.data["note"] == "請本周內答覆"


@pytest.mark.parametrize(
    "persona", ["leader", "editor", "head_a", "liaison_a", "liaison_b", "outsider"]
)
def test_only_the_office_supervises(world, persona):
    demand = dispatched(world)
    with pytest.raises(PermissionDenied):
        actions.supervise_demand(demand, note="催", actor=getattr(world, persona))
    assert not Supervision.objects.exists()


def test_the_office_of_another_campaign_may_not_supervise(world, other_world):
    demand = dispatched(world)
    with pytest.raises(PermissionDenied):
        actions.supervise_demand(demand, note="催", actor=other_world.director)


def test_a_supervision_needs_a_note(world):
    with pytest.raises(Refused):
        actions.supervise_demand(dispatched(world), note="  ", actor=world.director)


def test_a_closed_demand_cannot_be_supervised(world):
    demand = dispatched(world)
    Demand.objects.filter(pk=demand.pk).update(status="closed")
    with pytest.raises(Conflict):
        actions.supervise_demand(demand, note="催", actor=world.director)


def test_the_supervision_list_holds_overdue_and_supervised_open_demands(world):
    on_time, overdue, supervised, closed = (dispatched(world) for _ in range(4))
    assert on_time.accept_due is not None
    now = on_time.accept_due - datetime.timedelta(hours=1)
    Demand.objects.filter(pk=overdue.pk).update(
        accept_due=now - datetime.timedelta(minutes=1)
    )
    actions.supervise_demand(supervised, note="催", actor=world.director)
    actions.supervise_demand(closed, note="催", actor=world.director)
    Demand.objects.filter(pk=closed.pk).update(status="closed")
    listed = set(Demand.objects.for_supervision(now))
    assert listed == {overdue, supervised}
    assert set(Demand.objects.overdue(now)) == {overdue}


def test_a_demand_supervised_twice_is_listed_once(world):
    demand = dispatched(world)
    actions.supervise_demand(demand, note="一", actor=world.director)
    actions.supervise_demand(demand, note="二", actor=world.clerk)
    assert list(Demand.objects.for_supervision()) == [demand]
