"""The people's own screens in the back office: two-step sign-in, and a person with
records made inactive rather than deleted. The organisation's screens, scoped by
the campaigns' seats, are ``campaigns.org_admin``."""

from typing import Any

from django.db import router
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.viewsets import refuse_protected_delete
from org import views_two_step
from org.models import Person


@hooks.register("register_admin_urls")
def register_two_step_urls() -> list[Any]:
    return [
        path("two-step/", views_two_step.setup, name="two_step_setup"),
        path("two-step/verify/", views_two_step.verify, name="two_step_verify"),
        path("two-step/off/", views_two_step.turn_off, name="two_step_off"),
    ]


@hooks.register("register_account_menu_item")
def two_step_account_item(request: Any) -> dict[str, Any]:
    return {
        "url": reverse("two_step_setup"),
        "label": _("Two-step sign-in"),
        "help_text": _("A code from an authenticator app after your password."),
    }


@hooks.register("before_delete_user")
def refuse_deleting_a_person_with_records(
    request: HttpRequest, user: Person
) -> HttpResponse | None:
    """A person whose name is on records (demands, ledgers, reports) is made
    inactive, not deleted: Wagtail's delete would fail on the protected keys."""
    if request.method != "POST":
        return None
    collector = Collector(using=router.db_for_write(type(user)))
    try:
        collector.collect([user])
    except (ProtectedError, RestrictedError) as error:
        return refuse_protected_delete(request, user, len(error.args[1]))
    return None
