"""The office's search of the audit trail: its admin URL and its menu item."""

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from audit_search import search, views


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
