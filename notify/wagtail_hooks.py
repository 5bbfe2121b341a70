"""The inbox in the back office, with the count of unread notices in its menu item."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from notify.access import notifications_for_user
from notify.views import admin_urls


class InboxMenuItem(MenuItem):
    def render_component(self, request: HttpRequest) -> Any:
        component = super().render_component(request)
        unread = notifications_for_user(request.user).unread().count()
        if unread:
            component.label = _("Inbox (%(count)d unread)") % {"count": unread}
        return component


@hooks.register("register_admin_urls")
def register_inbox_urls() -> list[Any]:
    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item() -> MenuItem:
    return InboxMenuItem(
        gettext_lazy("Inbox"),
        reverse_lazy("notify_inbox"),
        name="inbox",
        icon_name="mail",
        order=150,
    )
