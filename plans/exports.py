"""The office's workbooks: the division of duties and the schedule, and the unit
plans' measures."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheet import keep_sheet_text, print_ready
from plans.models import Measure, Milestone, Responsibility


def _sheet(sheet: Any, header: list[str], rows: Iterable[list[Any]]) -> None:
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    # Text typed by staff: a cell that looks like a formula stays text.
    keep_sheet_text(sheet.iter_rows(min_row=2))
    sheet.freeze_panes = "A2"
    print_ready(sheet, title=sheet.title)


def _date(day: Any) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def schedule_workbook(
    responsibilities: list[Responsibility], milestones: list[Milestone]
) -> Workbook:
    workbook = Workbook()
    duties = workbook.active
    assert duties is not None
    duties.title = _("Responsibilities")
    _sheet(
        duties,
        [
            _("No."),
            _("Work item"),
            _("Lead unit"),
            _("Cooperating units"),
            _("Main task"),
        ],
        (
            [
                number,
                row.work_item,
                row.lead_unit.name,
                "、".join(unit.name for unit in row.cooperating_units.all()),
                row.main_task.name if row.main_task else "",
            ]
            for number, row in enumerate(responsibilities, start=1)
        ),
    )
    schedule = workbook.create_sheet(_("Milestones"))
    _sheet(
        schedule,
        [_("No."), _("Milestone"), _("Phase"), _("Owner"), _("Due on"), _("Done on")],
        (
            [
                number,
                milestone.title,
                milestone.phase.name,
                _owner(milestone.owner_person, milestone.owner_unit),
                _date(milestone.due_on),
                _date(milestone.done_on),
            ]
            for number, milestone in enumerate(milestones, start=1)
        ),
    )
    return workbook


def _owner(person: Any, unit: Any) -> str:
    return " / ".join(str(part) for part in (unit, person) if part is not None)


def measures_workbook(measures: list[Measure]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Measures")
    _sheet(
        sheet,
        [
            _("No."),
            _("Measure"),
            _("Unit"),
            _("Main task"),
            _("Owner"),
            _("Deadline"),
            _("Plan status"),
        ],
        (
            [
                number,
                measure.content,
                measure.plan.unit.name,
                measure.main_task.name,
                measure.owner,
                _date(measure.deadline),
                measure.plan.get_status_display(),
            ]
            for number, measure in enumerate(measures, start=1)
        ),
    )
    return workbook
