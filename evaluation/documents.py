"""The evaluation's documents: the ranking workbook (.xlsx) and the monthly circular
(通报) of the automatic indicators' points and rates per unit (.docx)."""

import calendar
import datetime
import io
from typing import Any

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheet import keep_sheet_text, print_ready
from evaluation import scoring, sources
from evaluation.models import IndicatorSet, Source
from text.documents import document_script
from text.documents.word import OfficialDocx
from text.script import Script

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


def monthly_circular(
    indicator_set: IndicatorSet,
    month: datetime.date,
    *,
    script: Script | None = None,
) -> OfficialDocx:
    """The circular (通报) of one month: for each automatic indicator, a table of
    every unit's figure and points, then the month's totals; in ``script``
    (default: the active language's)."""
    start, end = month_bounds(month)
    result = scoring.compute(indicator_set, start=start, end=end)
    campaign = indicator_set.campaign
    office = campaign.issuing_office
    document = OfficialDocx(script or document_script())
    document.office_head(office)
    document.title(
        _("Circular on the %(campaign)s evaluation of %(month)s")
        % {
            "campaign": campaign.name,
            "month": formats.date_format(start, "YEAR_MONTH_FORMAT"),
        }
    )
    document.paragraph(
        _("Period: %(start)s to %(end)s. Issued on %(today)s.")
        % {
            "start": formats.date_format(start, "DATE_FORMAT"),
            "end": formats.date_format(end, "DATE_FORMAT"),
            "today": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        }
    )
    automatic = [leaf for leaf in result.leaves if leaf.source == Source.AUTOMATIC]
    names = {row.unit_id: row.unit_name for row in result.rows}
    for leaf in automatic:
        document.heading(leaf.name, level=1)
        source = sources.REGISTRY[leaf.source_name]
        figures = sources.compute(leaf.source_name, campaign, start, end)
        document.table(
            [
                _("Unit"),
                _("Figure"),
                _("Points (of %(max)s)") % {"max": leaf.max_score},
            ],
            [
                [
                    names[row.unit_id],
                    _figure(figures.get(row.unit_id), source.kind),
                    "—" if row.points[leaf.pk] is None else str(row.points[leaf.pk]),
                ]
                for row in result.rows
            ],
        )
    if not automatic:
        document.paragraph(_("The set has no automatic indicators."))
    document.heading(_("Total of the month"), level=1)
    document.table(
        [_("Rank"), _("Unit"), _("Total")],
        [[row.shown_rank, row.unit_name, row.shown_total] for row in result.rows],
    )
    document.signature(office, formats.date_format(timezone.localdate(), "DATE_FORMAT"))
    return document
