"""A deed list exported, edited in Excel and imported again (issue 24): rows update
the deeds they name, new rows are created, a row someone else changed since the
export is refused, a preview comes first and the audit names every deed."""

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from conftest import World
from jobs.models import Job, JobState
from ledgers.actions.deeds import StageInput, report_deed_progress, verify_deed
from ledgers.models import DeedStatus, DeedUpdate, PracticalDeed
from ledgers.tests.conftest import export_ledger, make_deed

pytestmark = pytest.mark.django_db

PROGRESS, TARGET, KEY = 8, 6, 11  # columns of the deed list, from 1


def _at(deed: PracticalDeed, percent: int, by: Any) -> None:
    report_deed_progress(deed, percent=percent, on=datetime.date(2007, 5, 10), actor=by)


def _edit(content: bytes, edits: dict[tuple[int, int], Any], add: Any = ()) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    for (row, column), value in edits.items():
        sheet.cell(row=row, column=column, value=value)
    for row in add:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _preview(client: Any, world: World, content: bytes, capture: Any) -> Job:
    with capture(execute=True):
        response = client.post(
            reverse("ledgers_admin:import"),
            {
                "campaign": world.campaign.pk,
                "ledger": "deeds",
                "file": SimpleUploadedFile("deeds.xlsx", content, content_type=""),
            },
        )
    assert response.status_code == 302
    job = Job.objects.get(kind="ledgers_preview", pk=int(response.url.split("/")[-2]))
    assert response.url == reverse("ledgers_admin:import_job", args=[job.pk])
    return job


def _plan(client: Any, job: Job) -> dict[str, Any]:
    response = client.get(reverse("ledgers_admin:import_job", args=[job.pk]))
    assert response.status_code == 200
    return response.context["plan"]


def _confirm(client: Any, job: Job, capture: Any) -> Job:
    with capture(execute=True):
        response = client.post(reverse("ledgers_admin:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    return Job.objects.get(kind="ledgers_import", params__preview=job.pk)


def _new_row(world: World, title: str) -> list[Any]:
    return [
        9,
        world.unit_a.name,
        title,
        "限時辦",
        "群眾",
        "年內辦結",
        datetime.date(2007, 7, 1),
        0,
        None,
        "推進中",
    ]


def test_an_unchanged_export_with_a_verified_deed_is_unchanged(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    done = make_deed(world, title="修繕宿舍")
    _at(done, 100, world.liaison_a)
    verify_deed(done, actor=world.director)
    make_deed(world, title="開通熱線")
    client = login(world.liaison_a)
    job = _preview(
        client,
        world,
        export_ledger(client, world, "deeds"),
        django_capture_on_commit_callbacks,
    )
    plan = _plan(client, job)
    # before: the whole file refused, "only deeds in progress (推進中) can be imported"
    assert (plan["new_count"], plan["changed_count"], plan["unchanged"]) == (0, 0, 2)
    assert plan["errors"] == []
    assert PracticalDeed.objects.count() == 2


def test_a_changed_row_updates_its_deed_instead_of_adding_a_twin(
    world: World, login: Any, django_capture_on_commit_callbacks: Any, english: None
) -> None:
    deed = make_deed(world)
    _at(deed, 40, world.liaison_a)
    client = login(world.liaison_a)
    content = _edit(export_ledger(client, world, "deeds"), {(3, PROGRESS): 60})
    job = _preview(client, world, content, django_capture_on_commit_callbacks)
    plan = _plan(client, job)
    assert plan["changed"] == [
        {
            "row": 3,
            "title": deed.title,
            "unit": world.unit_a.name,
            "key": deed.pk,
            "changes": [
                {
                    "column": "進度(%)",
                    "before": "40",
                    "after": "60",
                    "row": 3,
                    "part": "",
                }
            ],
        }
    ]
    deed.refresh_from_db()
    assert deed.progress == 40  # the preview writes nothing
    done = _confirm(client, job, django_capture_on_commit_callbacks)
    assert done.state == JobState.DONE, done.message
    # before: a second deed at 60% beside the first at 40%
    assert list(PracticalDeed.objects.values_list("pk", "progress")) == [(deed.pk, 60)]
    assert DeedUpdate.objects.filter(deed=deed, percent=60).count() == 1


def test_the_audit_names_each_deed_created_or_changed_with_its_changes(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    deed = make_deed(world)
    client = login(world.liaison_a)
    content = _edit(
        export_ledger(client, world, "deeds"),
        {(3, TARGET): "五月底前完成修繕"},
        add=[_new_row(world, "開通諮詢熱線")],
    )
    job = _preview(client, world, content, django_capture_on_commit_callbacks)
    _confirm(client, job, django_capture_on_commit_callbacks)
    new = PracticalDeed.objects.get(title="開通諮詢熱線")
    # before: one entry on the campaign, "deeds: 1"
    changed = ModelLogEntry.objects.get(
        action="sanfu.deed.import_change", object_id=str(deed.pk)
    )
    assert changed.label == deed.title
    assert changed.data["changes"]["target"] == ["六月底前完成修繕", "五月底前完成修繕"]
    created = ModelLogEntry.objects.get(
        action="sanfu.deed.import_create", object_id=str(new.pk)
    )
    assert created.label == "開通諮詢熱線"
    assert created.data["row"] == 4


def test_a_row_changed_by_someone_else_since_the_export_is_refused(
    world: World, login: Any, django_capture_on_commit_callbacks: Any, english: None
) -> None:
    deed = make_deed(world)
    client = login(world.liaison_a)
    content = _edit(
        export_ledger(client, world, "deeds"), {(3, TARGET): "五月底前完成修繕"}
    )
    _at(deed, 30, world.head_a)  # after the export
    job = _preview(client, world, content, django_capture_on_commit_callbacks)
    plan = _plan(client, job)
    assert plan["error_count"] == 2
    name = world.head_a.full_name or world.head_a.username
    assert plan["errors"][0].startswith(f"Row 3, 目標: {name} changed this entry at ")
    assert "your file “五月底前完成修繕”" in plan["errors"][0]
    assert plan["errors"][1].startswith(f"Row 3, 進度(%): {name} changed")
    response = client.post(reverse("ledgers_admin:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    assert not Job.objects.filter(kind="ledgers_import").exists()
    deed.refresh_from_db()
    assert (deed.target, deed.progress) == ("六月底前完成修繕", 30)


def test_a_change_made_between_preview_and_confirmation_stops_the_import(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    deed = make_deed(world)
    client = login(world.liaison_a)
    content = _edit(
        export_ledger(client, world, "deeds"),
        {(3, TARGET): "五月底前完成修繕"},
        add=[_new_row(world, "開通諮詢熱線")],
    )
    job = _preview(client, world, content, django_capture_on_commit_callbacks)
    _at(deed, 30, world.head_a)
    done = _confirm(client, job, django_capture_on_commit_callbacks)
    assert done.state == JobState.FAILED
    assert "目標" in done.message
    assert PracticalDeed.objects.count() == 1  # all or nothing


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_deed(world)
    client = login(world.liaison_a)
    content = _edit(
        export_ledger(client, world, "deeds"),
        {(3, PROGRESS): 20},
        add=[_new_row(world, "新事項")],
    )
    capture = django_capture_on_commit_callbacks
    _confirm(client, _preview(client, world, content, capture), capture)
    # the newest entry so far (on PostgreSQL keys do not restart with each test)
    entries = ModelLogEntry.objects.order_by("-pk").values_list("pk", flat=True)[0]
    second = _preview(client, world, content, capture)
    plan = _plan(client, second)
    assert (plan["new_count"], plan["changed_count"], plan["unchanged"]) == (0, 0, 2)
    assert plan["errors"] == []
    response = client.get(reverse("ledgers_admin:import_job", args=[second.pk]))
    assert not response.context["can_confirm"]
    assert PracticalDeed.objects.count() == 2
    assert not ModelLogEntry.objects.filter(
        pk__gt=entries, action__startswith="sanfu.deed.import"
    ).exists()


def test_a_finished_deed_cannot_be_changed_by_import(
    world: World, login: Any, django_capture_on_commit_callbacks: Any, english: None
) -> None:
    deed = make_deed(world)
    _at(deed, 100, world.liaison_a)
    client = login(world.liaison_a)
    content = _edit(export_ledger(client, world, "deeds"), {(3, TARGET): "另一目標"})
    plan = _plan(
        client, _preview(client, world, content, django_capture_on_commit_callbacks)
    )
    assert plan["errors"] == [
        "Row 3, 狀態: only deeds in progress (推進中) can be changed by import; "
        "the office verifies the rest."
    ]
    assert PracticalDeed.objects.get().status == DeedStatus.DONE


def test_a_liaison_cannot_touch_another_units_deed_by_its_number(
    world: World, login: Any, django_capture_on_commit_callbacks: Any, english: None
) -> None:
    deed = make_deed(world)
    content = _edit(
        export_ledger(login(world.liaison_a), world, "deeds"), {(3, TARGET): "改掉"}
    )
    client = login(world.liaison_b)
    plan = _plan(
        client, _preview(client, world, content, django_capture_on_commit_callbacks)
    )
    assert plan["errors"] == [
        f"Row 3, 編號: no entry numbered {deed.pk} is in the ledgers you keep."
    ]


def test_a_liaison_cannot_add_a_deed_for_another_unit(
    world: World, login: Any, django_capture_on_commit_callbacks: Any, english: None
) -> None:
    client = login(world.liaison_b)
    content = _edit(
        export_ledger(client, world, "deeds"), {}, add=[_new_row(world, "越權")]
    )
    plan = _plan(
        client, _preview(client, world, content, django_capture_on_commit_callbacks)
    )
    assert plan["errors"] == ["Row 3, 責任單位: you do not keep this unit's ledger."]
    assert not PracticalDeed.objects.exists()


def test_the_export_carries_each_deeds_number_and_version_in_hidden_columns(
    world: World, login: Any
) -> None:
    deed = make_deed(world)
    content = export_ledger(login(world.liaison_a), world, "deeds")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in sheet[2]][KEY - 1 :] == ["編號", "版本"]
    last = ModelLogEntry.objects.for_instance(deed).latest("pk")
    assert [c.value for c in sheet[3]][KEY - 1 :] == [deed.pk, last.pk]
    assert sheet.column_dimensions["K"].hidden
    assert sheet.column_dimensions["L"].hidden


# -- who reaches the preview and the confirmation ------------------------------------


def test_another_person_cannot_see_or_confirm_a_preview(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_deed(world)
    client = login(world.liaison_a)
    content = _edit(export_ledger(client, world, "deeds"), {(3, PROGRESS): 20})
    job = _preview(client, world, content, django_capture_on_commit_callbacks)
    for person in (world.director, world.head_a, world.superuser):
        other = login(person)
        page = other.get(reverse("ledgers_admin:import_job", args=[job.pk]))
        assert page.status_code == 404
        sent = other.post(reverse("ledgers_admin:import_confirm", args=[job.pk]))
        assert sent.status_code == 404
    assert not Job.objects.filter(kind="ledgers_import").exists()


def test_the_public_reaches_neither_page(
    world: World, client: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_deed(world)
    job = _preview(
        login(world.liaison_a),
        world,
        export_ledger(login(world.liaison_a), world, "deeds"),
        django_capture_on_commit_callbacks,
    )
    client.logout()
    page = client.get(reverse("ledgers_admin:import_job", args=[job.pk]))
    assert page.status_code == 302 and "login" in page.url
    login(world.outsider)
    sent = client.post(reverse("ledgers_admin:import_confirm", args=[job.pk]))
    assert sent.status_code in (302, 403)
    assert not Job.objects.filter(kind="ledgers_import").exists()


def test_a_preview_is_confirmed_once(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_deed(world)
    client = login(world.liaison_a)
    content = _edit(export_ledger(client, world, "deeds"), {(3, PROGRESS): 20})
    job = _preview(client, world, content, django_capture_on_commit_callbacks)
    _confirm(client, job, django_capture_on_commit_callbacks)
    client.post(reverse("ledgers_admin:import_confirm", args=[job.pk]))
    assert Job.objects.filter(kind="ledgers_import").count() == 1
    assert DeedUpdate.objects.filter(percent=20).count() == 1


def test_a_job_of_another_kind_is_not_an_import_page(world: World, login: Any) -> None:
    from jobs.actions import enqueue_job

    job = enqueue_job(
        "publicity_stats",
        actor=world.liaison_a,
        params={"campaign": world.campaign.pk},
    )
    client = login(world.liaison_a)
    assert (
        client.get(reverse("ledgers_admin:import_job", args=[job.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("ledgers_admin:import_confirm", args=[job.pk])).status_code
        == 404
    )


def test_the_deed_export_reads_versions_once_per_deed_not_per_stage_row(
    world: World, login: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ledgers.models import DeedClass

    stages = [
        StageInput(f"第{n}步", datetime.date(2007, 4 + n, 1)) for n in range(1, 5)
    ]
    deed = make_deed(
        world,
        deed_class=DeedClass.STAGED,
        stages=stages,
        deadline=datetime.date(2007, 9, 30),
    )
    client = login(world.liaison_a)
    with CaptureQueriesContext(connection) as queries:
        content = export_ledger(client, world, "deeds")
    # the rows' query (the job's count of the rows for its progress aside)
    rows = [
        q["sql"]
        for q in queries
        if "ledgers_deedstage" in q["sql"] and "COUNT(*)" not in q["sql"]
    ]
    assert len(rows) == 1
    # before: the version was a subquery of the rows' query, run once per stage row
    assert "wagtailcore_modellogentry" not in rows[0]
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    last = ModelLogEntry.objects.for_instance(deed).latest("pk")
    assert [c.value for c in sheet[3]][KEY - 1 :] == [deed.pk, last.pk]
