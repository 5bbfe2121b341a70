"""The organisation in the back office: units and their people, scoped by role."""

from typing import Any

from django.db import router
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from org import views_two_step
from org.access import memberships_for_user, organisations_for_user, units_for_user
from org.models import Membership, Organisation, Unit
from sanfu.lib.viewsets import ScopedModelViewSet, refuse_protected_delete


def _units_writable(user: Any, *, write: bool = True) -> Any:
    return units_for_user(user, write=write)


class OrganisationViewSet(ScopedModelViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("Organisations")
    form_fields = ["name", "short_name", "description"]
    list_display = ["name", "short_name"]
    scope = staticmethod(organisations_for_user)
    inspect_view_enabled = True


class UnitViewSet(ScopedModelViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    form_fields = ["name", "short_name", "kind", "description"]
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind", "organisation"]
    search_fields = ["name", "short_name"]
    inspect_view_enabled = True
    scope = staticmethod(units_for_user)

    @property
    def add_view_class(self) -> Any:  # type: ignore[override]
        from org.views import UnitCreateView

        return UnitCreateView


class MembershipViewSet(ScopedModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    form_fields = ["person", "unit", "title", "role"]
    list_display = ["person", "unit", "title", "role"]
    list_filter = ["role"]
    inspect_view_enabled = True
    scope = staticmethod(memberships_for_user)
    scoped_choices = {"unit": _units_writable}


class OrganisationGroup(ViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "site"
    menu_order = 210
    items = (OrganisationViewSet, UnitViewSet, MembershipViewSet)


@hooks.register("register_admin_viewset")
def register_organisation_viewsets() -> ViewSetGroup:
    return OrganisationGroup()


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
    request: HttpRequest, user: Any
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
