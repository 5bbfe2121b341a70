"""The ledgers in and out of Excel, in the back office."""

from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from campaigns.models import Campaign
from jobs.actions import enqueue_job
from ledgers import access, actions, excel, exports
from ledgers.forms import ImportForm
from ledgers.views.admin import LedgerView


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class ExportView(LedgerView):
    """One campaign's ledger rows in the person's scope, as the office's 台賬."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ledger = kwargs["ledger"]
        if ledger not in exports.EXPORTS:
            raise Http404
        campaign = exports.export_campaign(request.user, request.GET.get("campaign"))
        filename, content = exports.build_export(request.user, ledger, campaign)
        return _download(content, filename)


class TemplateView(LedgerView):
    """An empty workbook in the import layout."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ledger = kwargs["ledger"]
        if ledger not in ("problems", "deeds"):
            raise Http404
        return _download(excel.template_workbook(ledger), f"{ledger}-template.xlsx")


class ImportView(LedgerView):
    """Import problems (with measures) or deeds from a workbook: every row is
    checked first; one bad row and nothing is stored."""

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
        if ledger not in ("problems", "deeds"):
            raise Http404
        errors: list[str] = []
        if form.is_valid():
            campaign: Campaign = form.cleaned_data["campaign"]
            upload = form.cleaned_data["file"]
            if form.cleaned_data.get("background"):
                enqueue_job(
                    "ledgers_import",
                    actor=request.user,
                    params={"ledger": ledger, "campaign": campaign.pk},
                    campaign=campaign,
                    source=upload,
                )
                messages.success(request, _("The import was queued."))
                return redirect("jobs_list")
            try:
                if ledger == "problems":
                    problems = excel.read_problems(campaign, upload, upload.name)
                    count = len(
                        actions.import_problems(campaign, problems, actor=request.user)
                    )
                else:
                    deeds = excel.read_deeds(campaign, upload, upload.name)
                    count = len(
                        actions.import_deeds(campaign, deeds, actor=request.user)
                    )
            except excel.ImportRefused as refused:
                errors = refused.errors
            else:
                messages.success(
                    request, _("%(count)d rows were imported.") % {"count": count}
                )
                return redirect(f"ledgers_admin:{ledger}")
        return self.render_to_response(
            self.get_context_data(form=form, errors=errors, ledger=ledger)
        )
