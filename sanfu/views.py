"""The project's own error pages."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django answers a body over DATA_UPLOAD_MAX_MEMORY_SIZE as a refused request
    (400); it is a body too large, and the sender should be told so (413)."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        context = {"limit_mib": limit // (1024 * 1024)}
        return render(request, "sanfu/too_large.html", context, status=413)
    return defaults.bad_request(request, exception)
