"""The ledgers in and out of Excel, in the back office."""

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from campaigns.models import Campaign
from ledgers import access, actions, excel
from ledgers.forms import ImportForm
from ledgers.models import RectificationMeasure
from ledgers.views.admin import LedgerView

EXPORTS: dict[str, tuple[Callable[..., QuerySet[Any]], Callable[..., bytes], str]] = {
    "problems": (access.problems_for_user, excel.problems_workbook, "問題整改台賬"),
    "deeds": (access.deeds_for_user, excel.deeds_workbook, "辦實事清單"),
    "visits": (access.visits_for_user, excel.visits_workbook, "調研台賬"),
}


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
    )
    return response


class ExportView(LedgerView):
    """One campaign's ledger rows in the person's scope, as the office's 台賬."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ledger = kwargs["ledger"]
        if ledger not in EXPORTS:
            raise Http404
        scope, build, title = EXPORTS[ledger]
        campaigns = access.ledger_campaigns(request.user)
        campaign_id = request.GET.get("campaign", "")
        campaign = (
            campaigns.filter(pk=campaign_id).first()
            if campaign_id.isdigit()
            else campaigns.order_by("-starts_on").first()
        )
        if campaign is None:
            raise Http404
        rows = scope(request.user).filter(campaign=campaign).select_related("unit")
        if ledger == "problems":
            rows = rows.select_related("main_task").prefetch_related(
                Prefetch(
                    "measures",
                    RectificationMeasure.objects.select_related("owner", "reviewer"),
                )
            )
        elif ledger == "deeds":
            rows = rows.prefetch_related("stages")
        else:
            rows = rows.prefetch_related("findings")
        content = build(campaign, rows.order_by("pk").iterator(chunk_size=2000))
        return _download(content, f"{campaign.slug}-{title}")


class TemplateView(LedgerView):
    """An empty workbook in the import layout."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ledger = kwargs["ledger"]
        if ledger not in ("problems", "deeds"):
            raise Http404
        return _download(excel.template_workbook(ledger), f"{ledger}-template")


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
