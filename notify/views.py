"""The inbox at /admin/inbox/: a person's notices, newest first."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from notify.access import get_notification_for_user, notifications_for_user
from notify.actions import mark_read

PAGE_SIZE = 100


class InboxView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "notify/inbox.html"
    page_title = gettext_lazy("Inbox")
    header_icon = "mail"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": _("Inbox")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        notices = notifications_for_user(self.request.user)
        # paged as the office's other lists are (``?p=``)
        paginator = WagtailPaginator(notices, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("p"))
        context["notifications"] = list(page)
        context["items"] = page
        context["elided_page_range"] = paginator.get_elided_page_range(page.number)
        context["unread"] = notices.unread().count()
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        count = mark_read(request.user)
        text = ngettext(
            "%(count)d notice marked read.", "%(count)d notices marked read.", count
        )
        messages.success(request, text % {"count": count})
        return redirect("notify_inbox")


def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and follow its link (back to the inbox without one)."""
    notification = get_notification_for_user(request.user, pk)
    if request.method != "POST":
        return redirect("notify_inbox")
    mark_read(request.user, [notification.pk])
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect(link)
    return redirect(reverse("notify_inbox"))


def admin_urls() -> list[Any]:
    return [
        path("inbox/", InboxView.as_view(), name="notify_inbox"),
        path("inbox/<int:pk>/open/", open_notification, name="notify_open"),
    ]
