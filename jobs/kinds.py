"""The kinds of background job: how each is asked for in a request (``prepare``:
check access, read the parameters) and how the worker does it (``run``: check access
again as the person who asked, report progress, return the file).

Each kind calls the export or import its app already has; nothing here computes a
figure of its own.
"""

import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from jobs.actions import record_progress
from jobs.models import Job
from sanfu.lib.digits import parse_key
from sanfu.lib.progress import part


class JobRefused(Exception):
    """The job cannot be done, for a reason its owner can read and act on."""


class Progress:
    """``progress(done, total)``: what a kind's long loop calls as it goes."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, done: int, total: int) -> None:
        record_progress(self.job, done, total)


@dataclass(frozen=True)
class Output:
    message: str = ""
    filename: str = ""
    content: bytes | None = None
    # the upload stays with the job: a preview whose import is started from it
    keep_source: bool = False


Prepared = tuple[dict[str, Any], Campaign | None]


@dataclass(frozen=True)
class Kind:
    label: Promise
    run: Callable[[Job, Progress], Output]
    # reads a request to the start view; None: started by its own form (imports)
    prepare: Callable[[HttpRequest], Prepared] | None = None
    # the URL name of the page that shows the job's result, instead of a download
    page: str = ""


def _one(campaigns: QuerySet[Campaign], chosen: Any) -> Campaign:
    """The chosen campaign among those the person may use, else the latest."""
    chosen = str(chosen or "")
    found = (
        campaigns.filter(pk=key).first()
        if (key := parse_key(chosen)) is not None
        else campaigns.order_by("-starts_on").first()
    )
    if found is None:
        raise Http404
    return found


def _still(campaigns: QuerySet[Campaign], pk: Any) -> Campaign:
    found = campaigns.filter(pk=pk).first()
    if found is None:
        raise JobRefused(_("You no longer have access to this campaign's data."))
    return found


def _bytes(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- ledgers --------------------------------------------------------------------------


def _prepare_ledgers_export(request: HttpRequest) -> Prepared:
    from ledgers import exports

    if not request.user.has_perm(exports.VIEW_PERM):
        raise PermissionDenied
    ledger = request.GET.get("ledger", "")
    if ledger not in exports.EXPORTS:
        raise Http404
    campaign = exports.export_campaign(request.user, request.GET.get("campaign"))
    return {"ledger": ledger, "campaign": campaign.pk}, campaign


def _run_ledgers_export(job: Job, progress: Progress) -> Output:
    from ledgers import access, exports

    owner = job.requested_by
    campaign = _still(access.ledger_campaigns(owner), job.params["campaign"])
    filename, content = exports.build_export(
        owner, job.params["ledger"], campaign, progress=progress
    )
    return Output(filename=filename, content=content)


def _read_ledger(job: Job, progress: Any) -> tuple[Any, Campaign]:
    from ledgers import access, roundtrip

    campaign = _still(access.ledger_campaigns(job.requested_by), job.params["campaign"])
    with job.source.open("rb") as upload:
        sheet = roundtrip.read(
            job.params["ledger"], campaign, upload, job.source.name, progress
        )
    return sheet, campaign


def _plan_output(plan: Any, message: str, *, keep_source: bool = False) -> Output:
    content = json.dumps(plan.as_data(), ensure_ascii=False).encode()
    return Output(message, "plan.json", content, keep_source=keep_source)


def _run_ledgers_preview(job: Job, progress: Progress) -> Output:
    """What importing the ledger would do, written nowhere: the person reads it
    and confirms, which imports the same upload (``ledgers_import``)."""
    from ledgers import excel, roundtrip

    try:
        sheet, campaign = _read_ledger(job, progress)
    except excel.ImportRefused as refused:
        reason = "\n".join([_("Nothing was imported:"), *refused.errors])
        raise JobRefused(reason) from refused
    ledger = roundtrip.LEDGERS[job.params["ledger"]]
    plan = roundtrip.plan(ledger, campaign, sheet, job.requested_by)
    work = bool(plan.new or plan.changed) and not plan.errors
    return _plan_output(plan, plan.summary(), keep_source=work)


def _run_ledgers_import(job: Job, progress: Progress) -> Output:
    from ledgers import excel, roundtrip

    ledger = roundtrip.LEDGERS[job.params["ledger"]]
    try:
        # the bar runs through reading and checking, then through storing
        sheet, campaign = _read_ledger(job, part(progress, 0, 2))
        plan = roundtrip.store(
            ledger,
            campaign,
            sheet,
            actor=job.requested_by,
            progress=part(progress, 1, 2),
        )
    except excel.ImportRefused as refused:
        reason = "\n".join([_("Nothing was imported:"), *refused.errors])
        raise JobRefused(reason) from refused
    return _plan_output(plan, plan.summary())


# -- evaluation -----------------------------------------------------------------------


def _ranking_period(
    data: QueryDict | dict[str, Any],
) -> dict[str, datetime.date]:
    from evaluation.forms import PeriodForm

    form = PeriodForm(data)
    if not form.is_valid():
        raise JobRefused(
            " ".join(str(error) for errors in form.errors.values() for error in errors)
        )
    return {key: value for key, value in form.cleaned_data.items() if value}


def _prepare_evaluation_ranking(request: HttpRequest) -> Prepared:
    from evaluation import access

    sets = access.indicator_sets_for_user(request.user)
    chosen = request.GET.get("set", "")
    key = parse_key(chosen)
    indicator_set = sets.filter(pk=key).first() if key is not None else None
    if indicator_set is None:
        raise Http404
    try:
        period = _ranking_period(request.GET)
    except JobRefused as refused:
        raise Http404 from refused
    params = {key: day.isoformat() for key, day in period.items()}
    return {"set": indicator_set.pk, **params}, indicator_set.campaign


def _run_evaluation_ranking(job: Job, progress: Progress) -> Output:
    from evaluation import access, documents, scoring

    sets = access.indicator_sets_for_user(job.requested_by)
    indicator_set = sets.filter(pk=job.params["set"]).first()
    if indicator_set is None:
        raise JobRefused(_("You no longer have access to this indicator set."))
    period = _ranking_period(job.params)
    progress(0, 2)
    result = scoring.compute(
        indicator_set, start=period.get("start"), end=period.get("end")
    )
    progress(1, 2)
    content = _bytes(documents.ranking_workbook(result))
    progress(2, 2)
    return Output(
        filename=f"ranking-{indicator_set.pk}-{job.created_at:%Y%m%d}.xlsx",
        content=content,
    )


# -- dashboard ------------------------------------------------------------------------


def _cockpit_form(user: Any, data: Any) -> Any:
    from dashboard.views import CockpitFilterForm
    from demands.metrics import campaigns_overseen_by

    return CockpitFilterForm(data, campaigns=campaigns_overseen_by(user))


def _prepare_weekly_report(request: HttpRequest) -> Prepared:
    from dashboard.views import WeekForm

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
    from dashboard import reports
    from dashboard.figures import cockpit_figures

    form = _cockpit_form(job.requested_by, job.params)
    if not form.is_valid():
        raise JobRefused(_("You no longer have access to this campaign's figures."))
    data = form.cleaned_data
    progress(0, 2)
    figures = cockpit_figures(
        data["campaign"], start=data["start"], end=data["end"], unit=data["unit"]
    )
    progress(1, 2)
    content = _bytes(reports.weekly_report(figures))
    progress(2, 2)
    return Output(
        filename=f"weekly-report-{figures.campaign.slug}-{figures.end:%Y%m%d}.docx",
        content=content,
    )


# -- publicity ------------------------------------------------------------------------


def _prepare_publicity_stats(request: HttpRequest) -> Prepared:
    from publicity import access

    campaigns = access.desk_campaigns(request.user)
    if not campaigns.exists():
        raise PermissionDenied
    campaign = _one(campaigns, request.GET.get("campaign"))
    return {"campaign": campaign.pk}, campaign


def _run_publicity_stats(job: Job, progress: Progress) -> Output:
    from publicity import access, metrics

    campaign = _still(access.desk_campaigns(job.requested_by), job.params["campaign"])
    progress(0, 1)
    content = _bytes(metrics.workbook(campaign))
    progress(1, 1)
    return Output(filename=f"submissions-{campaign.slug}.xlsx", content=content)


def _guarded(
    run: Callable[[Job, Progress], Output],
) -> Callable[[Job, Progress], Output]:
    """A refusal met while running (a row gone, a right withdrawn) reads as one."""

    def guarded(job: Job, progress: Progress) -> Output:
        try:
            return run(job, progress)
        except (ObjectDoesNotExist, PermissionDenied, Http404) as error:
            raise JobRefused(
                _("You no longer have access to what this job reads.")
            ) from error

    return guarded


KINDS: dict[str, Kind] = {
    "ledgers_export": Kind(
        gettext_lazy("Ledger export (.xlsx)"),
        _guarded(_run_ledgers_export),
        _prepare_ledgers_export,
    ),
    "ledgers_preview": Kind(
        gettext_lazy("Ledger import preview (.xlsx)"),
        _guarded(_run_ledgers_preview),
        page="ledgers_admin:import_job",
    ),
    "ledgers_import": Kind(
        gettext_lazy("Ledger import (.xlsx)"),
        _guarded(_run_ledgers_import),
        page="ledgers_admin:import_job",
    ),
    "evaluation_ranking": Kind(
        gettext_lazy("Evaluation ranking (.xlsx)"),
        _guarded(_run_evaluation_ranking),
        _prepare_evaluation_ranking,
    ),
    "weekly_report": Kind(
        gettext_lazy("Weekly report (.docx)"),
        _guarded(_run_weekly_report),
        _prepare_weekly_report,
    ),
    "publicity_stats": Kind(
        gettext_lazy("Column statistics (.xlsx)"),
        _guarded(_run_publicity_stats),
        _prepare_publicity_stats,
    ),
}
