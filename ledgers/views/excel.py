"""The ledgers in and out of Excel, in the back office."""

import json
from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from campaigns.models import Campaign
from core.errors import Conflict
from jobs.access import get_job_for_user
from jobs.actions import continue_job, enqueue_job
from jobs.models import Job, JobState
from ledgers import access, excel
from ledgers.forms import ImportForm
from ledgers.roundtrip import LEDGERS
from ledgers.views.admin import LedgerView
from org.actors import person_of

IMPORT_KINDS = ("ledgers_preview", "ledgers_import")
# the page of a problem, visit or deed, and the list it is in
DETAIL = {
    "problems": ("ledgers_admin:problem", "ledgers_admin:problems"),
    "visits": ("ledgers_admin:visit", "ledgers_admin:visits"),
    "deeds": ("ledgers_admin:deed", "ledgers_admin:deeds"),
}


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class TemplateView(LedgerView):
    """An empty workbook in the import layout."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ledger = kwargs["ledger"]
        if ledger not in excel.TEMPLATES:
            raise Http404
        return _download(excel.template_workbook(ledger), f"{ledger}-template.xlsx")


class ImportView(LedgerView):
    """Import a ledger (problems with their measures, research visits with their
    findings, deeds) from a workbook: first previewed in the background
    (``ImportJobView``: new, changed field by field, unchanged, errors), then
    imported on confirmation, every row or none."""

    template_name = "ledgers/admin/import.html"
    page_title = gettext_lazy("Import from Excel")

    def make_form(self) -> ImportForm:
        return ImportForm(
            self.request.POST or None,
            self.request.FILES or None,
            campaigns=access.ledger_campaigns(self.request.user),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.make_form())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.make_form()
        ledger = request.POST.get("ledger", "")
        if ledger not in LEDGERS:
            raise Http404
        if form.is_valid():
            campaign: Campaign = form.cleaned_data["campaign"]
            job = enqueue_job(
                "ledgers_preview",
                actor=person_of(request),
                params={"ledger": ledger, "campaign": campaign.pk},
                campaign=campaign,
                source=form.cleaned_data["file"],
            )
            return redirect("ledgers_admin:import_job", job.pk)
        return self.render_to_response(self.get_context_data(form=form, ledger=ledger))


def _import_job(request: HttpRequest, pk: int) -> Job:
    job = get_job_for_user(request.user, pk)
    if job.kind not in IMPORT_KINDS:
        raise Http404
    return job


class ImportJobView(LedgerView):
    """A deed list's import: its preview (new, changed field by field, unchanged,
    errors) with the button that imports it, then what the import did."""

    template_name = "ledgers/admin/import_job.html"
    page_title = gettext_lazy("Import from Excel")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = _import_job(self.request, self.kwargs["pk"])
        plan = None
        if job.state == JobState.DONE and job.result:
            with job.result.open("rb") as stored:
                plan = json.loads(stored.read())
        ledger = job.params.get("ledger", "deeds")
        context.update(
            job=job,
            plan=plan,
            ledger=ledger,
            detail=DETAIL[ledger],
            is_preview=job.kind == "ledgers_preview",
            can_confirm=job.kind == "ledgers_preview"
            and job.state == JobState.DONE
            and bool(job.source),
        )
        return context


class ConfirmImportView(LedgerView):
    """Import the upload a preview read: a new job, all rows or none."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = _import_job(request, kwargs["pk"])
        if job.kind != "ledgers_preview":
            raise Http404
        try:
            follow = continue_job(job, "ledgers_import", actor=person_of(request))
        except Conflict as error:
            messages.error(request, str(error))
            return redirect("ledgers_admin:import_job", job.pk)
        return redirect("ledgers_admin:import_job", follow.pk)
