"""Every figure and chart segment of the cockpit opens the office's list of the rows
behind it: the same campaign, period, unit and condition, so the list counts what
the figure says."""

import datetime
import html
import io
import json
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dashboard.tests.conftest import _demand_set
from demands import actions as demand_actions
from demands.models import Rating
from demands.tests.factories import submit_test_demand

pytestmark = pytest.mark.django_db

COCKPIT = "/admin/cockpit/"


@pytest.fixture
def demands(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """The cockpit's demand set, a demand replied and rated, one replied and
    unrated, and two with no main task."""
    with django_capture_on_commit_callbacks(execute=True):
        made = _demand_set(world)
        for title, rating in [("橋面坑洼", Rating.SATISFIED), ("公廁無水", None)]:
            demand = submit_test_demand(world, title=title)
            demand_actions.dispatch_demand(demand, world.unit_b, actor=world.clerk)
            demand_actions.accept_demand(demand, actor=world.liaison_b)
            demand_actions.reply_demand(
                demand, reply="已處理", solved=True, actor=world.liaison_b
            )
            if rating:
                demand_actions.rate_demand(demand, rating=rating)
        for title in ["不知找誰", "其他問題"]:
            submit_test_demand(world, title=title, category=None)
    return made


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    page = client.get(html.unescape(url)).content.decode()
    found = re.search(r'id="match-count" data-count="(\d+)"', page)
    assert found is not None, url
    return int(found.group(1))


def _cockpit(client, **query):  # type: ignore[no-untyped-def]
    page = client.get(COCKPIT, query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    data = json.loads(
        re.search(
            r'id="cockpit-data" type="application/json">(.*?)</script>', page
        ).group(1)  # type: ignore[union-attr]
    )
    return page, data


@pytest.mark.parametrize("persona", ["leader", "director"])
def test_every_figure_links_to_as_many_rows_as_it_counts(
    login, world, demands, persona
):
    client = login(getattr(world, persona))
    page, _data = _cockpit(client)
    links = {}
    for name in ["received", "open", "overdue"]:
        found = re.search(rf'id="{name}-count" href="([^"]+)"[^>]*>(\d+)<', page)
        assert found is not None, name
        links[name] = found
    assert {name: int(found.group(2)) for name, found in links.items()} == {
        "received": 8,
        "open": 6,
        "overdue": 2,
    }
    for found in links.values():
        assert _count(client, found.group(1)) == int(found.group(2))
    # each rate links to the demands it is a share of: n of them
    rates = re.findall(
        r'data-rate="(\w+)">.*?'
        r'<a class="cockpit-sample" href="([^"]+)">(?:※ )?n ?= ?(\d+)<',
        page,
        re.S,
    )
    assert len(rates) == 6
    assert {name: int(n) for name, _url, n in rates}["satisfaction_rate"] == 1
    for _name, url, n in rates:
        assert _count(client, url) == int(n)


def test_every_chart_segment_opens_its_rows(login, world, demands):
    client = login(world.director)
    _page, data = _cockpit(client)
    # the pie has a slice for every main task and one for the demands without
    assert data["tasks"][-1] == "Uncategorised"
    assert data["task_received"][-1] == 2
    assert sum(data["task_received"]) == 8
    for url, received in zip(data["task_urls"], data["task_received"], strict=True):
        assert _count(client, url) == received
    # the units' bars: a rate's bar opens the demands the rate is a share of
    unit_a = data["units"].index(world.unit_a.name)
    # unit A: one demand past its acceptance deadline, one inside it
    assert _count(client, data["response_urls"][unit_a]) == 1
    assert data["response"][unit_a] == 0.0
    unit_b = data["units"].index(world.unit_b.name)
    assert _count(client, data["satisfaction_urls"][unit_b]) == 1
    # the bar's value is the share of those rows: unit B's one rating is satisfied
    assert data["satisfaction"][unit_b] == 100.0
    assert len(data["phase_urls"]) == len(data["phases"])


def test_with_a_unit_the_pie_and_the_links_are_that_units(login, world, demands):
    client = login(world.director)
    page, data = _cockpit(client, campaign=world.campaign.pk, unit=world.unit_b.pk)
    received = re.search(r'id="received-count" href="([^"]+)"[^>]*>(\d+)<', page)
    assert received is not None and received.group(2) == "3"
    assert _count(client, received.group(1)) == 3
    assert sum(data["task_received"]) == 3
    for url, count in zip(data["task_urls"], data["task_received"], strict=True):
        assert _count(client, url) == count


def test_the_list_keeps_to_the_figures_period(login, world, demands):
    client = login(world.director)
    today = timezone.localdate()
    base = f"/admin/demands/?campaign={world.campaign.pk}"
    assert _count(client, f"{base}&start={today}&end={today}") == 8
    yesterday = today - datetime.timedelta(days=1)
    assert _count(client, f"{base}&end={yesterday}") == 0
    assert _count(client, f"{base}&main_task=none") == 2


def test_a_period_that_ends_before_it_starts_is_refused(login, world, demands):
    client = login(world.director)
    page = client.get(
        "/admin/demands/", {"start": "2026-12-05", "end": "2026-12-01"}
    ).content.decode()
    assert 'id="match-count"' not in page
    assert "error" in page


def test_the_figures_page_its_export_and_the_cockpit_agree(login, world, demands):
    """The same period on the three: the same counts and rates, and the rows of
    each table add up to its total."""
    from demands.views.metrics import COLUMNS

    client = login(world.director)
    today = timezone.localdate().isoformat()
    period = {"campaign": world.campaign.pk, "start": today, "end": today}
    cockpit = client.get(COCKPIT, period, HTTP_ACCEPT_LANGUAGE="en").context
    total = cockpit["figures"].demands
    counted = [(i, c) for i, c in enumerate(COLUMNS) if not c.is_rate]
    screen = client.get("/admin/demands/metrics/", period, HTTP_ACCEPT_LANGUAGE="en")
    cells = screen.context["total"]
    for index, column in counted:
        assert int(cells[index]["text"]) == getattr(total, column.count), column.count
    export = client.get(
        "/admin/demands/metrics/export.xlsx", period, HTTP_ACCEPT_LANGUAGE="en"
    )
    workbook = load_workbook(io.BytesIO(export.content))
    for sheet in ("By unit", "By main task"):
        _header, *rows, last = workbook[sheet].iter_rows(values_only=True)
        for index, column in counted:
            assert last[index + 1] == getattr(total, column.count), column.count
            assert sum(row[index + 1] for row in rows) == last[index + 1]
    # the rates: the cockpit's figure is the screen's
    for figure, _url in cockpit["rates"]:
        index = next(i for i, c in enumerate(COLUMNS) if c.rate == figure.rate)
        shown = cells[index]["text"]
        assert shown.startswith("—" if figure.value is None else f"{figure.value:.1%}")
    # the cockpit's table per main task adds up to its total
    assert sum(row.received for row, _url in cockpit["main_tasks"]) == total.received
    assert total.received == 8


def test_the_cockpit_is_headed_by_its_own_title(login, world, in_english):
    page = login(world.leader).get(COCKPIT).content.decode()
    header = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert header is not None
    assert "Leaders" in header.group(1) and "Home" not in header.group(1)
