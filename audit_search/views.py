"""Wagtail's site-wide history, kept to superusers.

Wagtail shows a person every log entry of any model they hold a permission on; Sanfu's
permissions are scoped to a campaign or a unit, so that report would show a unit's
liaison the trail of every other unit's demands. The office's own, scoped search of the
audit trail is a separate screen.
"""

import csv
import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from audit_search import search
from core.admin import forbidden
from core.spreadsheet import XLSX, csv_text, write_table


def _superusers_only(view: Any) -> Any:
    # Mounted before Wagtail's admin URLs, so outside its admin-access check: a
    # visitor who is not signed in goes to the sign-in page like everywhere else.
    @require_admin_access
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_superuser:
            return forbidden(request)
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return guarded


site_history = _superusers_only(LogEntriesView.as_view())
site_history_results = _superusers_only(LogEntriesView.as_view(results_only=True))


# -- the office's search of the trail -------------------------------------------------

EXPORT_HEADINGS = (
    _("Time"),
    _("Done by"),
    _("Action"),
    _("Object"),
    _("Address"),
    _("Details"),
)


def _cells(row: search.Row) -> list[Any]:
    moment = timezone.localtime(row.timestamp).strftime("%Y-%m-%d %H:%M:%S")
    return [moment, row.actor, row.action, row.label, row.address, row.details]


def _csv(rows: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only after a byte-order mark
    writer = csv.writer(response)
    writer.writerow([str(heading) for heading in EXPORT_HEADINGS])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in _cells(row)])
    return response


def _xlsx(rows: Any) -> HttpResponse:
    book = Workbook(write_only=True)
    write_table(
        book.create_sheet(),
        [str(heading) for heading in EXPORT_HEADINGS],
        ([safe_cell(cell) for cell in _cells(row)] for row in rows),
        title=str(_("Audit log")),
        least_widths=[20, 12, 16, 24, 16, 60],
    )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="audit.xlsx"'
    return response


def safe_cell(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    return csv_text(value)


@require_admin_access
def audit_search(request: HttpRequest) -> HttpResponse:
    if not search.may_search(request.user):
        return forbidden(request)
    campaigns = search.audit_campaigns(request.user)
    form = search.AuditFilterForm(request.GET or None, campaigns=campaigns)
    if request.GET and not form.is_valid():
        return render(
            request, "audit/search.html", {"form": form, "rows": []}, status=400
        )
    if not request.GET:
        form = search.AuditFilterForm({}, campaigns=campaigns)
        form.is_valid()
    export = request.GET.get("export", "")
    if export in ("csv", "xlsx"):
        every = search.every_row(form, campaigns, request.user)
        return _csv(every) if export == "csv" else _xlsx(every)
    rows, next_cursor = search.page(
        form, campaigns, request.user, request.GET.get("before", "")
    )
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "rows": rows,
            "next_cursor": next_cursor,
            "query": query.urlencode(),
        },
    )
