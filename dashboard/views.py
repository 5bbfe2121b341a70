"""The leaders' cockpit (/admin/cockpit/), its weekly report and the phase summary
reports (.docx): for the leading group and the office of a campaign; unit roles and
outsiders are refused."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from campaigns.models import Campaign, MainTask, Phase
from campaigns.seats import campaigns_overseen_by
from core.admin import TitledBreadcrumbsMixin, forbidden
from core.widgets import LongSelect
from dashboard import reports
from dashboard.figures import RANKING_SHOWN, Figures, cockpit_figures
from dashboard.hotspots import rising_hotspots
from demands import metrics
from demands.office_forms import NO_MAIN_TASK, OPEN
from evaluation import scoring
from evaluation.documents import docx_response
from org.models import Unit

DEFAULT_DAYS = 30


class CockpitFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"), queryset=Campaign.objects.none()
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("All units"),
        widget=LongSelect,
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

    def __init__(self, *args: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaign: Any = self.fields["campaign"]
        campaign.queryset = campaigns
        campaign.empty_label = None
        unit: Any = self.fields["unit"]
        unit.queryset = Unit.objects.filter(
            organisation__in=campaigns.values("organisation")
        ).order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        data["end"] = data.get("end") or today
        data["start"] = data.get("start") or data["end"] - datetime.timedelta(
            days=DEFAULT_DAYS - 1
        )
        if data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        unit, campaign = data.get("unit"), data.get("campaign")
        if unit and campaign and unit.organisation_id != campaign.organisation_id:
            self.add_error("unit", _("This unit belongs to another organisation."))
        return data


class WeekForm(forms.Form):
    """The weekly report's week: the one holding ``week`` (a date), by default
    the last complete week, Monday to Sunday."""

    week = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": gettext_lazy(
                "Give the week as a date in it, written YYYY-MM-DD (e.g. 2026-12-07)."
            )
        },
    )

    def period(self) -> tuple[datetime.date, datetime.date]:
        day = self.cleaned_data.get("week")
        if day is None:
            day = timezone.localdate() - datetime.timedelta(days=7)
        monday = day - datetime.timedelta(days=day.weekday())
        return monday, monday + datetime.timedelta(days=6)


class CockpitView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "dashboard/cockpit.html"
    page_title = gettext_lazy("Leaders' cockpit")
    header_icon = "view"
    form: CockpitFilterForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        campaigns = campaigns_overseen_by(request.user)
        first = campaigns.order_by("-starts_on", "pk").first()
        if first is None:
            return forbidden(request)
        self.form = CockpitFilterForm(
            request.GET or {"campaign": first.pk}, campaigns=campaigns
        )
        return super().dispatch(request, *args, **kwargs)

    def figures(self) -> Figures | None:
        if not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        return cockpit_figures(
            data["campaign"], start=data["start"], end=data["end"], unit=data["unit"]
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if kwargs.get("report") and self.form.is_valid():
            return self.weekly_report(request)
        return super().get(request, *args, figures=self.figures(), **kwargs)

    def weekly_report(self, request: HttpRequest) -> HttpResponse:
        """A page that offers to prepare the weekly report in the background: the
        document is never made in the request (issue 25: no document URL takes more
        than 1 s to answer). A malformed week is refused as before."""
        week = WeekForm(request.GET)
        if not week.is_valid():
            return HttpResponseBadRequest(
                week.errors.as_text(), content_type="text/plain; charset=utf-8"
            )
        start, end = week.period()
        data = self.form.cleaned_data
        self.template_name = "dashboard/weekly_report.html"
        self.page_title = gettext_lazy("Weekly report")
        cockpit = {"campaign": data["campaign"].pk}
        if data["unit"]:
            cockpit["unit"] = data["unit"].pk
        self.breadcrumbs_items = [
            *self.breadcrumbs_items,
            {
                "url": f"{reverse('dashboard:cockpit')}?{urlencode(cockpit)}",
                "label": _("Leaders' cockpit"),
            },
        ]
        return self.render_to_response(
            self.get_context_data(
                campaign=data["campaign"],
                unit=data["unit"],
                week=reports.week_line(start, end),
                cockpit_url=self.breadcrumbs_items[-1]["url"],
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        figures: Figures | None = kwargs.get("figures")
        context["form"] = self.form
        if figures is None:
            return context
        rows = RowsBehind(figures)
        unit = {"unit": figures.unit.pk} if figures.unit else {}
        context.update(
            figures=figures,
            ranking=(figures.ranking or [])[:RANKING_SHOWN],
            rates=[
                (figures.demands.figure(rate), rows.url(rate=rate.name))
                for rate in metrics.RATE_DEFINITIONS
            ],
            small_sample_note=metrics.small_sample_note(),
            missing_data_rule=scoring.MISSING_DATA_RULE,
            # the ranking page and the score sheets score the cockpit's period
            ranking_period=urlencode(
                {"start": figures.start.isoformat(), "end": figures.end.isoformat()}
            ),
            received_url=rows.url(),
            open_url=rows.url(period=False, status=OPEN),
            overdue_url=rows.url(period=False, overdue="on"),
            main_tasks=[
                (row, rows.url(main_task=_task_key(row.key)))
                for row in figures.by_main_task
            ],
            topics=[(topic, rows.url(q=topic.word)) for topic in figures.topics],
            report_url=reverse("dashboard:weekly_report")
            + "?"
            + urlencode(
                {
                    "campaign": figures.campaign.pk,
                    "week": figures.end.isoformat(),
                    **unit,
                }
            ),
            chart_data=chart_data(figures, rows),
            hotspots=rising_hotspots(figures.campaign, figures.end),
            phases=[
                (
                    phase,
                    reverse("dashboard:phase_report", args=[phase.pk])
                    + (f"?{urlencode(unit)}" if unit else ""),
                )
                for phase in figures.phases
            ],
        )
        return context


class PhaseReportView(View):
    """A phase's summary report: the cockpit's figures over the phase's period
    (for the whole campaign, or one unit with ``?unit=``)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaigns = campaigns_overseen_by(request.user)
        phase = (
            Phase.objects.filter(pk=pk, campaign__in=campaigns)
            .select_related("campaign")
            .first()
        )
        if phase is None:
            return forbidden(request)
        form = CockpitFilterForm(
            {
                "campaign": phase.campaign_id,
                "unit": request.GET.get("unit", ""),
                "start": phase.starts_on,
                "end": phase.ends_on,
            },
            campaigns=campaigns,
        )
        if not form.is_valid():
            return HttpResponseBadRequest(form.errors.as_text())
        figures = cockpit_figures(
            phase.campaign,
            start=phase.starts_on,
            end=phase.ends_on,
            unit=form.cleaned_data["unit"],
        )
        name = f"phase-report-{phase.campaign.slug}-{phase.sequence}.docx"
        return docx_response(reports.phase_report(phase, figures), name)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _task_key(key: int | None) -> str:
    return NO_MAIN_TASK if key is None else str(key)


class RowsBehind:
    """Links from the cockpit's figures to the office's list of the demands
    behind them: the same campaign, period and unit, and the figure's condition."""

    def __init__(self, figures: Figures) -> None:
        self.figures = figures
        self.base = reverse("demands_office:index")

    def url(self, *, period: bool = True, **condition: Any) -> str:
        figures = self.figures
        query: dict[str, Any] = {"campaign": figures.campaign.pk}
        if period:
            query.update(start=figures.start.isoformat(), end=figures.end.isoformat())
        if figures.unit is not None:
            query["unit"] = figures.unit.pk
        query.update(condition)
        return f"{self.base}?{urlencode(query)}"


def chart_data(figures: Figures, rows: RowsBehind) -> dict[str, Any]:
    """What the ECharts charts draw (``dashboard/cockpit.js``), as plain JSON, with
    the list each bar or slice opens when clicked."""
    received = {row.key: row.received for row in figures.by_main_task}
    # every main task is a slice, those without demands too, and the demands with
    # no main task are one more
    tasks: list[tuple[int | None, str]] = list(
        MainTask.objects.filter(campaign=figures.campaign)
        .order_by("sequence")
        .values_list("pk", "name")
    )
    if None in received:
        tasks.append((None, metrics.none_label("main_task")))
    cockpit = reverse("dashboard:cockpit")
    scope = {"unit": figures.unit.pk} if figures.unit else {}
    return {
        "units": [row.label for row in figures.by_unit],
        "response": [_percent(row.response_rate) for row in figures.by_unit],
        "response_urls": [
            rows.url(unit=row.key, rate=metrics.RESPONSE.name)
            for row in figures.by_unit
        ],
        "satisfaction": [_percent(row.satisfaction_rate) for row in figures.by_unit],
        "satisfaction_urls": [
            rows.url(unit=row.key, rate=metrics.SATISFACTION.name)
            for row in figures.by_unit
        ],
        "tasks": [name for _key, name in tasks],
        "task_received": [received.get(key, 0) for key, _name in tasks],
        "task_urls": [rows.url(main_task=_task_key(key)) for key, _name in tasks],
        "phases": [phase.name for phase in figures.phases],
        "phase_elapsed": [round(phase.elapsed * 100) for phase in figures.phases],
        # a phase opens the cockpit over that phase
        "phase_urls": [
            f"{cockpit}?"
            + urlencode(
                {
                    "campaign": figures.campaign.pk,
                    "start": phase.starts_on.isoformat(),
                    "end": phase.ends_on.isoformat(),
                    **scope,
                }
            )
            for phase in figures.phases
        ],
        "labels": {
            "response": _("Response rate (%)"),
            "satisfaction": _("Satisfaction rate (%)"),
            "received": _("Received"),
            "elapsed": _("Time elapsed (%)"),
        },
    }
