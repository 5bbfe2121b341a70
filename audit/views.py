"""Wagtail's site-wide history, kept to superusers.

Wagtail shows a person every log entry of any model they hold a permission on; Sanfu's
permissions are scoped to a campaign or a unit, so that report would show a unit's
liaison the trail of every other unit's demands. The office's own, scoped search of the
audit trail is a separate screen.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from sanfu.lib.admin import forbidden


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
