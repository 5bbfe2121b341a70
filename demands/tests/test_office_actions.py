"""Each step of a demand taken through the back-office pages: the action runs, the
page says so, and a refused, raced or invalid step changes nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from demands import actions
from demands.models import (
    Demand,
    DemandStatus,
    ExtensionStatus,
)
from demands.tests.factories import submit_test_demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(world):
    return submit_test_demand(world, submitter_name="", submitter_phone="")


@pytest.fixture
def dispatched(world, demand):
    return actions.dispatch_demand(demand, world.unit_a, actor=world.director)


@pytest.fixture
def accepted(world, dispatched):
    return actions.accept_demand(dispatched, actor=world.liaison_a)


def step(name, demand, *args) -> str:
    return reverse(f"demands_office:{name}", args=[demand.pk, *args])


def detail(demand) -> str:
    return reverse("demands_office:detail", args=[demand.pk])


def levels(response) -> list[str]:
    return [m.level_tag for m in get_messages(response.wsgi_request)]


def fresh(demand) -> Demand:
    return Demand.objects.get(pk=demand.pk)


def test_the_office_dispatches_with_the_preselected_unit(login, world, demand):
    client = login(world.director)
    unit = client.get(detail(demand)).context["dispatch_form"]["unit"].value()
    response = client.post(step("dispatch", demand), {"unit": unit, "note": ""})
    assert response.status_code == 302
    assert response["Location"] == detail(demand)
    assert levels(response) == ["success"]
    assert fresh(demand).status == DemandStatus.DISPATCHED
    assert fresh(demand).unit == world.unit_a


def test_a_unit_cannot_dispatch(login, world, demand):
    # the liaison cannot even see a demand not dispatched to their unit
    response = login(world.liaison_a).post(
        step("dispatch", demand), {"unit": world.unit_a.pk}
    )
    assert response.status_code == 404
    assert fresh(demand).status == DemandStatus.SUBMITTED


def test_a_leader_who_may_see_cannot_dispatch(login, world, demand):
    response = login(world.leader).post(
        step("dispatch", demand), {"unit": world.unit_a.pk}
    )
    assert response.status_code == 403
    assert fresh(demand).status == DemandStatus.SUBMITTED


def test_dispatching_to_another_organisations_unit_is_a_form_error(
    login, world, other_world, demand
):
    response = login(world.director).post(
        step("dispatch", demand), {"unit": other_world.unit_a.pk}
    )
    assert response.status_code == 200
    assert response.context["dispatch_form"].errors["unit"]
    assert fresh(demand).status == DemandStatus.SUBMITTED


def test_dispatching_twice_is_a_conflict_not_a_second_dispatch(login, world, demand):
    client = login(world.clerk)
    actions.dispatch_demand(demand, world.unit_b, actor=world.director)
    response = client.post(step("dispatch", demand), {"unit": world.unit_a.pk})
    assert response.status_code == 302
    assert levels(response) == ["error"]
    assert fresh(demand).unit == world.unit_b


def test_the_unit_accepts(login, world, dispatched):
    response = login(world.liaison_a).post(step("accept", dispatched))
    assert response.status_code == 302
    assert levels(response) == ["success"]
    assert fresh(dispatched).status == DemandStatus.ACCEPTED


def test_a_unit_accepting_after_its_colleague_gets_a_conflict(login, world, dispatched):
    client = login(world.liaison_a)
    client.get(detail(dispatched))
    actions.accept_demand(dispatched, actor=world.head_a)
    response = client.post(step("accept", dispatched))
    assert response.status_code == 302
    assert response["Location"] == detail(dispatched)
    assert levels(response) == ["error"]


def test_another_unit_cannot_accept(login, world, dispatched):
    response = login(world.liaison_b).post(step("accept", dispatched))
    assert response.status_code == 404
    assert fresh(dispatched).status == DemandStatus.DISPATCHED


def test_the_office_cannot_accept_for_the_unit(login, world, dispatched):
    response = login(world.director).post(step("accept", dispatched))
    assert response.status_code == 403
    assert fresh(dispatched).status == DemandStatus.DISPATCHED


def test_the_unit_returns_a_demand_with_a_reason(login, world, dispatched):
    response = login(world.liaison_a).post(
        step("return", dispatched), {"reason": "屬乙處職責"}
    )
    assert response.status_code == 302
    demand = fresh(dispatched)
    assert demand.status == DemandStatus.RETURNED
    assert demand.unit is None
    # back with the office, which sees it offered for dispatch again
    again = login(world.director).get(detail(demand))
    assert "dispatch_form" in again.context
    assert "屬乙處職責" in again.content.decode()


def test_a_return_without_a_reason_is_a_form_error(login, world, dispatched):
    response = login(world.liaison_a).post(step("return", dispatched), {"reason": " "})
    assert response.status_code == 200
    assert response.context["return_form"].errors["reason"]
    assert fresh(dispatched).status == DemandStatus.DISPATCHED


def test_the_unit_requests_an_extension_and_the_office_approves_it(
    login, world, accepted
):
    due = accepted.reply_due
    response = login(world.liaison_a).post(
        step("extend", accepted), {"days": 3, "reason": "需現場勘察"}
    )
    assert response.status_code == 302
    extension = accepted.extension_requests.get()
    assert extension.status == ExtensionStatus.PENDING
    response = login(world.director).post(
        step("decide_extension", accepted, extension.pk),
        {"decision": "approve", "note": "同意"},
    )
    assert response.status_code == 302
    assert levels(response)[-1] == "success"
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED
    assert fresh(accepted).reply_due > due
    assert fresh(accepted).extension_days == 3


def test_the_office_refuses_an_extension(login, world, accepted):
    extension = actions.request_extension(
        accepted, days=2, reason="人手不足", actor=world.liaison_a
    )
    response = login(world.clerk).post(
        step("decide_extension", accepted, extension.pk),
        {"decision": "refuse", "note": "請按期答覆"},
    )
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED
    assert fresh(accepted).extension_days == 0


def test_deciding_an_extension_already_decided_is_a_conflict(login, world, accepted):
    extension = actions.request_extension(
        accepted, days=2, reason="人手不足", actor=world.liaison_a
    )
    actions.decide_extension(extension, approve=False, actor=world.director)
    response = login(world.clerk).post(
        step("decide_extension", accepted, extension.pk), {"decision": "approve"}
    )
    assert levels(response) == ["error"]
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED


def test_the_unit_cannot_decide_its_own_extension(login, world, accepted):
    extension = actions.request_extension(
        accepted, days=2, reason="人手不足", actor=world.liaison_a
    )
    response = login(world.liaison_a).post(
        step("decide_extension", accepted, extension.pk), {"decision": "approve"}
    )
    assert response.status_code == 403
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING


def test_an_extension_beyond_thirty_days_is_a_form_error(login, world, accepted):
    response = login(world.liaison_a).post(
        step("extend", accepted), {"days": 31, "reason": "很久"}
    )
    assert response.status_code == 200
    assert response.context["extension_form"].errors["days"]
    assert not accepted.extension_requests.exists()


# a reply the checks before sending pass at once (demands.reply_checks)
FULL_REPLY = "12月3日上午電話聯繫張三，當天派人到現場疏通，現已恢復暢通。"


def test_the_unit_replies(login, world, accepted):
    response = login(world.liaison_a).post(
        step("reply", accepted), {"reply": FULL_REPLY, "solved": "yes"}
    )
    assert response.status_code == 302
    demand = fresh(accepted)
    assert demand.status == DemandStatus.REPLIED
    assert demand.reply == FULL_REPLY
    assert demand.solved is True


def test_a_reply_without_text_is_a_form_error(login, world, accepted):
    response = login(world.liaison_a).post(
        step("reply", accepted), {"reply": "", "solved": "no"}
    )
    assert response.status_code == 200
    assert response.context["reply_form"].errors["reply"]
    assert fresh(accepted).status == DemandStatus.ACCEPTED


def test_the_unit_head_replies_too_but_not_its_staff(login, world, accepted):
    assert (
        login(world.staff_a)
        .post(step("reply", accepted), {"reply": "x", "solved": "yes"})
        .status_code
        == 403
    )
    assert fresh(accepted).status == DemandStatus.ACCEPTED
    response = login(world.head_a).post(
        step("reply", accepted),
        {
            "reply": (
                "12月3日上午電話聯繫張三，到現場核實，渠道屬村委會管理，我處無法疏通。"
            ),
            "solved": "no",
        },
    )
    assert response.status_code == 302
    assert fresh(accepted).solved is False


def test_a_step_is_only_taken_by_post(login, world, dispatched):
    assert login(world.liaison_a).get(step("accept", dispatched)).status_code == 405


# the steps the office takes and those the handling unit takes, with a body each
# field of which is wrong
OFFICE_STEPS = ["dispatch", "decide_extension"]
UNIT_STEPS = ["accept", "return", "extend", "reply"]
INVALID = {"unit": "none", "reason": "", "days": -1, "reply": "", "decision": "x"}


@pytest.mark.parametrize("name", OFFICE_STEPS + UNIT_STEPS)
def test_a_step_is_refused_before_its_form_is_read(login, world, accepted, name):
    """Someone who sees the demand but may not take the step gets 403 whatever
    they send (not the form's errors); someone who does not see it gets 404."""
    extension = actions.request_extension(
        accepted, days=3, reason="需協調", actor=world.liaison_a
    )
    args = [extension.pk] if name == "decide_extension" else []
    url = step(name, accepted, *args)
    onlooker = world.liaison_a if name in OFFICE_STEPS else world.leader
    assert login(onlooker).post(url, INVALID).status_code == 403
    assert login(world.liaison_b).post(url, INVALID).status_code == 404
    allowed = world.director if name in OFFICE_STEPS else world.liaison_a
    assert login(allowed).post(url, INVALID).status_code in (200, 302)
    assert fresh(accepted).status == DemandStatus.ACCEPTED
