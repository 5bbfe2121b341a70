"""The office's duplicate hint: looked for in the background after every submission
from every door (web form, API, the action), and shown on the office's list. The
tests run tasks at once (django-tasks' ImmediateBackend: each submission is checked
in its request) unless they set up a queue (one check serves the submissions of a
few seconds, by a mark in the cache)."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from demands import duplicates, sweeps, tasks
from demands.models import Demand, DemandKind, DemandStatus
from demands.tests.factories import submit_test_demand

pytestmark = pytest.mark.django_db

OFFICE = reverse("demands_office:index")
API = "/api/v1/demands"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def flagged_on_the_office_list(login, world) -> set[int]:  # type: ignore[no-untyped-def]
    response = login(world.director).get(OFFICE, {"duplicates": "on"})
    assert response.status_code == 200
    return {demand.pk for demand, _card in response.context["rows"]}


def test_a_repeat_filed_through_the_api_is_listed_as_a_possible_duplicate(
    client, login, world
):
    body = {
        "campaign": world.campaign.slug,
        "kind": "help",
        "title": "村口水渠堵塞",
        "content": "雨季將至，村口水渠堵塞，請幫助疏通。",
        "phone": "13812345678",
    }
    numbers = []
    for title in ("村口水渠堵塞", "另一件事"):
        response = client.post(
            API, json.dumps({**body, "title": title}), content_type="application/json"
        )
        assert response.status_code == 201
        numbers.append(response.json()["tracking_no"])
    first, again = (Demand.objects.get(tracking_no=number) for number in numbers)
    assert again.possible_duplicate_of == first
    assert first.possible_duplicate_of is None
    assert flagged_on_the_office_list(login, world) == {again.pk}


def test_a_repeat_filed_through_the_web_form_is_listed_as_a_possible_duplicate(
    client, login, world
):
    url = reverse("demands:submit", kwargs={"campaign_slug": world.campaign.slug})
    data = {
        "kind": "help",
        "urgency": "normal",
        "title": "村口水渠堵塞",
        "content": "雨季將至，村口水渠堵塞，請幫助疏通。",
        "submitter_phone": "",
    }
    for content in (data["content"], "雨季将至，村口水渠堵塞，请帮助疏通！"):
        response = client.post(url, {**data, "content": content})
        assert response.status_code == 302
    first, again = Demand.objects.order_by("pk")
    assert again.possible_duplicate_of == first
    assert flagged_on_the_office_list(login, world) == {again.pk}


def test_with_another_queue_one_check_after_the_commit_serves_a_few_seconds(
    client, login, world, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        **settings.TASKS,
        "sanfu": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": settings.SANFU_TASK_QUEUES,
        },
    }
    seconds = settings.SANFU_DEMANDS["DUPLICATE_CHECK_SECONDS"]
    assert seconds > 0
    body = {"campaign": world.campaign.slug, "kind": "help", "phone": "13812345678"}
    queued = task_backends["sanfu"].results  # type: ignore[attr-defined]
    started = timezone.now()
    for n, title in enumerate(("村口水渠堵塞", "另一件事", "第三件事")):
        with django_capture_on_commit_callbacks(execute=True):
            data = json.dumps({**body, "title": title, "content": title})
            response = client.post(API, data, content_type="application/json")
            assert response.status_code == 201
            assert len(queued) == min(n, 1)  # nothing queued before the commit
    # the first submission queued one check to run once the mark is gone; the
    # two after it found the mark
    [check] = queued
    assert check.task.module_path == tasks.check_new_demands.module_path
    assert tasks.check_new_demands.run_after is None  # the task itself unchanged
    assert check.task.run_after > started + datetime.timedelta(seconds=seconds)
    first, again, third = Demand.objects.order_by("pk")
    assert not Demand.objects.filter(duplicate_checked=True).exists()
    assert again.possible_duplicate_of is None  # nobody waited for the check
    # the worker's turn: every demand checked, each against those before it
    assert check.task.call() == 3
    assert set(Demand.objects.values_list("duplicate_checked", flat=True)) == {True}
    assert Demand.objects.get(pk=first.pk).possible_duplicate_of is None
    assert Demand.objects.get(pk=again.pk).possible_duplicate_of == first
    # the same phone: the latest open demand before it
    assert Demand.objects.get(pk=third.pk).possible_duplicate_of == again
    assert flagged_on_the_office_list(login, world) == {again.pk, third.pk}
    # once the mark is gone, the next submission queues the next check
    cache.delete(tasks.DUPLICATE_CHECK_QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        submit_test_demand(world, title="第四件事", content="第四件事")
    assert len(queued) == 2
    assert queued[1].task.module_path == tasks.check_new_demands.module_path


# committed for real: the worker closes and reopens its connection between tasks
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_checks_every_new_demand_in_batches(
    world, settings, database_tasks, monkeypatch
):
    settings.SANFU_DEMANDS = {**settings.SANFU_DEMANDS, "DUPLICATE_CHECK_SECONDS": 0}
    monkeypatch.setattr(duplicates, "BATCH", 2)
    titles = ("村口水渠堵塞", "路燈不亮", "村口水渠堵塞了", "噪音擾民", "路燈不亮！")
    demands = [
        submit_test_demand(world, submitter_phone="", title=title, content="")
        for title in titles
    ]
    assert DBTaskResult.objects.count() == 5  # no mark kept: a check each
    database_tasks()
    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [row.status for row in results] == ["SUCCESSFUL"] * 5
    # the first check found all five (three batches), the others none left
    assert [row.return_value for row in results] == [5, 0, 0, 0, 0]
    flagged = dict(Demand.objects.values_list("pk", "possible_duplicate_of"))
    assert flagged == {
        demands[0].pk: None,
        demands[1].pk: None,
        demands[2].pk: demands[0].pk,
        demands[3].pk: None,
        demands[4].pk: demands[1].pk,
    }
    assert not Demand.objects.filter(duplicate_checked=False).exists()


def test_the_sweep_makes_up_for_a_check_that_was_never_queued(world, settings):
    settings.TASKS = {
        **settings.TASKS,
        "sanfu": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": settings.SANFU_TASK_QUEUES,
        },
    }
    first = submit_test_demand(world)
    again = submit_test_demand(world, title="另一件事")  # no commit: nothing queued
    assert task_backends["sanfu"].results == []  # type: ignore[attr-defined]
    now = timezone.now()
    assert sweeps.sweep(now).duplicates_checked == 0  # filed a moment ago
    later = now + sweeps.CHECK_LEFT_AFTER + datetime.timedelta(seconds=1)
    assert sweeps.sweep(later).duplicates_checked == 2
    assert Demand.objects.get(pk=again.pk).possible_duplicate_of == first
    assert sweeps.sweep(later).duplicates_checked == 0


def test_run_at_once_the_demand_is_filed_checked(world):
    first = submit_test_demand(world)
    again = submit_test_demand(world, title="另一件事")
    assert Demand.objects.get(pk=again.pk).possible_duplicate_of == first
    assert set(Demand.objects.values_list("duplicate_checked", flat=True)) == {True}


def test_the_flag_is_audited_without_an_actor(world):
    first = submit_test_demand(world)
    again = submit_test_demand(world, title="另一件事")
    entry = ModelLogEntry.objects.get(action="sanfu.demand.flag_duplicate")
    assert entry.object_id == str(again.pk)
    assert entry.user is None
    assert entry.data["duplicate_of"] == first.tracking_no


def test_a_demand_that_repeats_none_is_left_unflagged_and_unaudited(world):
    first = submit_test_demand(world)
    other = submit_test_demand(
        world, submitter_phone="13900000000", title="路燈不亮", content="路燈壞了"
    )
    for demand in (first, other):
        result = tasks.flag_possible_duplicate.enqueue(demand.pk)
        assert result.status == TaskResultStatus.SUCCESSFUL
    assert not Demand.objects.filter(possible_duplicate_of__isnull=False).exists()
    assert not ModelLogEntry.objects.filter(action="sanfu.demand.flag_duplicate")


def test_the_task_runs_twice_without_a_second_entry(world):
    submit_test_demand(world)
    again = submit_test_demand(world, title="另一件事")
    for _ in range(2):
        result = tasks.flag_possible_duplicate.enqueue(again.pk)
        assert result.status == TaskResultStatus.SUCCESSFUL
    assert (
        ModelLogEntry.objects.filter(action="sanfu.demand.flag_duplicate").count() == 1
    )


def test_the_task_skips_a_demand_that_is_gone(world):
    result = tasks.flag_possible_duplicate.enqueue(10**9)
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_a_failing_check_does_not_cost_the_submission(world, monkeypatch):
    def broken_search(demands: list[Demand]) -> None:
        # a database error: on PostgreSQL it aborts the surrounding transaction
        # unless the check runs in a savepoint of its own
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(duplicates, "possible_duplicates", broken_search)
    demand = submit_test_demand(world)
    assert Demand.objects.filter(pk=demand.pk, tracking_no=demand.tracking_no).exists()
    assert ModelLogEntry.objects.filter(
        object_id=str(demand.pk), action="sanfu.demand.submit"
    ).exists()


def test_only_open_demands_of_the_window_before_count(world):
    earlier = [submit_test_demand(world) for _ in range(3)]  # the same phone
    again = submit_test_demand(world, title="另一件事")
    too_old, closed, recent = earlier
    before = again.submitted_at - duplicates.WINDOW
    Demand.objects.filter(pk=too_old.pk).update(
        submitted_at=before - datetime.timedelta(seconds=1)
    )
    close = {"status": DemandStatus.CLOSED, "unit": world.unit_a}
    Demand.objects.filter(pk=closed.pk).update(**close)
    Demand.objects.filter(pk=recent.pk).update(
        submitted_at=before + datetime.timedelta(seconds=1)
    )
    assert duplicates.possible_duplicates([again]) == {again.pk: recent.pk}
    # a demand is never the duplicate of a later one
    assert duplicates.possible_duplicates([recent]) == {}
    Demand.objects.filter(pk=recent.pk).update(**close)
    assert duplicates.possible_duplicates([again]) == {}


def others(world, count: int, **fields) -> list[Demand]:  # type: ignore[no-untyped-def]
    """Demands that repeat nothing: another kind, each its own phone and text."""
    return [
        submit_test_demand(
            world,
            kind=DemandKind.COMPLAINT,
            submitter_phone=f"1390000{n:04d}",
            title=f"第{n}件不同的事",
            content=f"事由{n}",
            **fields,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("repeat", ["phone", "text"])
def test_a_repeat_beyond_the_rows_a_batch_reads_is_still_found(
    world, monkeypatch, repeat
):
    # a batch of one reads the newest 2 + 1 open demands: three newer ones that
    # match nothing push the original out, and the demand's own query finds it
    monkeypatch.setattr(duplicates, "CANDIDATES", 2)
    original = submit_test_demand(world)
    others(world, 3)
    if repeat == "phone":
        again = submit_test_demand(world, title="另一件事", content="")
    else:
        again = submit_test_demand(world, submitter_phone="")
    assert duplicates.possible_duplicates([again]) == {again.pk: original.pk}


def test_a_batch_reads_the_recent_demands_once_per_campaign(
    world, django_assert_num_queries
):
    first = submit_test_demand(world, submitter_phone="")
    batch = [*others(world, 8), submit_test_demand(world, submitter_phone="")]
    duplicates._fingerprints.known.clear()  # as in a worker that just started
    # the window, then the text of the one demand before the batch (the batch's own
    # are read with it)
    with django_assert_num_queries(2):
        found = duplicates.possible_duplicates(batch)
    assert found == {batch[-1].pk: first.pk}
