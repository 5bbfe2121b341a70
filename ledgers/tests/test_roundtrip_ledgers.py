"""The problem ledger and the research visits ledger as round trips, as the deed list
(issue 24): every exported row carries its key; a changed row updates what it names
instead of adding a twin, a row without a key is created, a row someone else
changed since the export is refused naming the row, column and person, and the
same file imported twice changes nothing the second time."""

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from audit.actions import record
from conftest import World
from jobs.models import Job, JobState
from ledgers.actions.problems import report_progress
from ledgers.actions.research import raise_problem_from_finding, record_visit
from ledgers.models import (
    Finding,
    Problem,
    ProgressUpdate,
    RectificationMeasure,
    ResearchVisit,
    Severity,
)
from ledgers.tests.conftest import export_ledger, make_measure, make_problem
from ledgers.tests.test_roundtrip import _edit

pytestmark = pytest.mark.django_db

# columns, from 1
P_DESCRIPTION, P_PROGRESS, P_KEY, P_MEASURE = 6, 11, 13, 15
V_PLACE, V_FINDING, V_KEY, V_FINDING_KEY = 4, 7, 8, 10


def _preview(
    client: Any, world: World, ledger: str, content: bytes, capture: Any
) -> Job:
    with capture(execute=True):
        response = client.post(
            reverse("ledgers_admin:import"),
            {
                "campaign": world.campaign.pk,
                "ledger": ledger,
                "file": SimpleUploadedFile(f"{ledger}.xlsx", content, content_type=""),
            },
        )
    # before, for visits: no import at all (404); for problems: stored at once
    assert response.status_code == 302
    return Job.objects.get(kind="ledgers_preview", pk=int(response.url.split("/")[-2]))


def _plan(client: Any, job: Job) -> dict[str, Any]:
    response = client.get(reverse("ledgers_admin:import_job", args=[job.pk]))
    assert response.status_code == 200
    assert response.context["plan"] is not None, job.message
    return response.context["plan"]


def _confirm(client: Any, job: Job, capture: Any) -> Job:
    with capture(execute=True):
        client.post(reverse("ledgers_admin:import_confirm", args=[job.pk]))
    done = Job.objects.get(kind="ledgers_import", params__preview=job.pk)
    assert done.state == JobState.DONE, done.message
    return done


def _counts(plan: dict[str, Any]) -> tuple[int, int, int, int]:
    return (
        plan["new_count"],
        plan["changed_count"],
        plan["unchanged"],
        plan["error_count"],
    )


def _rows(content: bytes, column: int) -> dict[Any, int]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return {
        sheet.cell(row=r, column=column).value: r for r in range(3, sheet.max_row + 1)
    }


def _new_problem(world: World) -> list[Any]:
    return [
        9,
        world.unit_a.name,
        "自查",
        "",
        "一般",
        "辦事指南不清楚",
        "重印辦事指南",
        world.staff_a.username,
        world.head_a.username,
        datetime.date(2007, 7, 1),
        0,
        "整改中",
    ]


# -- problems ------------------------------------------------------------------------


def test_a_problem_ledger_round_trip_updates_creates_and_repeats_as_nothing(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    first = make_problem(world, description="窗口服務時間過短")
    measure = make_measure(world, first)
    report_progress(measure, percent=40, actor=world.staff_a)
    second = make_problem(world, description="群眾排隊時間長")
    make_measure(world, second)
    client = login(world.liaison_a)
    content = export_ledger(client, world, "problems")
    rows = _rows(content, P_MEASURE)
    content = _edit(
        content,
        {
            (rows[measure.pk], P_PROGRESS): 60,
            (rows[second.measures.get().pk], P_DESCRIPTION): "群眾排隊時間過長",
        },
        add=[_new_problem(world)],
    )
    job = _preview(client, world, "problems", content, capture)
    plan = _plan(client, job)
    assert _counts(plan) == (1, 2, 0, 0), plan["errors"]
    changes = {c["column"]: c for row in plan["changed"] for c in row["changes"]}
    assert changes["整改進度(%)"]["before"] == "40"
    assert changes["整改進度(%)"]["after"] == "60"
    assert changes["整改進度(%)"]["part"] == str(measure.pk)
    assert changes["問題描述"]["after"] == "群眾排隊時間過長"
    assert Problem.objects.count() == 2  # the preview writes nothing
    _confirm(client, job, capture)
    # before: every row stored again as a new problem beside the old ones
    assert Problem.objects.count() == 3
    measure.refresh_from_db()
    assert measure.progress == 60
    assert ProgressUpdate.objects.filter(measure=measure, percent=60).exists()
    second.refresh_from_db()
    assert second.description == "群眾排隊時間過長"
    created = Problem.objects.get(description="辦事指南不清楚")
    assert created.measures.get().owner == world.staff_a
    entries = ModelLogEntry.objects.filter(action="sanfu.problem.import_change")
    assert sorted(int(e.object_id) for e in entries) == sorted([first.pk, second.pk])
    mine = entries.get(object_id=str(first.pk))
    assert mine.data["changes"][f"整改進度(%) #{measure.pk}"] == ["40", "60"]
    assert mine.user == world.liaison_a
    assert (
        ModelLogEntry.objects.get(
            action="sanfu.problem.import_create", object_id=str(created.pk)
        ).data["row"]
        == 5
    )

    last = ModelLogEntry.objects.order_by("-pk").values_list("pk", flat=True)[0]
    again = _plan(client, _preview(client, world, "problems", content, capture))
    assert _counts(again) == (0, 0, 3, 0), again["errors"]
    assert Problem.objects.count() == 3
    assert not ModelLogEntry.objects.filter(
        pk__gt=last, action__startswith="sanfu.problem.import"
    ).exists()


def test_an_unchanged_problem_ledger_with_a_closed_problem_imports_as_unchanged(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_measure(world, make_problem(world))
    shut = make_problem(world, description="已在回頭看的問題")
    Problem.objects.filter(pk=shut.pk).update(status="recheck")
    client = login(world.liaison_a)
    content = export_ledger(client, world, "problems")
    plan = _plan(
        client,
        _preview(
            client, world, "problems", content, django_capture_on_commit_callbacks
        ),
    )
    # before: "only problems being rectified (整改中) can be imported"
    assert _counts(plan) == (0, 0, 2, 0), plan["errors"]


def test_a_problem_changed_since_the_export_is_refused_naming_who(
    world: World, login: Any, django_capture_on_commit_callbacks: Any, english: None
) -> None:
    problem = make_problem(world)
    measure = make_measure(world, problem)
    client = login(world.liaison_a)
    content = _edit(
        export_ledger(client, world, "problems"), {(3, P_DESCRIPTION): "改寫"}
    )
    report_progress(measure, percent=30, actor=world.staff_a)  # meanwhile
    plan = _plan(
        client,
        _preview(
            client, world, "problems", content, django_capture_on_commit_callbacks
        ),
    )
    name = world.staff_a.full_name or world.staff_a.username
    assert plan["errors"][0].startswith(
        f"Row 3, 問題描述: {name} changed this entry at"
    )
    assert "your file “改寫”" in plan["errors"][0]
    assert f"Row 3, 整改進度(%): {name} changed" in plan["errors"][1]
    problem.refresh_from_db()
    assert problem.description == "窗口服務時間過短"


def test_a_problems_unit_and_closed_state_are_not_changed_by_import(
    world: World, login: Any, django_capture_on_commit_callbacks: Any, english: None
) -> None:
    problem = make_problem(world, severity=Severity.GENERAL)
    Problem.objects.filter(pk=problem.pk).update(status="applied")
    client = login(world.liaison_a)
    content = _edit(export_ledger(client, world, "problems"), {(3, 5): "嚴重"})
    plan = _plan(
        client,
        _preview(
            client, world, "problems", content, django_capture_on_commit_callbacks
        ),
    )
    assert plan["errors"] == [
        "Row 3, 狀態: only problems being rectified (整改中) can be changed by "
        "import; closing one needs the office's verification."
    ]


def test_the_problem_export_carries_its_keys_in_hidden_columns(
    world: World, login: Any
) -> None:
    problem = make_problem(world)
    measure = make_measure(world, problem)
    content = export_ledger(login(world.liaison_a), world, "problems")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in sheet[2]][P_KEY - 1 :] == ["編號", "版本", "措施編號"]
    last = ModelLogEntry.objects.for_instance(problem).latest("pk")
    assert [c.value for c in sheet[3]][P_KEY - 1 :] == [problem.pk, last.pk, measure.pk]
    assert all(sheet.column_dimensions[c].hidden for c in "MNO")


# -- research visits -----------------------------------------------------------------


def _visit(world: World) -> ResearchVisit:
    return record_visit(
        world.campaign,
        world.unit_a,
        visited_on=datetime.date(2007, 4, 20),
        place="東山水文站",
        participants="張三、李四",
        topic="基層站所生活條件",
        findings=["宿舍漏雨", "飲水不安全"],
        actor=world.liaison_a,
    )


def test_a_visits_ledger_round_trip_updates_creates_and_repeats_as_nothing(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    visit = _visit(world)
    water = visit.findings.get(text="飲水不安全")
    client = login(world.liaison_a)
    content = export_ledger(client, world, "visits")
    rows = _rows(content, V_FINDING_KEY)
    content = _edit(
        content,
        {(rows[water.pk], V_FINDING): "飲用水未經消毒"},
        add=[
            [
                2,
                world.unit_a.name,
                datetime.date(2007, 5, 8),
                "西江堤防所",
                "王五",
                "防汛物資",
                "沙袋不足",
            ]
        ],
    )
    job = _preview(client, world, "visits", content, capture)
    plan = _plan(client, job)
    assert _counts(plan) == (1, 1, 0, 0), plan["errors"]
    assert plan["changed"][0]["changes"] == [
        {
            "column": "發現問題",
            "before": "飲水不安全",
            "after": "飲用水未經消毒",
            "row": rows[water.pk],
            "part": str(water.pk),
        }
    ]
    _confirm(client, job, capture)
    assert ResearchVisit.objects.count() == 2
    water.refresh_from_db()
    assert water.text == "飲用水未經消毒"
    new = ResearchVisit.objects.get(topic="防汛物資")
    assert list(new.findings.values_list("text", flat=True)) == ["沙袋不足"]
    assert ModelLogEntry.objects.filter(
        action="sanfu.research_visit.import_change", object_id=str(visit.pk)
    ).exists()
    assert ModelLogEntry.objects.filter(
        action="sanfu.research_visit.import_create", object_id=str(new.pk)
    ).exists()

    again = _plan(client, _preview(client, world, "visits", content, capture))
    assert _counts(again) == (0, 0, 2, 0), again["errors"]
    assert Finding.objects.count() == 3


def test_a_finding_taken_up_as_a_problem_keeps_its_text(
    world: World, login: Any, django_capture_on_commit_callbacks: Any, english: None
) -> None:
    visit = _visit(world)
    leak = visit.findings.get(text="宿舍漏雨")
    raise_problem_from_finding(leak, severity=Severity.GENERAL, actor=world.liaison_a)
    client = login(world.liaison_a)
    content = export_ledger(client, world, "visits")
    rows = _rows(content, V_FINDING_KEY)
    content = _edit(content, {(rows[leak.pk], V_FINDING): "另寫"})
    plan = _plan(
        client,
        _preview(client, world, "visits", content, django_capture_on_commit_callbacks),
    )
    assert plan["errors"] == [
        f"Row {rows[leak.pk]}, 發現問題: the finding has been taken up as a problem "
        "or a demand."
    ]


def test_a_visit_changed_since_the_export_is_refused(
    world: World, login: Any, django_capture_on_commit_callbacks: Any, english: None
) -> None:
    visit = _visit(world)
    client = login(world.liaison_a)
    # a visit's own values stand on each of its rows (one a finding)
    content = _edit(
        export_ledger(client, world, "visits"),
        {(3, V_PLACE): "北江站", (4, V_PLACE): "北江站"},
    )
    ResearchVisit.objects.filter(pk=visit.pk).update(place="南江站")
    record(visit, "sanfu.research_visit.record", actor=world.head_a)
    plan = _plan(
        client,
        _preview(client, world, "visits", content, django_capture_on_commit_callbacks),
    )
    name = world.head_a.full_name or world.head_a.username
    assert plan["errors"][0].startswith(f"Row 3, 調研地點: {name} changed this entry")
    assert RectificationMeasure.objects.count() == 0
