"""The office's and the leaders' figures: the five rates per unit and per main task
over a period, on screen and as an ``.xlsx`` workbook (/admin/demands/metrics/)."""

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from openpyxl import Workbook
from openpyxl.comments import Comment
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from campaigns.models import Campaign, MainTask
from campaigns.seats import OVERSIGHT, campaigns_overseen_by, holds_somewhere
from core.admin import forbidden
from core.spreadsheet import keep_sheet_text, print_ready
from demands import metrics
from demands.metrics import Period, Rate, Report, Row
from demands.routing.figures import automatic_dispatches

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    label: Callable[[], str]
    count: str = ""  # a Row count's name, or
    rate: Rate | None = None  # a rate

    def value(self, row: Row) -> int | float | None:
        if self.rate is not None:
            return row.figure(self.rate).value
        return int(getattr(row, self.count))

    @property
    def is_rate(self) -> bool:
        return self.rate is not None


def _rate(rate: Rate) -> Column:
    return Column(lambda: str(rate.label), rate=rate)


# The table's columns, shared by the screen and the workbook.
COLUMNS = (
    Column(lambda: _("Received"), "received"),
    Column(lambda: _("Dispatched"), "dispatched"),
    Column(lambda: _("Accepted in time"), "accepted_in_time"),
    Column(lambda: _("Late, not accepted yet"), "acceptance_overdue"),
    _rate(metrics.RESPONSE),
    Column(lambda: _("Replied"), "replied"),
    Column(lambda: _("Replied in time"), "replied_in_time"),
    Column(lambda: _("Late, not replied yet"), "reply_overdue"),
    _rate(metrics.ON_TIME_REPLY),
    Column(lambda: _("Solved"), "solved"),
    _rate(metrics.RESOLUTION),
    Column(lambda: _("Rated"), "rated"),
    Column(lambda: _("Satisfied or basically satisfied"), "satisfied"),
    _rate(metrics.SATISFACTION),
    Column(lambda: _("Reopened"), "reopened"),
    _rate(metrics.REOPEN),
    Column(lambda: _("Replies flagged"), "reply_flagged"),
    _rate(metrics.FLAGGED_REPLY),
)


class MetricsFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"), queryset=Campaign.objects.none()
    )
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    main_task = forms.ModelChoiceField(
        label=gettext_lazy("Main task"),
        queryset=MainTask.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["campaign"]
        field.queryset = campaigns
        field.empty_label = None
        tasks: Any = self.fields["main_task"]
        tasks.queryset = MainTask.objects.filter(campaign__in=campaigns).select_related(
            "campaign"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        task, campaign = data.get("main_task"), data.get("campaign")
        if (
            task is not None
            and campaign is not None
            and task.campaign_id != campaign.pk
        ):
            self.add_error(
                "main_task", _("This main task belongs to another campaign.")
            )
        return data


class MetricsView(WagtailAdminTemplateMixin, TemplateView):
    """Figures for the campaigns the person oversees; anyone else gets 403."""

    template_name = "demands/metrics/index.html"
    page_title = gettext_lazy("Demand figures")
    header_icon = "table"
    form: MetricsFilterForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        campaigns = campaigns_overseen_by(request.user)
        first = campaigns.order_by("-starts_on", "pk").first()
        if first is None:
            return forbidden(request)
        self.form = MetricsFilterForm(
            request.GET or {"campaign": first.pk}, campaigns=campaigns
        )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def report(self) -> Report | None:
        if not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        return metrics.report(
            data["campaign"],
            period=Period(data["start"], data["end"]),
            main_task=data["main_task"],
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = self.report()
        if kwargs.get("export") and report is not None:
            return workbook_response(report, self.form.cleaned_data["campaign"])
        return super().get(request, *args, report=report, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report: Report | None = kwargs.get("report")
        context["form"] = self.form
        context["columns"] = [column.label() for column in COLUMNS]
        if report is not None:
            context["min_rated"] = report.min_rated
            context["by_unit"] = _table(report.by_unit, report.unit_ranks)
            context["by_main_task"] = _table(report.by_main_task)
            context["total"] = _cells(report.total)
            context["definitions"] = definitions()
            context["small_sample_note"] = metrics.small_sample_note()
            data = self.form.cleaned_data
            merged = context["merged_count"] = metrics.merged_with_parent(
                data["campaign"],
                period=Period(data["start"], data["end"]),
                main_task=data["main_task"],
            )
            context["merged_note"] = metrics.merged_note(merged)
            context["automatic_dispatches"] = automatic_dispatches(
                data["campaign"], *Period(data["start"], data["end"]).bounds()
            )
            context["export_url"] = (
                reverse("demands_metrics:export") + "?" + self.request.GET.urlencode()
            )
        return context


def definitions() -> list[tuple[str, str]]:
    """Each rate's label and definition, as printed under the figures."""
    return [
        (str(rate.label), str(rate.definition)) for rate in metrics.RATE_DEFINITIONS
    ]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _cells(row: Row) -> list[dict[str, str]]:
    cells = []
    for column in COLUMNS:
        if column.rate is None:
            cells.append({"text": str(column.value(row)), "flag": ""})
        else:
            figure = row.figure(column.rate)
            cells.append({"text": _percent(figure.value), "flag": figure.flag})
    return cells


def _table(
    rows: list[Row], ranks: dict[int | None, int] | None = None
) -> list[dict[str, Any]]:
    return [
        {
            "label": row.label,
            "cells": _cells(row),
            "rank": (ranks or {}).get(row.key),
        }
        for row in rows
    ]


def workbook_response(report: Report, campaign: Campaign) -> HttpResponse:
    workbook = build_workbook(report, title=f"{campaign.name} {_('Demand figures')}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"demand-figures-{campaign.slug}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def build_workbook(report: Report, title: str = "") -> Workbook:
    """One sheet per grouping (units, main tasks), a total row under each; rates as
    numbers formatted as percentages, empty where there is no figure; each sheet
    print-ready with ``title`` at the head of its pages."""
    workbook = Workbook()
    units = workbook.active
    assert units is not None
    units.title = _("By unit")
    _fill(units, _("Unit"), report.by_unit, report.total, ranks=report.unit_ranks)
    tasks = workbook.create_sheet(_("By main task"))
    _fill(tasks, _("Main task"), report.by_main_task, report.total)
    notes = workbook.create_sheet(_("Definitions"))
    notes.append([_("Figure"), _("Definition")])
    for label, definition in definitions():
        notes.append([label, definition])
    notes.append([metrics.small_sample_note()])
    for sheet in (units, tasks):
        print_ready(sheet, title=f"{title} · {sheet.title}" if title else sheet.title)
    print_ready(notes, title=title, widths=[24, 100])
    return workbook


def _fill(
    sheet: Any,
    first: str,
    rows: list[Row],
    total: Row,
    *,
    ranks: dict[int | None, int] | None = None,
) -> None:
    header = [first] + [column.label() for column in COLUMNS]
    if ranks is not None:
        header.append(_("Satisfaction rank"))
    sheet.append(header)
    for row in [*rows, total]:
        label = _("Total") if row is total else row.label
        line: list[Any] = [label] + [column.value(row) for column in COLUMNS]
        if ranks is not None:
            line.append(ranks.get(row.key))
        sheet.append(line)
    # Names are typed by staff: one that looks like a formula stays text.
    keep_sheet_text(sheet.iter_rows(min_row=2, max_col=1))
    for index, column in enumerate(COLUMNS, start=2):
        if column.rate is None:
            continue
        cells = sheet.iter_rows(min_row=2, min_col=index, max_col=index)
        for row, (cell,) in zip([*rows, total], cells, strict=True):
            cell.number_format = "0.0%"
            if flag := row.figure(column.rate).flag:
                cell.comment = Comment(flag, "Sanfu")
        # the definition under the header, as on the screen
        sheet.cell(row=1, column=index).comment = Comment(
            str(column.rate.definition), "Sanfu"
        )
    sheet.freeze_panes = "B2"


class MetricsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return holds_somewhere(request.user, OVERSIGHT)


@hooks.register("register_admin_urls")
def register_metrics_urls() -> list[Any]:
    view = MetricsView.as_view()
    urls = [
        path("", view, name="index"),
        path("export.xlsx", view, {"export": True}, name="export"),
    ]
    return [path("demands/metrics/", include((urls, "demands_metrics")))]


@hooks.register("register_admin_menu_item")
def register_metrics_menu_item() -> MenuItem:
    return MetricsMenuItem(
        gettext_lazy("Demand figures"),
        reverse_lazy("demands_metrics:index"),
        name="demand-figures",
        icon_name="table",
        order=225,
    )
