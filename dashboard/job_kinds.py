"""The cockpit's background job: the weekly report."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.seats import campaigns_overseen_by
from dashboard import reports
from dashboard.figures import cockpit_figures
from dashboard.views import CockpitFilterForm, WeekForm
from jobs.kinds import (
    JobRefused,
    Kind,
    Output,
    Prepared,
    Progress,
    document_bytes,
    register_kind,
)
from jobs.models import Job
from org.actors import Viewer


def _cockpit_form(user: Viewer, data: Any) -> Any:
    return CockpitFilterForm(data, campaigns=campaigns_overseen_by(user))


def _prepare_weekly_report(request: HttpRequest) -> Prepared:
    form = _cockpit_form(request.user, request.GET)
    week = WeekForm(request.GET)
    if not form.is_valid() or not week.is_valid():
        raise Http404
    data = form.cleaned_data
    # the week is fixed when asked for: Monday to Sunday (WeekForm)
    start, end = week.period()
    params = {
        "campaign": data["campaign"].pk,
        "unit": data["unit"].pk if data["unit"] else "",
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    return params, data["campaign"]


def _run_weekly_report(job: Job, progress: Progress) -> Output:
    form = _cockpit_form(job.requested_by, job.params)
    if not form.is_valid():
        raise JobRefused(_("You no longer have access to this campaign's figures."))
    data = form.cleaned_data
    progress(0, 2)
    figures = cockpit_figures(
        data["campaign"], start=data["start"], end=data["end"], unit=data["unit"]
    )
    progress(1, 2)
    content = document_bytes(reports.weekly_report(figures))
    progress(2, 2)
    return Output(
        filename=f"weekly-report-{figures.campaign.slug}-{figures.end:%Y%m%d}.docx",
        content=content,
    )


register_kind(
    "weekly_report",
    Kind(
        gettext_lazy("Weekly report (.docx)"),
        _run_weekly_report,
        _prepare_weekly_report,
    ),
)
