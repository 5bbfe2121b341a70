"""Small pieces shared by the apps' back-office views."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden(request: HttpRequest) -> HttpResponse:
    """A 403 page inside the admin, where Wagtail's own answer would be a silent
    redirect to the dashboard: the person should see that the step was refused."""
    return render(request, "sanfu/admin_forbidden.html", status=403)


class TitledBreadcrumbsMixin:
    """Ends the breadcrumbs with the page's own title, which Wagtail shows as the
    header: without it a plain admin screen is headed "Home"."""

    breadcrumbs_items: list[dict[str, Any]]

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        title = self.get_page_title()  # type: ignore[attr-defined]
        return [*self.breadcrumbs_items, {"url": "", "label": title}]
