"""My exports and jobs in the back office's menu."""

from typing import Any

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from jobs.views import admin_urls


@hooks.register("register_admin_urls")
def register_job_urls() -> list[Any]:
    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_jobs_menu_item() -> MenuItem:
    return MenuItem(
        gettext_lazy("My exports and jobs"),
        reverse_lazy("jobs_list"),
        name="jobs",
        icon_name="download",
        order=160,
    )
