"""The office searches and exports its campaign's audit trail; nobody else does."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.actions import record
from audit_search import search
from demands import actions
from demands.tests.factories import submit_test_demand

pytestmark = pytest.mark.django_db

URL = reverse("audit_search")


@pytest.fixture
def trail(world, other_world):  # type: ignore[no-untyped-def]
    demand = submit_test_demand(world, title="電話13812345678的水渠")
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    actions.accept_demand(demand, actor=world.liaison_a)
    elsewhere = submit_test_demand(other_world, title="他處的訴求")
    actions.dispatch_demand(elsewhere, other_world.unit_a, actor=other_world.clerk)
    return demand, elsewhere


@pytest.mark.parametrize("persona", ["liaison_a", "head_a", "editor", "leader"])
def test_other_roles_are_refused(login, world, trail, persona):
    response = login(getattr(world, persona)).get(URL)
    assert response.status_code == 403
    assert trail[0].tracking_no not in response.content.decode()


def test_a_visitor_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("persona", ["director", "clerk"])
def test_the_office_sees_its_own_campaign_only(login, world, trail, persona):
    page = login(getattr(world, persona)).get(URL).content.decode()
    demand, elsewhere = trail
    assert demand.tracking_no in page
    assert elsewhere.tracking_no not in page


def test_a_superuser_sees_every_campaign(login, world, trail):
    page = login(world.superuser).get(URL).content.decode()
    assert trail[0].tracking_no in page
    assert trail[1].tracking_no in page


def test_phone_numbers_are_masked(login, world, trail):
    page = login(world.director).get(URL).content.decode()
    assert "13812345678" not in page


def test_filters_by_actor_action_unit_and_text(login, world, trail):
    client = login(world.director)
    by_liaison = client.get(URL, {"actor": world.liaison_a.username}).context["rows"]
    assert by_liaison
    assert {row.actor for row in by_liaison} == {world.liaison_a.username}
    only_accept = client.get(URL, {"action": "sanfu.demand.accept"})
    rows = only_accept.context["rows"]
    assert {row.actor for row in rows} == {world.liaison_a.username}
    assert len(client.get(URL, {"unit": world.unit_b.pk}).context["rows"]) == 0
    assert len(client.get(URL, {"q": "不存在的字"}).context["rows"]) == 0
    bad = client.get(URL, {"since": "2026-02-30"})
    assert bad.status_code == 400


def test_it_pages_by_key(login, world, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 3)
    for _ in range(7):
        record(world.campaign, "sanfu.campaign.structure", actor=world.director)
    client = login(world.director)
    seen: list[int] = []
    response = client.get(URL)
    while True:
        seen.extend(row.pk for row in response.context["rows"])
        if not response.context["next_cursor"]:
            break
        response = client.get(URL, {"before": response.context["next_cursor"]})
    assert len(seen) == len(set(seen)) == 7


def test_it_exports_the_filtered_rows_to_csv_and_xlsx(login, world, trail):
    client = login(world.director)
    response = client.get(URL, {"action": "sanfu.demand.accept", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2  # the headings and the one acceptance
    assert rows[1][1] == world.liaison_a.username
    assert "13812345678" not in response.content.decode("utf-8-sig")
    response = client.get(URL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    texts = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert trail[0].tracking_no in texts
    assert trail[1].tracking_no not in texts
    assert "13812345678" not in texts


def test_the_menu_shows_it_to_the_office_only(login, world):
    assert (
        URL in login(world.director).get(reverse("wagtailadmin_home")).content.decode()
    )
    assert (
        URL
        not in login(world.liaison_a).get(reverse("wagtailadmin_home")).content.decode()
    )


def test_every_audited_kind_of_object_can_be_filtered_for(world):
    labels = {
        f"{content_type.app_label}.{content_type.model}"
        for content_type in search.object_types()
    }
    assert {"demands.demand", "jobs.job", "ledgers.problem", "org.unit"} <= labels
    # the rollups are never an entry's object; the inbox is not audited
    assert "demands.demanddaystat" not in labels
    assert not {label for label in labels if label.startswith("notify.")}
    assert not {label for label in labels if label.startswith("wagtail")}
