"""The briefing screens in the admin menu (imported by publicity/wagtail_hooks.py)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from publicity.briefings.access import COMPILE_PERM
from publicity.briefings.admin_views import admin_urls


class BriefingsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(COMPILE_PERM)


@hooks.register("register_admin_urls")
def register_briefing_urls() -> list[Any]:
    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_briefings_menu_item() -> MenuItem:
    return BriefingsMenuItem(
        _("Briefings"),
        reverse_lazy("publicity_briefings:index"),
        name="briefings",
        icon_name="doc-full",
        order=240,
    )


@hooks.register("warm_up_worker")
def warm_up_renders() -> None:
    """Render a line of Chinese once, so the worker's first briefing file does not
    pay for WeasyPrint's import, fontconfig and the CJK fonts (sanfu's db_worker)."""
    from publicity.briefings import files

    files.warm_up()
