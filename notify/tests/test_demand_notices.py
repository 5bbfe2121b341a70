"""Who each demand transition tells, and that a transition that fails tells nobody."""

import pytest
from django.db import transaction

from core.errors import Conflict
from demands import actions
from demands.models import Demand, Rating
from demands.tests.factories import submit_test_demand
from notify.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """Run a transition with its on-commit notices sent; answer who got one."""

    def _told(transition):  # type: ignore[no-untyped-def]
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            transition()
        return set(Notification.objects.values_list("recipient__username", flat=True))

    return _told


def submitted(world) -> Demand:
    return submit_test_demand(world, submitter_name="")


def names(*people) -> set[str]:
    return {person.username for person in people}


def dispatched(world) -> Demand:
    return actions.dispatch_demand(submitted(world), world.unit_a, actor=world.director)


def accepted(world) -> Demand:
    demand = dispatched(world)
    return actions.accept_demand(demand, actor=world.liaison_a)


def test_a_submission_tells_nobody_internal(world, told):
    assert told(lambda: submitted(world)) == set()


def test_a_dispatch_tells_the_units_head_and_liaison(world, told):
    demand = submitted(world)
    assert told(
        lambda: actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    ) == names(world.head_a, world.liaison_a)


def test_a_dispatch_notice_names_the_demand_and_links_to_it(world, told):
    demand = submitted(world)
    told(lambda: actions.dispatch_demand(demand, world.unit_a, actor=world.director))
    notice = Notification.objects.filter(recipient=world.liaison_a).get()
    assert demand.tracking_no and demand.tracking_no in notice.message
    assert "13812345678" not in notice.message
    assert notice.link.endswith(f"/demands/{demand.pk}/")
    assert notice.read_at is None


def test_a_dispatch_to_the_other_unit_tells_only_its_liaison(world, told):
    demand = submitted(world)
    assert told(
        lambda: actions.dispatch_demand(demand, world.unit_b, actor=world.director)
    ) == names(world.liaison_b)


def test_an_acceptance_tells_nobody(world, told):
    demand = dispatched(world)
    assert told(lambda: actions.accept_demand(demand, actor=world.liaison_a)) == set()


def test_a_return_tells_the_office(world, told):
    demand = dispatched(world)
    assert told(
        lambda: actions.return_demand(
            demand, reason="非本處職責", actor=world.liaison_a
        )
    ) == names(world.director, world.clerk)


def test_an_extension_request_tells_the_office(world, told):
    demand = accepted(world)
    assert told(
        lambda: actions.request_extension(
            demand, days=3, reason="需協調", actor=world.liaison_a
        )
    ) == names(world.director, world.clerk)


@pytest.mark.parametrize("approve", [True, False])
def test_an_extension_decision_tells_the_person_who_asked(world, told, approve):
    demand = accepted(world)
    extension = actions.request_extension(
        demand, days=3, reason="需協調", actor=world.head_a
    )
    assert told(
        lambda: actions.decide_extension(
            extension, approve=approve, actor=world.director
        )
    ) == names(world.head_a)


def test_a_reply_tells_nobody_internal(world, told):
    demand = accepted(world)
    assert (
        told(
            lambda: actions.reply_demand(
                demand, reply="已疏通。", solved=True, actor=world.liaison_a
            )
        )
        == set()
    )


def test_a_reopening_tells_the_unit(world, told):
    demand = accepted(world)
    demand = actions.reply_demand(
        demand, reply="已疏通。", solved=False, actor=world.liaison_a
    )
    assert told(
        lambda: actions.rate_demand(demand, rating=Rating.UNSATISFIED)
    ) == names(world.head_a, world.liaison_a)


def test_a_satisfied_rating_tells_nobody(world, told):
    demand = accepted(world)
    demand = actions.reply_demand(
        demand, reply="已疏通。", solved=True, actor=world.liaison_a
    )
    assert told(lambda: actions.rate_demand(demand, rating=Rating.SATISFIED)) == set()


def test_a_supervision_tells_the_unit(world, told):
    demand = accepted(world)
    assert told(
        lambda: actions.supervise_demand(
            demand, note="請盡快辦理", actor=world.director
        )
    ) == names(world.head_a, world.liaison_a)


def test_an_inactive_person_is_not_told(world, told):
    world.head_a.is_active = False
    world.head_a.save(update_fields=["is_active"])
    demand = submitted(world)
    assert told(
        lambda: actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    ) == names(world.liaison_a)


def test_a_rolled_back_transition_tells_nobody(
    world, django_capture_on_commit_callbacks
):
    demand = submitted(world)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        actions.dispatch_demand(demand, world.unit_a, actor=world.director)
        raise RuntimeError("the caller failed after the transition")
    assert callbacks == []
    assert not Notification.objects.exists()
    demand.refresh_from_db()
    assert demand.unit is None


def test_a_transition_that_lost_the_race_tells_nobody(world, told):
    demand = submitted(world)
    actions.dispatch_demand(demand, world.unit_a, actor=world.director)

    def second_dispatch() -> None:
        with pytest.raises(Conflict):
            actions.dispatch_demand(demand, world.unit_b, actor=world.clerk)

    assert told(second_dispatch) == set()
