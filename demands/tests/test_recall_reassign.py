"""The office takes a dispatched demand back (撤回) or sends it to another unit
(改派), with a reason: both units are told, deadlines restart, the figures count
the demand for the unit that holds it, and the step is refused in the wrong state
or to the wrong person."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.errors import Conflict, Refused
from demands import actions, metrics
from demands.models import Demand, DemandStatus, ExtensionStatus
from demands.tests.factories import submit_test_demand
from notify.models import Notification
from org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    def _told(transition):  # type: ignore[no-untyped-def]
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            transition()
        return set(Notification.objects.values_list("recipient__username", flat=True))

    return _told


@pytest.fixture
def dispatched(world):
    demand = submit_test_demand(world, submitter_name="", submitter_phone="")
    return actions.dispatch_demand(demand, world.unit_a, actor=world.director)


def fresh(demand) -> Demand:
    return Demand.objects.get(pk=demand.pk)


def names(*people) -> set[str]:
    return {person.username for person in people}


def unit_rows(world) -> dict[int | None, metrics.Row]:
    """The figures by unit from the rollup, checked against a live count."""
    rolled = {row.key: row for row in metrics.report(world.campaign).by_unit}
    live = {
        row.key: row
        for row in metrics.grouped(metrics.demands_in(world.campaign), "unit")
    }
    assert {k: r.received for k, r in rolled.items()} == {
        k: r.received for k, r in live.items()
    }
    return rolled


# -- recall --------------------------------------------------------------------------


def test_the_office_recalls_a_dispatched_demand_to_the_dispatch_queue(
    world, dispatched, told
):
    assert told(
        lambda: actions.recall_demand(
            dispatched, reason="該單位尚未開通賬號", actor=world.director
        )
    ) == names(world.head_a, world.liaison_a)
    demand = fresh(dispatched)
    assert demand.status == DemandStatus.RETURNED
    assert demand.unit is None
    assert demand.accept_due is None and demand.reply_due is None
    assert demand.dispatch_due is not None
    entry = ModelLogEntry.objects.get(action="sanfu.demand.recall")
    assert entry.user == world.director
    assert entry.data["unit"] == world.unit_a.name
    assert entry.data["reason"] == "該單位尚未開通賬號"


def test_a_recalled_demand_no_longer_counts_for_the_unit(world, dispatched):
    assert unit_rows(world)[world.unit_a.pk].received == 1
    actions.recall_demand(dispatched, reason="派錯了", actor=world.director)
    rows = unit_rows(world)
    assert world.unit_a.pk not in rows
    assert rows[None].received == 1  # waiting for dispatch again


def test_a_recalled_demand_is_dispatched_again(world, dispatched):
    actions.recall_demand(dispatched, reason="派錯了", actor=world.director)
    again = actions.dispatch_demand(
        fresh(dispatched), world.unit_b, actor=world.director
    )
    assert again.status == DemandStatus.DISPATCHED
    assert again.unit == world.unit_b


def test_an_accepted_demand_may_be_recalled_and_its_extension_lapses(world, dispatched):
    actions.accept_demand(dispatched, actor=world.liaison_a)
    extension = actions.request_extension(
        fresh(dispatched), days=3, reason="需協調", actor=world.liaison_a
    )
    actions.recall_demand(fresh(dispatched), reason="改由辦公室協調", actor=world.clerk)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED
    assert fresh(dispatched).status == DemandStatus.RETURNED


@pytest.mark.parametrize("persona", ["liaison_a", "head_a", "leader", "editor"])
def test_only_the_office_recalls(world, dispatched, persona):
    with pytest.raises(PermissionDenied):
        actions.recall_demand(dispatched, reason="x", actor=getattr(world, persona))
    assert fresh(dispatched).status == DemandStatus.DISPATCHED


def test_an_undispatched_demand_cannot_be_recalled(world):
    demand = submit_test_demand(world)
    with pytest.raises(Conflict):
        actions.recall_demand(demand, reason="x", actor=world.director)


def test_a_replied_demand_cannot_be_recalled(world, dispatched):
    actions.accept_demand(dispatched, actor=world.liaison_a)
    actions.reply_demand(
        fresh(dispatched), reply="已疏通", solved=True, actor=world.liaison_a
    )
    with pytest.raises(Conflict):
        actions.recall_demand(fresh(dispatched), reason="x", actor=world.director)


def test_a_recall_needs_a_reason(world, dispatched):
    with pytest.raises(Refused):
        actions.recall_demand(dispatched, reason="  ", actor=world.director)
    assert fresh(dispatched).status == DemandStatus.DISPATCHED


# -- reassignment --------------------------------------------------------------------


def test_the_office_reassigns_a_demand_and_tells_both_units(world, dispatched, told):
    dispatched_at = dispatched.dispatched_at
    assert told(
        lambda: actions.reassign_demand(
            dispatched, world.unit_b, reason="屬乙處職責", actor=world.director
        )
    ) == names(world.head_a, world.liaison_a, world.liaison_b)
    demand = fresh(dispatched)
    assert demand.status == DemandStatus.DISPATCHED
    assert demand.unit == world.unit_b
    assert demand.dispatched_at and demand.accept_due and demand.reply_due
    assert dispatched_at is not None
    assert demand.dispatched_at > dispatched_at  # the new unit's time starts now
    assert demand.accept_due > demand.dispatched_at
    assert demand.reply_due > demand.accept_due
    entry = ModelLogEntry.objects.get(action="sanfu.demand.reassign")
    assert (entry.data["from_unit"], entry.data["unit"], entry.data["reason"]) == (
        world.unit_a.name,
        world.unit_b.name,
        "屬乙處職責",
    )
    to_b = Notification.objects.get(recipient=world.liaison_b)
    assert "屬乙處職責" in to_b.message


def test_an_accepted_demand_reassigned_starts_unaccepted_without_extra_time(
    world, dispatched
):
    actions.accept_demand(dispatched, actor=world.liaison_a)
    extension = actions.request_extension(
        fresh(dispatched), days=3, reason="需協調", actor=world.liaison_a
    )
    actions.decide_extension(extension, approve=True, actor=world.director)
    assert fresh(dispatched).extension_days == 3
    demand = actions.reassign_demand(
        fresh(dispatched), world.unit_b, reason="乙處負責", actor=world.director
    )
    assert demand.accepted_at is None
    assert demand.extension_days == 0


def test_a_reassigned_demand_counts_for_the_new_unit_only(world, dispatched):
    actions.reassign_demand(
        dispatched, world.unit_b, reason="乙處負責", actor=world.director
    )
    rows = unit_rows(world)
    assert world.unit_a.pk not in rows
    assert rows[world.unit_b.pk].received == 1
    assert rows[world.unit_b.pk].dispatched == 1


def test_a_demand_is_not_reassigned_to_its_own_unit(world, dispatched):
    with pytest.raises(Refused):
        actions.reassign_demand(
            dispatched, world.unit_a, reason="x", actor=world.director
        )


def test_a_demand_is_not_reassigned_to_another_organisations_unit(
    world, other_world, dispatched
):
    with pytest.raises(Refused):
        actions.reassign_demand(
            dispatched, other_world.unit_a, reason="x", actor=world.director
        )


@pytest.mark.parametrize("persona", ["liaison_a", "liaison_b", "head_a", "leader"])
def test_only_the_office_reassigns(world, dispatched, persona):
    with pytest.raises(PermissionDenied):
        actions.reassign_demand(
            dispatched, world.unit_b, reason="x", actor=getattr(world, persona)
        )


def test_an_undispatched_demand_is_dispatched_not_reassigned(world):
    demand = submit_test_demand(world)
    with pytest.raises(Conflict):
        actions.reassign_demand(demand, world.unit_b, reason="x", actor=world.director)


# -- the pages -----------------------------------------------------------------------


def step(name, demand) -> str:
    return reverse(f"demands_office:{name}", args=[demand.pk])


def detail(demand) -> str:
    return reverse("demands_office:detail", args=[demand.pk])


def levels(response) -> list[str]:
    return [m.level_tag for m in get_messages(response.wsgi_request)]


def test_the_office_sees_recall_and_reassign_with_a_confirmation(
    login, world, dispatched
):
    page = login(world.director).get(detail(dispatched)).content.decode()
    assert 'id="step-recall"' in page and 'id="step-reassign"' in page
    assert 'name="recall" data-confirm=' in page
    assert 'name="reassign" data-confirm=' in page


def test_the_unit_sees_no_recall_or_reassign(login, world, dispatched):
    page = login(world.liaison_a).get(detail(dispatched)).content.decode()
    assert "step-recall" not in page and "step-reassign" not in page


def test_the_office_recalls_through_the_page(login, world, dispatched):
    response = login(world.director).post(step("recall", dispatched), {"reason": "撤"})
    assert response.status_code == 302
    assert levels(response) == ["success"]
    assert fresh(dispatched).status == DemandStatus.RETURNED


def test_the_office_reassigns_through_the_page(login, world, dispatched):
    client = login(world.director)
    response = client.post(
        step("reassign", dispatched), {"unit": world.unit_b.pk, "reason": "乙處負責"}
    )
    assert response.status_code == 302
    assert fresh(dispatched).unit == world.unit_b


@pytest.mark.parametrize("name", ["recall", "reassign", "supervise"])
def test_a_unit_may_not_take_the_offices_steps(login, world, dispatched, name):
    data = {"reason": "x", "unit": world.unit_b.pk, "note": "x"}
    response = login(world.liaison_a).post(step(name, dispatched), data)
    assert response.status_code == 403
    assert fresh(dispatched).unit == world.unit_a
    assert not dispatched.supervisions.exists()


def test_a_recall_without_a_reason_shows_the_error(
    login, in_english, world, dispatched
):
    response = login(world.director).post(step("recall", dispatched), {"reason": " "})
    assert response.status_code == 200
    assert "recall_form" in response.context
    assert response.context["recall_form"].errors
    assert fresh(dispatched).status == DemandStatus.DISPATCHED


def test_a_recall_of_a_demand_already_recalled_says_why(
    login, in_english, world, dispatched
):
    client = login(world.director)
    client.post(step("recall", dispatched), {"reason": "一"})
    response = client.post(step("recall", dispatched), {"reason": "二"}, follow=True)
    assert "Returned for re-dispatch" in response.content.decode()
    assert ModelLogEntry.objects.filter(action="sanfu.demand.recall").count() == 1


def test_the_history_shows_the_recall_and_the_reassignment_in_words(
    login, in_english, world, dispatched
):
    actions.reassign_demand(
        dispatched, world.unit_b, reason="乙處負責", actor=world.director
    )
    actions.recall_demand(fresh(dispatched), reason="再議", actor=world.director)
    page = login(world.director).get(detail(dispatched)).content.decode()
    assert "Demand reassigned by the office to another unit" in page
    assert f"From unit: {world.unit_a.name}" in page
    assert "Demand recalled by the office to the dispatch queue" in page
    assert "Reason: 再議" in page


def test_the_reassign_choices_leave_out_the_current_unit(login, world, dispatched):
    other = UnitFactory.create(organisation=world.organisation, name="丙處")
    form = login(world.director).get(detail(dispatched)).context["reassign_form"]
    units = set(form.fields["unit"].queryset)
    assert world.unit_a not in units
    assert {world.unit_b, other} <= units


def test_recall_deadline_restarts_from_the_recall(world, dispatched):
    before = timezone.now()
    actions.recall_demand(dispatched, reason="x", actor=world.director)
    demand = fresh(dispatched)
    assert demand.dispatch_due >= before + datetime.timedelta(hours=1)
