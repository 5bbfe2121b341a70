import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.seats import seats_of
from conftest import World
from demands.models import Demand, DemandKind, Urgency
from ledgers.actions.problems import create_problem
from ledgers.actions.research import (
    raise_demand_from_finding,
    raise_problem_from_finding,
    record_visit,
)
from ledgers.models import (
    PracticalDeed,
    Problem,
    ProblemSource,
    RectificationMeasure,
    ResearchVisit,
    Severity,
)
from ledgers.tests.conftest import finish, make_measure
from ledgers.trace import Step, trace

pytestmark = pytest.mark.django_db


class Chain:
    visit: ResearchVisit
    problem: Problem
    measure: RectificationMeasure
    demand: Demand
    demand_problem: Problem


@pytest.fixture
def chain(world: World) -> Chain:
    """A visit with two findings: one became a problem, the other a demand, which in
    turn became a problem of its own."""
    c = Chain()
    c.visit = record_visit(
        world.campaign,
        world.unit_a,
        visited_on=datetime.date(2007, 4, 12),
        place="西江水文站",
        participants="甲處",
        topic="基層條件",
        findings=["宿舍漏雨", "飲水困難"],
        actor=world.liaison_a,
    )
    leak, water = c.visit.findings.order_by("sequence")
    c.problem = raise_problem_from_finding(
        leak, severity=Severity.GENERAL, actor=world.liaison_a
    )
    c.measure = make_measure(world, c.problem)
    finish(world, c.measure)
    c.demand = raise_demand_from_finding(
        water, kind=DemandKind.HELP, urgency=Urgency.NORMAL, actor=world.liaison_a
    )
    c.demand_problem = create_problem(
        world.campaign,
        world.unit_a,
        source=ProblemSource.DEMAND,
        description="供水設施老化",
        severity=Severity.SERIOUS,
        demand=c.demand,
        actor=world.liaison_a,
    )
    return c


def _flat(steps: list[Step]) -> list[Step]:
    out: list[Step] = []
    for step in steps:
        out.append(step)
        out.extend(_flat(step.children))
    return out


def _shape(steps: list[Step]) -> list[tuple[str, str, bool]]:
    return [(str(s.kind), s.label, bool(s.url)) for s in _flat(steps)]


@pytest.mark.parametrize("start", ["visit", "problem", "measure", "demand"])
def test_every_record_shows_the_same_chain(
    world: World, chain: Chain, start: str
) -> None:
    steps = trace(getattr(chain, start), world.clerk)
    assert _shape(steps) == [
        ("Research visit", str(chain.visit), True),
        ("Finding", "宿舍漏雨", True),
        ("Problem", "宿舍漏雨", True),
        ("Measure", "延長窗口服務時間", True),
        ("Finding", "飲水困難", True),
        ("Demand", chain.demand.title, True),
        ("Problem", "供水設施老化", True),
    ]
    current = [s for s in _flat(steps) if s.current]
    assert len(current) == 1
    expected = {
        "visit": str(chain.visit),
        "problem": "宿舍漏雨",
        "measure": "延長窗口服務時間",
        "demand": chain.demand.title,
    }
    assert current[0].label == expected[start]


def test_the_chain_links_only_what_the_viewer_may_open(
    world: World, chain: Chain
) -> None:
    # unit A's staff see their unit's ledgers but not a demand not yet sent to them
    shape = _shape(trace(chain.problem, world.staff_a))
    assert ("Demand", chain.demand.title, False) in shape
    assert ("Problem", "宿舍漏雨", True) in shape
    # someone outside sees the names only
    assert all(
        not linked for _k, _l, linked in _shape(trace(chain.problem, world.outsider))
    )


def test_the_chain_takes_a_bounded_number_of_queries(
    world: World, chain: Chain
) -> None:
    # the clerk's seats are read once and kept: read them first, so that both
    # counts are the chain's alone
    seats_of(world.clerk)
    with CaptureQueriesContext(connection) as small:
        trace(chain.visit, world.clerk)
    visit = ResearchVisit.objects.get(pk=chain.visit.pk)
    for n in range(3):
        finding = visit.findings.create(sequence=10 + n, text=f"另一發現{n}")
        problem = raise_problem_from_finding(
            finding, severity=Severity.GENERAL, actor=world.liaison_a
        )
        make_measure(world, problem)
    with CaptureQueriesContext(connection) as large:
        trace(visit, world.clerk)
    assert len(large) == len(small)


def test_a_problem_without_a_source_and_a_deed_show_themselves(
    world: World, problem: Problem, deed: PracticalDeed
) -> None:
    assert _shape(trace(problem, world.liaison_a)) == [
        ("Problem", problem.description, True)
    ]
    assert [s.label for s in trace(deed, world.liaison_a)] == [deed.title]


def test_the_pages_render_the_chain(
    world: World, chain: Chain, login: Any, in_english: Any
) -> None:
    client = login(world.clerk)
    for url in (
        reverse("ledgers_admin:problem", args=[chain.problem.pk]),
        reverse("ledgers_admin:visit", args=[chain.visit.pk]),
        reverse("demands_office:detail", args=[chain.demand.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "From finding to closure" in body
        assert reverse("ledgers_admin:problem", args=[chain.demand_problem.pk]) in body
