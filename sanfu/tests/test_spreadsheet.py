"""Text typed by people stays text in every spreadsheet the project writes: a value
that starts like a formula (=, +, -, @, a tab, a carriage return, or the full-width
＝＋－＠) is neither run on opening a CSV file nor turned into a formula on editing
an .xlsx cell (OWASP's CSV injection guidance)."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.spreadsheet import csv_text, keep_sheet_text, keep_text
from demands import actions
from demands.tests.factories import submit_test_demand

STARTERS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]
PAYLOAD = 'cmd|" /C calc"!A0'


@pytest.mark.parametrize("starter", STARTERS)
def test_a_csv_cell_that_starts_like_a_formula_gets_an_apostrophe(
    starter: str,
) -> None:
    assert csv_text(starter + PAYLOAD) == "'" + starter + PAYLOAD


@pytest.mark.parametrize("value", ["水渠堵塞", "2026-12-06", "a=b", " 12", "'=1"])
def test_ordinary_text_is_left_as_it_is(value: str) -> None:
    assert csv_text(value) == value
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([value])
    keep_text(sheet["A1"])
    assert not sheet["A1"].quotePrefix


@pytest.mark.parametrize("starter", STARTERS)
def test_an_xlsx_cell_that_starts_like_a_formula_stays_text_when_edited(
    starter: str,
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([starter + PAYLOAD, 3])
    keep_sheet_text(sheet.iter_rows())
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell = load_workbook(buffer).active["A1"]  # type: ignore[index]
    assert cell.value == starter + PAYLOAD
    assert cell.data_type == "s"
    assert cell.quotePrefix


@pytest.mark.django_db
@pytest.mark.parametrize("starter", STARTERS)
def test_a_unit_name_that_starts_like_a_formula_stays_text_in_the_figures(
    login, world, starter: str
) -> None:  # type: ignore[no-untyped-def]
    name = starter + "HYPERLINK(1)"
    type(world.unit_a).objects.filter(pk=world.unit_a.pk).update(name=name)
    demand = submit_test_demand(world, title="路燈不亮")
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    response = login(world.director).get(
        reverse("demands_metrics:export"), {"campaign": world.campaign.pk}
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = next(row[0] for row in sheet.iter_rows(min_row=2) if row[0].value == name)
    assert cell.data_type == "s"
    assert cell.quotePrefix


@pytest.mark.django_db
@pytest.mark.parametrize("starter", STARTERS)
def test_a_user_name_that_starts_like_a_formula_is_quoted_in_the_audit_csv(
    login, world, starter: str
) -> None:  # type: ignore[no-untyped-def]
    demand = submit_test_demand(world, title="路燈不亮")
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    actions.accept_demand(demand, actor=world.liaison_a)
    get_user_model().objects.filter(pk=world.liaison_a.pk).update(
        username=starter + "SUM(1)"
    )
    response = login(world.director).get(
        reverse("audit_search"), {"action": "sanfu.demand.accept", "export": "csv"}
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][1] == "'" + starter + "SUM(1)"
