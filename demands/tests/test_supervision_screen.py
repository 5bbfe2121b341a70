"""Supervision (督辦) with a deadline, its escalation by the sweep, and the office's
supervision screen."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.errors import Refused
from demands import actions, sweeps
from demands.models import Demand, SupervisionLevel
from demands.tests.factories import submit_test_demand
from notify.models import Notification

pytestmark = pytest.mark.django_db

LIST = reverse("demands_followup:supervision")


@pytest.fixture
def dispatched(world):
    demand = submit_test_demand(world, submitter_name="", submitter_phone="")
    return actions.dispatch_demand(demand, world.unit_a, actor=world.director)


def fresh(demand) -> Demand:
    return Demand.objects.get(pk=demand.pk)


def test_a_supervision_with_a_deadline_is_due_in_working_days(
    world, dispatched, time_machine
):
    # Thursday 24 September 2026, 10:00: the Mid-Autumn holiday (Fri 25 to Sun
    # 27) is skipped, so three working days end on Wednesday 30 at 10:00
    thursday = timezone.make_aware(datetime.datetime(2026, 9, 24, 10))
    time_machine.move_to(thursday, tick=False)
    supervision = actions.supervise_demand(
        dispatched, note="請三日內辦結", days=3, actor=world.director
    )
    assert timezone.localtime(supervision.due_at) == timezone.make_aware(
        datetime.datetime(2026, 9, 30, 10)
    )
    entry = ModelLogEntry.objects.get(action="sanfu.demand.supervise")
    assert entry.data["days"] == 3


def test_a_supervision_deadline_is_at_least_a_day(world, dispatched):
    with pytest.raises(Refused):
        actions.supervise_demand(dispatched, note="催", days=0, actor=world.director)


def test_the_sweep_escalates_a_supervision_past_its_deadline_once(
    world, dispatched, django_capture_on_commit_callbacks
):
    supervision = actions.supervise_demand(
        dispatched, note="請三日內辦結", days=3, actor=world.director
    )
    assert supervision.due_at is not None
    assert sweeps.escalate_supervisions(supervision.due_at) == 0  # not yet past
    Notification.objects.all().delete()
    later = supervision.due_at + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeps.escalate_supervisions(later) == 1
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    # the unit's head, the leading group and the office; not the liaison again
    assert {world.head_a.username, world.leader.username} <= told
    assert world.director.username in told
    assert world.liaison_a.username not in told
    supervision.refresh_from_db()
    assert supervision.escalated_at == later
    assert supervision.level == SupervisionLevel.LEADER
    entry = ModelLogEntry.objects.get(action="sanfu.demand.supervision_escalate")
    assert entry.user is None
    assert sweeps.escalate_supervisions(later + datetime.timedelta(days=1)) == 0
    assert sweeps.sweep(later + datetime.timedelta(days=2)).escalations == 0


def test_an_answered_supervision_is_not_escalated(world, dispatched):
    supervision = actions.supervise_demand(
        dispatched, note="催", days=1, actor=world.director
    )
    actions.accept_demand(dispatched, actor=world.liaison_a)
    actions.reply_demand(
        fresh(dispatched), reply="已辦", solved=True, actor=world.liaison_a
    )
    assert supervision.due_at is not None
    assert (
        sweeps.escalate_supervisions(supervision.due_at + datetime.timedelta(days=9))
        == 0
    )


def test_a_supervision_without_a_deadline_is_never_escalated(world, dispatched):
    actions.supervise_demand(dispatched, note="催", actor=world.director)
    far = timezone.now() + datetime.timedelta(days=365)
    assert sweeps.escalate_supervisions(far) == 0


# -- the pages -----------------------------------------------------------------------


def step(demand) -> str:
    return reverse("demands_office:supervise", args=[demand.pk])


def test_the_office_supervises_through_the_demands_page(login, world, dispatched):
    client = login(world.director)
    page = client.get(reverse("demands_office:detail", args=[dispatched.pk]))
    assert "supervise_form" in page.context
    response = client.post(
        step(dispatched), {"note": "請盡快處理", "days": "2", "level": "office"}
    )
    assert response.status_code == 302
    supervision = dispatched.supervisions.get()
    assert supervision.note == "請盡快處理"
    assert supervision.due_at is not None


def test_a_supervision_without_a_note_shows_the_error(login, world, dispatched):
    response = login(world.director).post(
        step(dispatched), {"note": "", "days": "2", "level": "office"}
    )
    assert response.status_code == 200
    assert response.context["supervise_form"].errors
    assert not dispatched.supervisions.exists()


def test_the_supervision_screen_lists_each_supervision_with_its_state(
    login, in_english, world, dispatched
):
    running = actions.supervise_demand(
        dispatched, note="第一次督辦", days=3, actor=world.director
    )
    other = submit_test_demand(world, title="路燈不亮")
    other = actions.dispatch_demand(other, world.unit_b, actor=world.director)
    late = actions.supervise_demand(other, note="第二次督辦", days=1, actor=world.clerk)
    assert late.due_at is not None
    actions.escalate_supervision(late, now=late.due_at + datetime.timedelta(hours=1))
    page = login(world.director).get(LIST).content.decode()
    assert "第一次督辦" in page and "第二次督辦" in page
    assert dispatched.tracking_no in page and other.tracking_no in page
    assert 'data-state="escalated"' in page and 'data-state="open"' in page
    assert "Escalated to the leaders" in page
    assert "Leader supervision" in page
    assert world.unit_a.name in page and running.due_at is not None


def test_the_supervision_screen_can_hide_answered_demands(login, world, dispatched):
    actions.supervise_demand(dispatched, note="已答的督辦", actor=world.director)
    actions.accept_demand(dispatched, actor=world.liaison_a)
    actions.reply_demand(
        fresh(dispatched), reply="已辦", solved=True, actor=world.liaison_a
    )
    client = login(world.director)
    assert "已答的督辦" in client.get(LIST).content.decode()
    assert "已答的督辦" not in client.get(LIST, {"open": "1"}).content.decode()


def test_the_supervision_screen_shows_only_the_offices_campaigns(
    login, world, other_world
):
    demand = submit_test_demand(other_world)
    demand = actions.dispatch_demand(
        demand, other_world.unit_a, actor=other_world.director
    )
    actions.supervise_demand(demand, note="別處的督辦", actor=other_world.director)
    assert "別處的督辦" not in login(world.director).get(LIST).content.decode()


@pytest.mark.parametrize("persona", ["liaison_a", "head_a", "leader", "editor"])
def test_the_supervision_screen_is_the_offices(login, world, persona):
    # refused as the return visits are: back to the dashboard with an error
    response = login(getattr(world, persona)).get(LIST)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_the_office_menu_leads_to_the_supervision_screen(login, world):
    page = login(world.director).get(reverse("wagtailadmin_home")).content.decode()
    assert LIST in page
    page = login(world.liaison_a).get(reverse("wagtailadmin_home")).content.decode()
    assert LIST not in page


@pytest.mark.parametrize("leaves", ["recall", "reassign", "return"])
def test_a_supervision_ends_when_the_demand_leaves_its_unit(world, dispatched, leaves):
    supervision = actions.supervise_demand(
        dispatched, note="請三日內辦結", days=3, actor=world.director
    )
    assert Demand.objects.for_supervision().filter(pk=dispatched.pk).exists()
    if leaves == "recall":
        actions.recall_demand(dispatched, reason="單位無賬號", actor=world.director)
    elif leaves == "reassign":
        actions.reassign_demand(
            dispatched, world.unit_b, reason="屬乙處職責", actor=world.director
        )
    else:
        actions.return_demand(dispatched, reason="非本處職責", actor=world.liaison_a)
    supervision.refresh_from_db()
    assert supervision.ended_at is not None
    # no longer on the cockpit's list to supervise, and never escalated
    assert not Demand.objects.for_supervision().filter(pk=dispatched.pk).exists()
    assert supervision.due_at is not None
    assert sweeps.escalate_supervisions(supervision.due_at + datetime.timedelta(1)) == 0
    assert not ModelLogEntry.objects.filter(
        action="sanfu.demand.supervision_escalate"
    ).exists()


def test_the_supervision_screen_shows_an_ended_supervision_as_ended(
    world, dispatched, login
):
    actions.supervise_demand(dispatched, note="催", days=2, actor=world.director)
    actions.recall_demand(dispatched, reason="單位無賬號", actor=world.director)
    client = login(world.director)
    page = client.get(LIST).content.decode()
    assert 'data-state="ended"' in page
    assert (
        dispatched.tracking_no not in client.get(LIST, {"open": "1"}).content.decode()
    )
