"""The project's action names in Wagtail's audit log (one trail for everything);
the office's search of it is ``audit_search``."""

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.log_actions import LogActionRegistry

from audit.actions import ACTIONS


@hooks.register("register_log_actions")
def register_sanfu_actions(actions: LogActionRegistry) -> None:
    for name, (label, message) in ACTIONS.items():
        actions.register_action(name, label, message)


@hooks.register("construct_reports_menu")
def hide_site_history(request: HttpRequest, menu_items: list[Any]) -> None:
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]
