"""Small pieces shared by the apps' back-office views."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden(request: HttpRequest) -> HttpResponse:
    """A 403 page inside the admin, where Wagtail's own answer would be a silent
    redirect to the dashboard: the person should see that the step was refused."""
    return render(request, "sanfu/admin_forbidden.html", status=403)
