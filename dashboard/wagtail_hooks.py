"""The cockpit in the admin: its screens, a menu item, and a panel that makes it the
first thing a leader or an office member sees on the admin's home page."""

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from campaigns.seats import campaigns_overseen_by
from dashboard.hotspots import HotspotDeedView, HotspotProblemView, HotspotView
from dashboard.views import CockpitView, PhaseReportView
from demands.models import Demand


@hooks.register("register_admin_urls")
def register_cockpit_urls() -> list[Any]:
    view = CockpitView.as_view()
    urls = [
        path("", view, name="cockpit"),
        path("weekly-report.docx", view, {"report": True}, name="weekly_report"),
        path(
            "phase-<int:pk>-report.docx",
            PhaseReportView.as_view(),
            name="phase_report",
        ),
        path("hotspots/<int:pk>/", HotspotView.as_view(), name="hotspot"),
        path("hotspots/<int:pk>/deed/", HotspotDeedView.as_view(), name="hotspot_deed"),
        path(
            "hotspots/<int:pk>/problem/",
            HotspotProblemView.as_view(),
            name="hotspot_problem",
        ),
    ]
    return [path("cockpit/", include((urls, "dashboard")))]


class CockpitMenuItem(MenuItem):
    # the leading group and the office hold this permission (evaluation.roles); a
    # permission, loaded once per request, adds no query to every admin page
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("evaluation.view_indicatorset")


@hooks.register("register_admin_menu_item")
def register_cockpit_menu_item() -> MenuItem:
    return CockpitMenuItem(
        _("Leaders' cockpit"),
        reverse_lazy("dashboard:cockpit"),
        name="cockpit",
        icon_name="view",
        order=10,
    )


class CockpitPanel(Component):
    """The admin home's first panel for the leading group and the office: today's
    standing figures of their latest campaign and the way into the cockpit."""

    name = "cockpit"
    order = 10
    template_name = "dashboard/home_panel.html"

    def __init__(self, campaign: Any) -> None:
        self.campaign = campaign

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        demands = Demand.objects.filter(campaign=self.campaign)
        return {
            "campaign": self.campaign,
            "open_count": demands.open().count(),
            "overdue_count": demands.overdue().count(),
        }


@hooks.register("construct_homepage_panels")
def add_cockpit_panel(request: HttpRequest, panels: list[Any]) -> None:
    campaign = campaigns_overseen_by(request.user).order_by("-starts_on", "pk").first()
    if campaign is not None:
        panels.insert(0, CockpitPanel(campaign))


@hooks.register("warm_up_worker")
def warm_up_reports() -> None:
    """Load jieba's dictionaries once, so the worker's first weekly or phase report
    (its hot topics segment the demands' titles) does not pay for them: 2.9 s of a
    3.3 s first weekly report after the other warm-ups (sanfu's db_worker)."""
    from text.segment import segment

    segment("三服务一促进")
