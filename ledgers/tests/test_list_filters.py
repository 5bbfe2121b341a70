"""The ledger lists filter by campaign, unit, status, source and overdue, say how
many rows match, and page with the filters kept."""

import html
import re
from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from ledgers.actions.problems import create_problem
from ledgers.models import DeedStatus, PracticalDeed, ProblemSource
from ledgers.tests.conftest import make_deed, make_measure, make_problem

pytestmark = pytest.mark.django_db


def _rows(client: Any, url: str, **query: Any) -> tuple[int | None, list[str], str]:
    page = client.get(url, query).content.decode()
    found = re.search(r'id="match-count" data-count="(\d+)"', page)
    ids = re.findall(r'<tr data-row="(\d+)">', page)
    after = re.search(r'rel="next" href="([^"]+)"', page)
    return (
        int(found.group(1)) if found else None,
        ids,
        html.unescape(after.group(1)) if after else "",
    )


def test_the_problems_filter_by_unit_source_status_and_overdue(
    world: World, login: Any
) -> None:
    late = make_problem(world, source=ProblemSource.PUBLIC)
    make_measure(world, late)  # due in 2007: past
    make_problem(world)
    other = create_problem(
        world.campaign,
        world.unit_b,
        source=ProblemSource.PUBLIC,
        description="辦事指南過時",
        severity="general",
        actor=world.liaison_b,
    )
    client = login(world.clerk)
    url = reverse("ledgers_admin:problems")
    assert _rows(client, url, unit=world.unit_b.pk)[:2] == (1, [str(other.pk)])
    assert _rows(client, url, source=ProblemSource.PUBLIC)[0] == 2
    assert _rows(client, url, source=ProblemSource.PUBLIC, unit=world.unit_a.pk)[
        :2
    ] == (1, [str(late.pk)])
    assert _rows(client, url, overdue="on")[:2] == (1, [str(late.pk)])
    assert _rows(client, url, status="closed")[0] == 0
    assert _rows(client, url, campaign=world.campaign.pk)[0] == 3
    # no filter: every row, no count line
    assert _rows(client, url)[0] is None


def test_the_deeds_filter_by_status_and_overdue_and_page_with_the_filters(
    world: World, login: Any
) -> None:
    for _ in range(52):
        make_deed(world)  # due 2007-06-30, in progress: overdue
    on_time = make_deed(world)
    # done, awaiting verification: not overdue
    PracticalDeed.objects.filter(pk=on_time.pk).update(status=DeedStatus.DONE)
    client = login(world.clerk)
    url = reverse("ledgers_admin:deeds")
    count, ids, after = _rows(client, url, overdue="on", unit=world.unit_a.pk)
    assert count == 52
    assert len(ids) == 50 and str(on_time.pk) not in ids
    # the next page keeps the filters
    assert "overdue=on" in after and f"unit={world.unit_a.pk}" in after
    page = client.get(url + after).content.decode()
    second = re.findall(r'<tr data-row="(\d+)">', page)
    assert len(second) == 2 and not set(second) & set(ids)
    assert _rows(client, url, status=DeedStatus.VERIFIED)[0] == 0
    assert _rows(client, url, status=DeedStatus.IN_PROGRESS)[0] == 52


def test_a_liaison_filters_only_within_their_own_rows(world: World, login: Any) -> None:
    make_problem(world)
    client = login(world.liaison_b)
    url = reverse("ledgers_admin:problems")
    # another unit's id is not a choice: the filter is refused, nothing shown
    count, ids, _after = _rows(client, url, unit=world.unit_a.pk)
    assert ids == []
    count, ids, _after = _rows(client, url, campaign=world.campaign.pk)
    assert (count, ids) == (0, [])
