import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from campaigns.models import Phase
from conftest import World
from core.errors import Conflict
from ledgers.actions.problems import apply_for_closure, confirm_measure, verify_problem
from ledgers.lookback import (
    answer_recheck,
    decide_recheck,
    draw,
    last_day,
    start_look_back,
)
from ledgers.models import (
    LookBack,
    LookBackItem,
    LookBackMethod,
    Problem,
    ProblemStatus,
    RecheckOutcome,
)
from ledgers.tests.conftest import finish, make_measure, make_problem

pytestmark = pytest.mark.django_db


def closed_problem(world: World, text: str) -> Problem:
    problem = make_problem(world, description=text)
    measure = make_measure(world, problem)
    finish(world, measure)
    apply_for_closure(problem, actor=world.liaison_a)
    confirm_measure(measure, actor=world.head_a)
    return verify_problem(problem, actor=world.clerk)


@pytest.fixture
def closed(world: World) -> list[Problem]:
    return [closed_problem(world, f"問題{n}") for n in range(5)]


@pytest.fixture
def today(world: World) -> datetime.date:
    return last_day(world.campaign)


def test_a_random_sample_is_reproducible_from_its_recorded_seed(
    world: World, closed: list[Problem], today: datetime.date
) -> None:
    look_back = start_look_back(world.campaign, size=2, actor=world.clerk, today=today)
    assert look_back.method == LookBackMethod.RANDOM
    assert look_back.seed is not None and look_back.population == 5
    picked = sorted(look_back.items.values_list("problem_id", flat=True))
    assert picked == draw([p.pk for p in closed], 2, look_back.seed)
    assert set(
        Problem.objects.filter(pk__in=picked).values_list("status", flat=True)
    ) == {ProblemStatus.RECHECK}
    assert Problem.objects.filter(status=ProblemStatus.CLOSED).count() == 3
    entry = ModelLogEntry.objects.get(action="sanfu.look_back.start")
    assert entry.data["problems"] == picked


def test_a_percentage_and_a_hand_picked_sample(
    world: World, closed: list[Problem], today: datetime.date
) -> None:
    by_percent = start_look_back(
        world.campaign, percent=40, seed=7, actor=world.clerk, today=today
    )
    assert by_percent.items.count() == 2 and by_percent.seed == 7
    free = Problem.objects.filter(status=ProblemStatus.CLOSED).first()
    assert free is not None
    chosen = start_look_back(
        world.campaign, chosen=[free.pk], actor=world.director, today=today
    )
    assert chosen.method == LookBackMethod.CHOSEN and chosen.seed is None
    assert list(chosen.items.values_list("problem_id", flat=True)) == [free.pk]


def test_the_recheck_passes_or_fails(
    world: World, closed: list[Problem], today: datetime.date
) -> None:
    look_back = start_look_back(
        world.campaign,
        chosen=[closed[0].pk, closed[1].pk],
        actor=world.clerk,
        today=today,
    )
    good, bad = look_back.items.order_by("problem_id")
    with pytest.raises(ValidationError):
        decide_recheck(good, passed=True, actor=world.clerk)  # no answer yet
    answer_recheck(good, answer="整改成效鞏固", actor=world.liaison_a)
    answer_recheck(bad, answer="部分反彈", actor=world.liaison_a)
    decide_recheck(good, passed=True, actor=world.clerk)
    with pytest.raises(ValidationError):
        decide_recheck(bad, passed=False, actor=world.clerk)  # no reason
    decide_recheck(bad, passed=False, reason="窗口時間又縮短", actor=world.clerk)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.outcome, bad.outcome) == (RecheckOutcome.PASSED, RecheckOutcome.FAILED)
    assert good.problem.status == ProblemStatus.CLOSED
    assert bad.problem.status == ProblemStatus.OPEN
    assert bad.problem.closed_at is None
    assert bad.problem.return_reason == "窗口時間又縮短"
    assert not bad.problem.measures.filter(confirmed_at__isnull=False).exists()
    with pytest.raises(Conflict):
        decide_recheck(good, passed=False, reason="x", actor=world.clerk)


def test_refusals(
    world: World, closed: list[Problem], today: datetime.date, other_world: World
) -> None:
    for person in (world.liaison_a, world.head_a, world.outsider, other_world.clerk):
        with pytest.raises(PermissionDenied):
            start_look_back(world.campaign, size=1, actor=person, today=today)
    after = today + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        start_look_back(world.campaign, size=1, actor=world.clerk, today=after)
    bad_inputs: list[dict[str, Any]] = [
        {"size": 6},
        {"size": 0},
        {"percent": 0},
        {},
        {"size": 1, "percent": 10},
        {"chosen": [make_problem(world).pk]},  # not closed
    ]
    for bad in bad_inputs:
        with pytest.raises(ValidationError):
            start_look_back(world.campaign, actor=world.clerk, today=today, **bad)
    assert not LookBack.objects.exists()
    look_back = start_look_back(
        world.campaign, chosen=[closed[0].pk], actor=world.clerk, today=today
    )
    item = look_back.items.get()
    for person in (world.liaison_b, world.outsider, world.clerk):
        with pytest.raises(PermissionDenied):
            answer_recheck(item, answer="好", actor=person)
    answer_recheck(item, answer="好", actor=world.liaison_a)
    with pytest.raises(PermissionDenied):
        decide_recheck(item, passed=True, actor=world.liaison_a)
    assert LookBackItem.objects.get().outcome == RecheckOutcome.PENDING


def test_the_last_phase_sets_the_deadline(world: World) -> None:
    Phase.objects.create(
        campaign=world.campaign,
        sequence=9,
        name="總結",
        starts_on=world.campaign.starts_on,
        ends_on=datetime.date(2007, 12, 20),
    )
    assert last_day(world.campaign) == datetime.date(2007, 12, 20)


def test_the_look_back_screens(
    world: World,
    closed: list[Problem],
    login: Any,
    other_world: World,
    in_english: Any,
) -> None:
    Phase.objects.create(
        campaign=world.campaign,
        sequence=9,
        name="總結",
        starts_on=world.campaign.starts_on,
        ends_on=datetime.date(2099, 12, 31),
    )
    start = reverse("ledgers_admin:look_backs")
    refused = login(world.liaison_a).post(
        start, {"campaign": world.campaign.pk, "size": 1}
    )
    assert refused.status_code == 200 and not LookBack.objects.exists()
    clerk = login(world.clerk)
    response = clerk.post(
        start, {"campaign": world.campaign.pk, "chosen": f"{closed[0].pk}"}
    )
    look_back = LookBack.objects.get()
    item = look_back.items.get()
    page = reverse("ledgers_admin:look_back", args=[look_back.pk])
    assert response["Location"] == page
    assert login(other_world.clerk).get(page).status_code == 404
    assert "/login/" in login(world.outsider).get(page)["Location"]  # no admin
    answer = reverse("ledgers_admin:recheck_answer", args=[look_back.pk, item.pk])
    decide = reverse("ledgers_admin:recheck_decide", args=[look_back.pk, item.pk])
    assert login(world.liaison_b).post(answer, {"answer": "好"}).status_code in (
        403,
        404,
    )
    liaison = login(world.liaison_a)
    assert "Answer the re-check" in liaison.get(page).content.decode()
    liaison.post(answer, {"answer": "整改成效鞏固"})
    liaison.post(decide, {"passed": "1"})
    assert LookBackItem.objects.get().outcome == RecheckOutcome.PENDING
    login(world.clerk).post(decide, {"passed": "1"})
    assert LookBackItem.objects.get().outcome == RecheckOutcome.PASSED
    assert Problem.objects.get(pk=closed[0].pk).status == ProblemStatus.CLOSED
