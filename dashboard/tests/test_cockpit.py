import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from dashboard.tests.conftest import overdue_demand, weekly_report_file
from demands import metrics
from text.script import to_simplified

pytestmark = pytest.mark.django_db

COCKPIT = "/admin/cockpit/"


def test_anonymous_people_are_sent_to_log_in(client, world):
    for url in [COCKPIT, reverse("dashboard:weekly_report")]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["head_a", "liaison_a", "editor"])
def test_unit_roles_and_the_publicity_group_are_refused(login, world, persona):
    client = login(getattr(world, persona))
    for url in [COCKPIT, reverse("dashboard:weekly_report")]:
        assert client.get(url).status_code == 403


def test_an_outsider_is_refused(login, world):
    response = login(world.outsider).get(COCKPIT)
    assert response.status_code in (302, 403)
    assert b"overdue-count" not in response.content


def test_another_campaigns_leader_sees_none_of_this_one(
    login, world, other_world, demand_set
):
    client = login(other_world.leader)
    response = client.get(COCKPIT, {"campaign": world.campaign.pk})
    assert response.status_code == 200
    assert b"overdue-count" not in response.content
    report = client.get(
        reverse("dashboard:weekly_report"), {"campaign": world.campaign.pk}
    )
    assert report["Content-Type"].startswith("text/html")


def test_the_leader_sees_the_figures_and_the_overdue_link(login, world, demand_set):
    response = login(world.leader).get(COCKPIT, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    overdue = re.search(r'id="overdue-count" href="([^"]+)"[^>]*>(\d+)<', page)
    assert overdue is not None
    assert overdue.group(2) == "2"
    assert (
        overdue.group(1)
        == f"/admin/demands/?campaign={world.campaign.pk}&amp;overdue=on"
    )
    assert re.search(r'id="open-count" href="[^"]+"[^>]*>4<', page)
    assert "dashboard/echarts.min.js" in page
    assert "cockpit-data" in page
    # every section has its app installed: none says it is missing
    assert "Not available." not in page


def test_the_unit_filter_narrows_the_figures(login, world, demand_set):
    response = login(world.director).get(
        COCKPIT, {"campaign": world.campaign.pk, "unit": world.unit_b.pk}
    )
    page = response.content.decode()
    overdue = re.search(r'id="overdue-count" href="([^"]+)"[^>]*>(\d+)<', page)
    assert overdue is not None
    assert overdue.group(2) == "1"
    assert overdue.group(1) == (
        f"/admin/demands/?campaign={world.campaign.pk}&amp;unit={world.unit_b.pk}"
        "&amp;overdue=on"
    )


def test_a_unit_of_another_organisation_is_refused(login, world, other_world):
    response = login(world.leader).get(
        COCKPIT, {"campaign": world.campaign.pk, "unit": other_world.unit_a.pk}
    )
    assert b"overdue-count" not in response.content


def test_the_overdue_drill_down_lists_the_overdue_rows(login, world, demand_set):
    client = login(world.leader)
    page = client.get("/admin/demands/?overdue=on").content.decode()
    assert demand_set["late_a"].tracking_no in page
    assert demand_set["late_b"].tracking_no in page
    assert demand_set["on_time"].tracking_no not in page


def test_the_weekly_report_holds_the_cockpits_figures(
    login, world, demand_set, django_capture_on_commit_callbacks
):
    UserProfile.objects.update_or_create(
        user=world.leader, defaults={"preferred_language": "en"}
    )
    _job, document = weekly_report_file(
        login(world.leader),
        django_capture_on_commit_callbacks,
        campaign=world.campaign.pk,
        week=timezone.localdate().isoformat(),
    )
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["Received in the period", "4"] in cells
    assert ["Open now", "4"] in cells
    assert ["Overdue now", "2"] in cells
    # the rates are those of the cockpit: none of the 2 past their acceptance
    # deadline accepted (the third, inside it, is left out)
    assert ["Response rate", "0.0%"] in cells
    assert [
        demand_set["late_a"].tracking_no,
        "河堤护栏损坏",  # in the reader's script
        to_simplified(world.unit_a.name),
    ] in cells
    text = "\n".join(p.text for p in document.paragraphs)
    assert "weekly report" in text
    assert "Not available." not in text


def test_the_leader_gets_the_cockpit_panel_on_the_admin_home(login, world, demand_set):
    page = (
        login(world.leader).get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "cockpit-panel-heading" in page
    assert "Open demands: 4; overdue: 2." in page


def test_a_liaison_gets_no_cockpit_panel(login, world):
    page = login(world.liaison_a).get("/admin/").content.decode()
    assert "cockpit-panel-heading" not in page


def test_the_leader_reads_the_titles_to_supervise_masked(
    login, world, django_capture_on_commit_callbacks
):
    late = overdue_demand(world, world.unit_a, "陈志华13600001111反映水管漏水")
    client = login(world.leader)
    page = client.get(COCKPIT, {"campaign": world.campaign.pk}).content.decode()
    assert "陈**136****1111反映水管漏水" in page
    assert "13600001111" not in page
    _job, document = weekly_report_file(
        client, django_capture_on_commit_callbacks, campaign=world.campaign.pk
    )
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    unit = to_simplified(world.unit_a.name)
    assert [late.tracking_no, "陈**136****1111反映水管漏水", unit] in cells


def test_each_rate_on_the_cockpit_carries_its_definition(login, world, demand_set):
    """The cockpit's rates are those of the figures screen (one definition each),
    printed with their definition and the small-sample mark."""
    response = login(world.leader).get(COCKPIT, HTTP_ACCEPT_LANGUAGE="en")
    rates = {figure.rate.name: figure for figure, _url in response.context["rates"]}
    assert list(rates) == list(metrics.RATES)
    # two demands past their acceptance deadline, neither accepted; the third
    # dispatched, still inside its deadline, is left out (was 0 of 3)
    response_rate = rates["response_rate"]
    assert (response_rate.numerator, response_rate.denominator) == (0, 2)
    assert response_rate.flag == "※ n=2"
    page = response.content.decode()
    assert "※ n=2" in page
    with translation.override("en"):
        for rate in metrics.RATE_DEFINITIONS:
            assert html.escape(str(rate.definition)) in page
