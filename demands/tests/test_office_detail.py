"""A demand's page in the back office: what it shows to whom, and which steps."""

import pytest
from django.urls import reverse
from django.utils import timezone

from demands import actions
from demands.tests.factories import submit_test_demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(world):
    return submit_test_demand(world, submitter_name="張三豐")


def url(demand) -> str:
    return reverse("demands_office:detail", args=[demand.pk])


def page(client, demand) -> str:
    response = client.get(url(demand))
    assert response.status_code == 200
    return response.content.decode()


def test_the_office_sees_the_whole_demand_with_the_submitters_contact(
    login, world, demand
):
    html = page(login(world.director), demand)
    assert "村口水渠堵塞" in html
    assert "雨季將至" in html
    assert "張三豐" in html and "13812345678" in html
    assert "sanfu.demand.submit" not in html  # the log's message, not its name


def test_the_office_dispatches_in_one_click_to_the_catalogues_unit(
    login, world, demand
):
    response = login(world.director).get(url(demand))
    form = response.context["dispatch_form"]
    assert form["unit"].value() == world.unit_a.pk
    html = response.content.decode()
    assert f'<option value="{world.unit_a.pk}" selected>' in html
    assert "accept_form" not in response.context


def test_the_handling_unit_sees_the_contact_and_its_steps(login, world, demand):
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    response = login(world.liaison_a).get(url(demand))
    html = response.content.decode()
    assert "張三豐" in html and "13812345678" in html
    assert "accept_form" in response.context
    assert "return_form" in response.context
    assert "dispatch_form" not in response.context
    assert "reply_form" not in response.context


def test_a_leader_sees_the_demand_with_the_contact_masked(login, world, demand):
    html = page(login(world.leader), demand)
    assert "村口水渠堵塞" in html
    assert "張三豐" not in html and "13812345678" not in html
    assert "張**" in html and "138****5678" in html


def test_a_leader_is_offered_no_step(login, world, demand):
    response = login(world.leader).get(url(demand))
    for name in ("dispatch_form", "accept_form", "reply_form", "decide_form"):
        assert name not in response.context


def test_another_units_liaison_cannot_open_the_demand(login, world, demand):
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    assert login(world.liaison_b).get(url(demand)).status_code == 404


def test_a_unit_cannot_open_a_demand_not_yet_dispatched_to_it(login, world, demand):
    assert login(world.liaison_a).get(url(demand)).status_code == 404


def test_the_office_of_another_campaign_cannot_open_the_demand(
    login, world, other_world, demand
):
    assert login(other_world.director).get(url(demand)).status_code == 404


def test_the_public_is_sent_to_the_login(client, world, demand):
    response = client.get(url(demand))
    assert response.status_code == 302


def test_the_history_lists_each_step(login, world, demand):
    actions.dispatch_demand(demand, world.unit_a, actor=world.director, note="急辦")
    response = login(world.director).get(url(demand))
    entries = [entry.action for entry, _details in response.context["history"]]
    assert entries == ["sanfu.demand.submit", "sanfu.demand.dispatch"]
    assert "急辦" in response.content.decode()


def test_the_clocks_steps_are_the_systems_not_the_submitters(login, world, demand):
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply="已疏通。", solved=True, actor=world.liaison_a
    )
    assert actions.schedule_return_visit(demand, now=timezone.now()) is not None
    response = login(world.director).get(url(demand), HTTP_ACCEPT_LANGUAGE="en")
    who = {entry.action: str(entry.who) for entry, _ds in response.context["history"]}
    assert who["sanfu.demand.submit"] == "the submitter"
    assert who["sanfu.demand.return_visit_schedule"] == "the system (automatic)"
    assert who["sanfu.demand.dispatch"] == str(world.director)


def test_a_pending_extension_is_offered_to_the_office_to_decide(login, world, demand):
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    actions.request_extension(
        demand, days=3, reason="需現場勘察", actor=world.liaison_a
    )
    response = login(world.director).get(url(demand))
    assert "decide_form" in response.context
    assert "需現場勘察" in response.content.decode()
    unit_view = login(world.liaison_a).get(url(demand))
    assert "extension_form" not in unit_view.context
    assert "reply_form" in unit_view.context


def test_the_history_reads_as_words_not_codes(login, world, demand):
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    actions.reply_demand(demand, reply="已疏通。", solved=True, actor=world.liaison_a)
    response = login(world.director).get(url(demand), HTTP_ACCEPT_LANGUAGE="en")
    details = [d for _entry, ds in response.context["history"] for d in ds]
    assert ("Solved", "Yes") in [(str(k), str(v)) for k, v in details]
