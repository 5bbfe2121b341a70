"""Every workbook the project writes prints as an office files it: A4 landscape, one
page wide, the header row on every page, borders round the table, the title on page
one, page numbers, and columns wide enough for Chinese names (issues 24 and 25: the
problems ledger printed as 4 portrait pages for 2 rows, its title split across
pages and its names clipped; no export had any page setup)."""

import datetime
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from conftest import World
from core.spreadsheet import display_width, print_ready
from demands import actions
from demands.tests.factories import submit_test_demand
from evaluation import documents
from ledgers import exports as ledger_exports
from ledgers.tests.conftest import make_deed, make_measure, make_problem
from org.models import Person
from plans import exports as plan_exports
from publicity import metrics as publicity_metrics

pytestmark = pytest.mark.django_db

LONG_NAME = "歐陽建國"  # with the account, wider than the column's default 16


def _sheets(content: bytes) -> list[Any]:
    return load_workbook(io.BytesIO(content)).worksheets


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def assert_print_ready(sheet: Any, *, header_row: int) -> None:
    setup = sheet.page_setup
    assert int(setup.paperSize) == 9  # A4
    assert setup.orientation == "landscape"
    assert int(setup.fitToWidth) == 1
    assert int(setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.oddFooter.center.text == "&P / &N"
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            assert cell.border.left.style == "thin", cell.coordinate
            assert cell.border.bottom.style == "thin", cell.coordinate
    for (cell,) in zip(sheet[header_row], strict=False):
        assert cell.font.bold
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            width = sheet.column_dimensions[cell.column_letter].width
            shown = display_width(cell.value)
            # a value shows whole, or it wraps inside its column
            assert width >= shown + 1 or cell.alignment.wrap_text, (
                cell.coordinate,
                cell.value,
                width,
            )


def test_a_chinese_character_counts_two_widths() -> None:
    assert display_width("規劃計劃處") == 10
    assert display_width("王建國（wang）") == 14
    assert display_width("abc\n測試測試") == 8
    assert display_width(datetime.date(2007, 5, 1)) == 12
    assert display_width(None) == 0


@pytest.fixture
def ledgers(world: World) -> World:
    owner = world.staff_a
    Person.objects.filter(pk=owner.pk).update(full_name=LONG_NAME)
    problem = make_problem(world)
    make_measure(world, problem)
    make_measure(world, problem)
    make_deed(world)
    return world


@pytest.mark.parametrize("ledger", ["problems", "deeds", "visits"])
def test_each_ledger_prints_on_a4_landscape_one_page_wide(
    ledgers: World, ledger: str
) -> None:
    _name, content = ledger_exports.build_export(
        ledgers.clerk, ledger, ledgers.campaign
    )
    sheet = _sheets(content)[0]
    assert_print_ready(sheet, header_row=2)
    # the title merged over the table's width in row 1, on page one
    width = sheet.max_column
    assert [str(merged) for merged in sheet.merged_cells.ranges] == [
        f"A1:{get_column_letter(width)}1"
    ]
    assert sheet["A1"].font.bold and sheet["A1"].font.size >= 14
    assert sheet.freeze_panes == "A3"


def test_the_problem_ledger_shows_the_owners_chinese_name_whole(
    ledgers: World,
) -> None:
    _name, content = ledger_exports.build_export(
        ledgers.clerk, "problems", ledgers.campaign
    )
    sheet = _sheets(content)[0]
    column = sheet.iter_rows(min_row=3, min_col=8, max_col=8)
    owners = [cell.value for (cell,) in column]
    assert owners == [f"{LONG_NAME}（{ledgers.staff_a.username}）"] * 2
    # before: a fixed width of 16 for 歐陽建國（staff-a…）, which needs more
    assert sheet.column_dimensions["H"].width >= display_width(owners[0]) + 1
    assert [cell.value for cell in sheet[3]][:2] == [1, ledgers.unit_a.name]
    assert sheet["J3"].number_format == 'yyyy"年"m"月"d"日"'


def test_the_ledger_template_is_print_ready_too(world: World) -> None:
    from ledgers import excel

    assert_print_ready(_sheets(excel.template_workbook("deeds"))[0], header_row=2)


def test_the_demand_figures_export_is_print_ready(login: Any, world: World) -> None:
    demand = submit_test_demand(world, title="路燈不亮")
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    response = login(world.director).get(
        reverse("demands_metrics:export"), {"campaign": world.campaign.pk}
    )
    sheets = _sheets(response.content)
    assert len(sheets) == 3
    for sheet in sheets:
        assert_print_ready(sheet, header_row=1)
        # no title row of its own: the title heads each printed page
        assert world.campaign.name in sheet.oddHeader.center.text


def test_the_audit_export_is_print_ready(login: Any, world: World) -> None:
    demand = submit_test_demand(world, title="路燈不亮")
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    response = login(world.director).get(reverse("audit_search"), {"export": "xlsx"})
    sheet = _sheets(response.content)[0]
    assert sheet.max_row >= 2
    assert_print_ready(sheet, header_row=1)


def test_the_ranking_export_is_print_ready() -> None:
    result = SimpleNamespace(
        indicator_set=SimpleNamespace(name="考核指標"),
        leaves=[],
        rows=[
            SimpleNamespace(
                rank=1,
                unit_name="規劃計劃處",
                total=90.5,
                parts={"manual": 1, "automatic": 2, "survey": 3},
                points={},
                partial=False,
            )
        ],
    )
    book = documents.ranking_workbook(result)  # type: ignore[arg-type]
    for sheet in _sheets(_saved(book)):
        assert_print_ready(sheet, header_row=1)
        assert "考核指標" in sheet.oddHeader.center.text


def test_the_column_statistics_export_is_print_ready(world: World) -> None:
    sheet = _sheets(_saved(publicity_metrics.workbook(world.campaign)))[0]
    assert_print_ready(sheet, header_row=1)


def test_the_schedule_and_measures_exports_are_print_ready() -> None:
    for book in (
        plan_exports.schedule_workbook([], []),
        plan_exports.measures_workbook([]),
    ):
        for sheet in _sheets(_saved(book)):
            assert_print_ready(sheet, header_row=1)


def test_print_ready_sizes_columns_and_wraps_long_text() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["單位", "說明"])
    sheet.append(["規劃計劃處", "很長的說明" * 20])
    print_ready(sheet, title="標題")
    assert sheet.column_dimensions["A"].width == 12  # 規劃計劃處: 10, and a margin
    assert sheet.column_dimensions["B"].width == 30  # the widest; the text wraps
    assert sheet["B2"].alignment.wrap_text
    # 200 widths in a column of 30: seven lines, so the row is made that high
    # (LibreOffice would keep it one line high and cut the text off in print)
    assert sheet.row_dimensions[2].height == 7 * 16
    assert sheet.row_dimensions[1].height is None
    assert sheet.oddHeader.center.text == "標題"


def test_a_long_ledger_row_is_made_high_enough_to_show_its_text(
    world: World,
) -> None:
    problem = make_problem(world, description="窗口服務時間過短，" * 10)
    make_measure(world, problem)
    _name, content = ledger_exports.build_export(
        world.clerk, "problems", world.campaign
    )
    sheet = _sheets(content)[0]
    width = sheet.column_dimensions["F"].width
    lines = -(-display_width(sheet["F3"].value) // (int(width) - 1))
    assert lines > 1
    assert sheet.row_dimensions[3].height >= lines * 16
