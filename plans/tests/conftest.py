import datetime

import pytest

from campaigns.models import MainTask, Phase
from campaigns.tests.conftest import meeting  # noqa: F401  (a fixture)
from campaigns.tests.factories import MainTaskFactory, PhaseFactory
from plans import actions
from plans.models import UnitPlan


@pytest.fixture
def task(world) -> MainTask:
    return MainTaskFactory.create(campaign=world.campaign, name="服務基層")


@pytest.fixture
def phase(world) -> Phase:
    return PhaseFactory.create(
        campaign=world.campaign,
        sequence=1,
        name="動員部署",
        starts_on=datetime.date(2007, 3, 27),
        ends_on=datetime.date(2007, 4, 30),
    )


@pytest.fixture
def plan_a(world) -> UnitPlan:
    return actions.start_unit_plan(
        world.campaign, world.unit_a, title="甲處實施方案", actor=world.liaison_a
    )


@pytest.fixture
def submitted_plan(world, plan_a, task) -> UnitPlan:
    actions.add_measure(
        plan_a,
        main_task=task,
        content="走訪基層單位",
        owner="張三",
        deadline=datetime.date(2007, 6, 30),
        actor=world.liaison_a,
    )
    return actions.submit_unit_plan(plan_a, actor=world.liaison_a)
