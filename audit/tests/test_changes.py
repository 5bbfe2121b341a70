"""Each audit entry holds what its action changed, before and after, without the
personal data and secrets the append-only trail could never erase."""

import json

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from audit.actions import record
from audit.changes import HIDDEN, TEXT_LIMIT, audited_apps
from demands import actions
from demands.models import Demand, DemandStatus
from demands.tests.factories import submit_test_demand

pytestmark = pytest.mark.django_db


def entry(demand, action):
    return ModelLogEntry.objects.get(object_id=str(demand.pk), action=action)


def test_only_the_projects_own_apps_are_audited_and_not_the_inbox():
    labels = {config.label for config in audited_apps()}
    assert {"org", "campaigns", "publicity", "demands", "ledgers"} <= labels
    assert {"evaluation", "jobs", "api"} <= labels
    assert "notify" not in labels
    assert not {"wagtailcore", "auth", "contenttypes", "taggit"} & labels


def test_a_transition_records_the_fields_it_changed_before_and_after(world):
    demand = submit_test_demand(world)
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    changes = entry(demand, "sanfu.demand.dispatch").data["changes"]
    assert changes["status"] == [DemandStatus.SUBMITTED, DemandStatus.DISPATCHED]
    assert changes["unit_id"] == [None, world.unit_a.pk]
    assert "title" not in changes  # unchanged fields are left out


def test_the_next_action_on_the_same_object_starts_from_its_new_values(world):
    demand = submit_test_demand(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    actions.accept_demand(demand, actor=world.liaison_a)
    changes = entry(demand, "sanfu.demand.accept").data["changes"]
    assert changes["status"] == [DemandStatus.DISPATCHED, DemandStatus.ACCEPTED]
    assert "unit_id" not in changes


def test_a_new_object_records_its_values_with_nothing_before(world):
    demand = submit_test_demand(world, title="村口水渠堵塞")
    changes = entry(demand, "sanfu.demand.submit").data["changes"]
    assert changes["title"] == [None, "村口水渠堵塞"]
    assert changes["status"] == [None, DemandStatus.SUBMITTED]


def test_personal_data_and_secrets_never_enter_the_trail(world):
    demand = submit_test_demand(
        world,
        submitter_name="張三豐",
        submitter_phone="13812345678",
        location="越秀區某街12號",
        content="請回電13812345678，身份證440102199001011234。" + "長" * 500,
    )
    data = entry(demand, "sanfu.demand.submit").data
    written = json.dumps(data, ensure_ascii=False)
    for personal in ("張三豐", "13812345678", "440102199001011234", "越秀區"):
        assert personal not in written
    changes = data["changes"]
    assert changes["submitter_name"] == [None, HIDDEN]
    assert changes["submitter_phone"] == [None, HIDDEN]
    assert changes["location"] == [None, HIDDEN]
    assert "query_code_hash" not in changes
    assert len(changes["content"][1]) == TEXT_LIMIT
    assert changes["content"][1].startswith("請回電***，身份證***。")


def test_a_demands_entries_are_labelled_by_its_number_not_its_title(world):
    demand = submit_test_demand(world, title="張三豐家門口的水渠")
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    for action in ("sanfu.demand.submit", "sanfu.demand.dispatch"):
        assert entry(demand, action).label == demand.tracking_no


def test_erasure_records_that_the_personal_data_went_not_what_it_was(world):
    demand = submit_test_demand(world, submitter_name="張三豐")
    demand.submitter_name = ""
    demand.save(update_fields=["submitter_name"])
    record(demand, "sanfu.demand.erase_personal_data", data={"attachments": 0})
    changes = entry(demand, "sanfu.demand.erase_personal_data").data["changes"]
    assert changes == {"submitter_name": [HIDDEN, ""]}


def test_the_office_reads_the_changes_in_the_fields_own_names(login, world):
    demand = submit_test_demand(world)
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    response = login(world.director).get(reverse("audit_search"))
    assert response.status_code == 200
    with translation.override("zh-hans"):
        status = Demand._meta.get_field("status").verbose_name
        before, after = DemandStatus.SUBMITTED.label, DemandStatus.DISPATCHED.label
        shown = f"{status}: {before} → {after}"
    assert shown in response.content.decode()
