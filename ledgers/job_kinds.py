"""The ledgers' background jobs: the export, the import's preview and the import."""

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from core.progress import part
from jobs.kinds import (
    JobRefused,
    Kind,
    Output,
    Prepared,
    Progress,
    register_kind,
    still_campaign,
)
from jobs.models import Job
from ledgers import access, excel, exports, roundtrip


def _prepare_ledgers_export(request: HttpRequest) -> Prepared:
    if not request.user.has_perm(exports.VIEW_PERM):
        raise PermissionDenied
    ledger = request.GET.get("ledger", "")
    if ledger not in exports.EXPORTS:
        raise Http404
    campaign = exports.export_campaign(request.user, request.GET.get("campaign"))
    return {"ledger": ledger, "campaign": campaign.pk}, campaign


def _run_ledgers_export(job: Job, progress: Progress) -> Output:
    owner = job.requested_by
    campaign = still_campaign(access.ledger_campaigns(owner), job.params["campaign"])
    filename, content = exports.build_export(
        owner, job.params["ledger"], campaign, progress=progress
    )
    return Output(filename=filename, content=content)


def _read_ledger(job: Job, progress: Any) -> tuple[Any, Campaign]:
    campaign = still_campaign(
        access.ledger_campaigns(job.requested_by), job.params["campaign"]
    )
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


register_kind(
    "ledgers_export",
    Kind(
        gettext_lazy("Ledger export (.xlsx)"),
        _run_ledgers_export,
        _prepare_ledgers_export,
    ),
)

register_kind(
    "ledgers_preview",
    Kind(
        gettext_lazy("Ledger import preview (.xlsx)"),
        _run_ledgers_preview,
        page="ledgers_admin:import_job",
    ),
)

register_kind(
    "ledgers_import",
    Kind(
        gettext_lazy("Ledger import (.xlsx)"),
        _run_ledgers_import,
        page="ledgers_admin:import_job",
    ),
)
