import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.tests.factories import MainTaskFactory
from conftest import World
from ledgers import excel
from ledgers.actions.deeds import StageInput
from ledgers.actions.problems import create_problem, report_progress
from ledgers.models import DeedClass, PracticalDeed, Problem
from ledgers.tests.conftest import export_ledger, make_deed, make_measure, make_problem

pytestmark = pytest.mark.django_db


def _problem_rows(problems: Any) -> list[tuple]:
    return [
        (
            p.unit_id,
            p.source,
            p.main_task_id,
            p.severity,
            p.description,
            [
                (m.description, m.owner_id, m.reviewer_id, m.deadline, m.progress)
                for m in p.measures.order_by("pk")
            ],
        )
        for p in problems.order_by("pk")
    ]


def _import(client: Any, world: World, ledger: str, content: bytes, name: str) -> Any:
    return client.post(
        reverse("ledgers_admin:import"),
        {
            "campaign": world.campaign.pk,
            "ledger": ledger,
            "file": SimpleUploadedFile(name, content, content_type=""),
        },
    )


def _import_confirmed(
    client: Any, world: World, ledger: str, content: bytes, capture: Any
) -> None:
    with capture(execute=True):
        response = _import(client, world, ledger, content, "台賬.xlsx")
        assert response.status_code == 302
    job = response.url.split("/")[-2]
    with capture(execute=True):
        client.post(reverse("ledgers_admin:import_confirm", args=[job]))


def _preview_errors(client: Any, world: World, content: bytes, capture: Any) -> Any:
    with capture(execute=True):
        response = _import(client, world, "problems", content, "a.xlsx")
    assert response.status_code == 302
    return client.get(response.url).context["plan"]["errors"]


def test_an_exported_problem_ledger_reimports_to_the_same_rows(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    task = MainTaskFactory.create(campaign=world.campaign, name="服務基層")
    first = make_problem(world, main_task=task, description="=SUM(A1) 像公式的文字")
    make_measure(world, first)
    report_progress(first.measures.get(), percent=40, actor=world.staff_a)
    make_measure(world, first)
    make_problem(world, description="沒有措施的問題", severity="critical")
    client = login(world.liaison_a)
    content = export_ledger(client, world, "problems")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert sheet["A2"].value == "序號"
    assert "A1:O1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["J3"].number_format == excel.CHINESE_DATE
    assert sheet["F3"].value.startswith("=SUM") and sheet["F3"].data_type == "s"
    before = _problem_rows(Problem.objects.all())
    Problem.objects.all().delete()
    book = load_workbook(io.BytesIO(content))
    for row in book.worksheets[0].iter_rows(min_row=excel.FIRST_ROW, min_col=13):
        for cell in row:  # their numbers cleared: new rows, as in the template
            cell.value = None
    out = io.BytesIO()
    book.save(out)
    _import_confirmed(client, world, "problems", out.getvalue(), capture)
    assert _problem_rows(Problem.objects.all()) == before
    imported = Problem.objects.order_by("pk").first()
    assert imported is not None
    assert imported.measures.order_by("pk").first().updates.get().percent == 40  # type: ignore[union-attr]


def test_an_exported_deed_list_reimports_to_the_same_rows(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_deed(world)
    make_deed(
        world,
        deed_class=DeedClass.STAGED,
        stages=[
            StageInput("摸底", datetime.date(2007, 4, 30)),
            StageInput("施工", datetime.date(2007, 6, 20)),
        ],
    )

    def rows() -> list[tuple]:
        return [
            (
                d.unit_id,
                d.title,
                d.deed_class,
                d.beneficiaries,
                d.target,
                d.deadline,
                d.progress,
                [(s.sequence, s.name, s.due_on) for s in d.stages.all()],
            )
            for d in PracticalDeed.objects.order_by("pk")
        ]

    before = rows()
    client = login(world.liaison_a)
    book = load_workbook(io.BytesIO(export_ledger(client, world, "deeds")))
    for row in book.worksheets[0].iter_rows(min_row=excel.FIRST_ROW, min_col=11):
        for cell in row:  # their numbers cleared: new rows, as in the template
            cell.value = None
    out = io.BytesIO()
    book.save(out)
    PracticalDeed.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = _import(client, world, "deeds", out.getvalue(), "deeds.xlsx")
        assert response.status_code == 302
    job = response.url.split("/")[-2]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledgers_admin:import_confirm", args=[job]))
    assert rows() == before


def _workbook(rows: list[list[Any]], columns: Any = excel.PROBLEM_COLUMNS) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["台賬"])
    sheet.append([c.title for c in columns])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _good(world: World, number: int) -> list[Any]:
    return [
        number,
        world.unit_a.name,
        "自查",
        "",
        "一般",
        f"問題{number}",
        "措施",
        f"張三（{world.staff_a.username}）",
        world.head_a.username,
        datetime.date(2007, 6, 1),
        0,
        "整改中",
    ]


def test_one_bad_row_stores_nothing_and_is_named(
    world: World, login: Any, english: None, django_capture_on_commit_callbacks: Any
) -> None:
    bad = _good(world, 3)
    bad[9] = "2008年1月5日"
    no_owner = _good(world, 4)
    no_owner[7] = None
    content = _workbook([_good(world, 1), _good(world, 2), bad, no_owner])
    errors = _preview_errors(
        login(world.liaison_a), world, content, django_capture_on_commit_callbacks
    )
    assert len(errors) == 2
    assert errors[0].startswith("Row 5, 整改時限: 2008-01-05 is outside")
    assert errors[1] == "Row 6, 責任人: a measure needs a responsible person."
    assert not Problem.objects.exists()


def test_the_reader_names_the_row_and_the_column(world: World) -> None:
    bad = _good(world, 2)
    bad[10] = 140
    content = _workbook([_good(world, 1), bad])
    with pytest.raises(excel.ImportRefused) as refused:
        excel.read_problems(world.campaign, io.BytesIO(content), "a.xlsx")
    assert refused.value.errors == [
        "Row 4, 整改進度(%): must be a whole number from 0 to 100."
    ]


def test_a_file_that_is_not_xlsx_is_refused_naming_the_columns(
    world: World,
) -> None:
    with pytest.raises(excel.ImportRefused) as refused:
        excel.read_problems(world.campaign, io.BytesIO(b"a,b,c\n"), "ledger.csv")
    assert "not an Excel workbook (.xlsx)" in refused.value.errors[0]
    assert "序號、責任單位、問題來源" in refused.value.errors[0]


def test_a_workbook_with_the_wrong_columns_is_refused(world: World) -> None:
    content = _workbook([[1, "x"]], columns=excel.DEED_COLUMNS)
    with pytest.raises(excel.ImportRefused) as refused:
        excel.read_problems(world.campaign, io.BytesIO(content), "a.xlsx")
    message = refused.value.errors[0]
    assert message.startswith("Row 2 must hold the columns 序號、責任單位、問題來源")
    assert "事項名稱" in message


def test_a_unit_cannot_import_rows_of_another_unit(
    world: World, login: Any, english: None, django_capture_on_commit_callbacks: Any
) -> None:
    content = _workbook([_good(world, 1)])
    errors = _preview_errors(
        login(world.liaison_b), world, content, django_capture_on_commit_callbacks
    )
    assert errors == ["Row 3, 責任單位: you do not keep this unit's ledger."]
    assert not Problem.objects.exists()


def test_the_import_template_has_the_layout(world: World, login: Any) -> None:
    response = login(world.liaison_a).get(
        reverse("ledgers_admin:template", args=["deeds"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == [c.title for c in excel.DEED_COLUMNS]


def test_export_is_scoped_to_the_persons_rows(world: World, login: Any) -> None:
    make_problem(world)
    problem_b = create_problem(
        world.campaign,
        world.unit_b,
        source="self_inspection",
        description="乙處的問題",
        severity="general",
        actor=world.liaison_b,
    )
    content = export_ledger(login(world.liaison_a), world, "problems")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    descriptions = [row[5] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert problem_b.description not in descriptions
    assert len(descriptions) == 1


def test_a_problem_under_re_check_is_exported_with_its_status(
    world: World, login: Any
) -> None:
    problem = make_problem(world)
    Problem.objects.filter(pk=problem.pk).update(status="recheck")
    content = export_ledger(login(world.liaison_a), world, "problems")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert "回頭看" in [cell.value for row in sheet.iter_rows() for cell in row]


def test_the_ledger_list_exports_only_through_a_job(world: World, login: Any) -> None:
    """A 50,000-row ledger takes seconds to write: never in the request."""
    client = login(world.liaison_a)
    page = client.get(reverse("ledgers_admin:deeds")).content.decode()
    start = reverse("jobs_start", args=["ledgers_export"])
    assert f'action="{start}?ledger=deeds' in page
    assert "/admin/ledgers/export/" not in page
    gone = client.get("/admin/ledgers/export/deeds.xlsx", follow=True)
    assert gone.status_code == 404
