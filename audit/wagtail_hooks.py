"""The project's action names in Wagtail's audit log (one trail for everything), and
the office's search of it."""

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogActionRegistry

from audit import search, views
from audit.actions import ACTIONS


@hooks.register("register_log_actions")
def register_sanfu_actions(actions: LogActionRegistry) -> None:
    for name, (label, message) in ACTIONS.items():
        actions.register_action(name, label, message)


@hooks.register("construct_reports_menu")
def hide_site_history(request: HttpRequest, menu_items: list[Any]) -> None:
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]


@hooks.register("register_admin_urls")
def register_audit_urls() -> list[Any]:
    return [path("audit/", views.audit_search, name="audit_search")]


class AuditMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return search.may_search(request.user)


@hooks.register("register_reports_menu_item")
def register_audit_menu_item() -> MenuItem:
    return AuditMenuItem(
        _("Audit trail"),
        reverse_lazy("audit_search"),
        name="audit-trail",
        icon_name="history",
        order=50,
    )
