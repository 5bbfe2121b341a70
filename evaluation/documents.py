"""The evaluation's documents: the ranking workbook (.xlsx) and the monthly circular
(通報) of the automatic indicators' points and rates per unit (.docx)."""

import calendar
import datetime
import io
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from openpyxl import Workbook

from evaluation import scoring, sources
from evaluation.models import IndicatorSet, Source
from sanfu.lib.spreadsheet import keep_sheet_text, print_ready

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _as_text(sheet: Any) -> None:
    # Names are typed by staff: one that looks like a formula stays text.
    keep_sheet_text(sheet.iter_rows())


def ranking_workbook(result: scoring.Result) -> Workbook:
    """One row per unit: rank, name, total, the three parts, then each leaf's
    points; a second sheet describes the indicators."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Ranking")
    sheet.append(
        [
            _("Rank"),
            _("Unit"),
            _("Total"),
            _("Inspection"),
            _("Automatic"),
            _("Survey"),
            *[leaf.name for leaf in result.leaves],
            _("Partial"),
        ]
    )
    for row in result.rows:
        sheet.append(
            [
                row.rank,
                row.unit_name,
                row.total,
                row.parts[Source.MANUAL],
                row.parts[Source.AUTOMATIC],
                row.parts[Source.SURVEY],
                *[row.points[leaf.pk] for leaf in result.leaves],
                "※" if row.partial else "",
            ]
        )
    indicators = workbook.create_sheet(_("Indicators"))
    indicators.append(
        [_("Indicator"), _("Weight"), _("Maximum score"), _("Source"), _("Guidance")]
    )
    for leaf in result.leaves:
        indicators.append(
            [
                leaf.name,
                leaf.weight,
                leaf.max_score,
                str(leaf.get_source_display()),
                leaf.guidance,
            ]
        )
    name = result.indicator_set.name
    for each in (sheet, indicators):
        _as_text(each)
        print_ready(each, title=f"{name} · {each.title}")
    sheet.freeze_panes = "C2"
    return workbook


def xlsx_response(workbook: Workbook, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def docx_response(document: Any, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    document.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def _figure(value: sources.Value | None, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "rate" and not isinstance(value, dict):
        return f"{value:.1%}"
    if isinstance(value, dict):
        return "，".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def monthly_circular(indicator_set: IndicatorSet, month: datetime.date) -> Any:
    """The circular of one month: for each automatic indicator, a table of every
    unit's figure and points."""
    start, end = month_bounds(month)
    result = scoring.compute(indicator_set, start=start, end=end)
    campaign = indicator_set.campaign
    document = Document()
    document.add_heading(
        _("%(campaign)s: circular of %(month)s")
        % {"campaign": campaign.name, "month": f"{start:%Y-%m}"},
        level=0,
    )
    document.add_paragraph(
        _("Period: %(start)s to %(end)s. Issued on %(today)s.")
        % {"start": start, "end": end, "today": timezone.localdate()}
    )
    automatic = [leaf for leaf in result.leaves if leaf.source == Source.AUTOMATIC]
    names = {row.unit_id: row.unit_name for row in result.rows}
    for leaf in automatic:
        document.add_heading(leaf.name, level=1)
        source = sources.REGISTRY[leaf.source_name]
        figures = sources.compute(leaf.source_name, campaign, start, end)
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        header = table.rows[0].cells
        header[0].text = _("Unit")
        header[1].text = _("Figure")
        header[2].text = _("Points (of %(max)s)") % {"max": leaf.max_score}
        for row in result.rows:
            cells = table.add_row().cells
            cells[0].text = names[row.unit_id]
            cells[1].text = _figure(figures.get(row.unit_id), source.kind)
            points = row.points[leaf.pk]
            cells[2].text = "—" if points is None else str(points)
    if not automatic:
        document.add_paragraph(_("The set has no automatic indicators."))
    document.add_heading(_("Total of the month"), level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = _("Rank")
    table.rows[0].cells[1].text = _("Unit")
    table.rows[0].cells[2].text = _("Total")
    for row in result.rows:
        cells = table.add_row().cells
        cells[0].text = row.shown_rank
        cells[1].text = row.unit_name
        cells[2].text = row.shown_total
    return document
