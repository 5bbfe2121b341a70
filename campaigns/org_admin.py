"""The organisation in the back office: organisations, units and memberships,
scoped by what a person holds in the campaigns (``campaigns.org_access``)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.base import ViewSetGroup

from campaigns.org_access import (
    memberships_for_user,
    organisations_for_user,
    units_for_user,
)
from core.viewsets import ScopedModelForm, ScopedModelViewSet
from org.actions import create_unit
from org.actors import Viewer, person_of
from org.models import Membership, Organisation, Unit


class UnitCreateForm(ScopedModelForm):
    """A new unit goes under a parent unit the user may change, or at the top of an
    organisation the user runs."""

    parent = forms.ModelChoiceField(
        label=_("parent unit"),
        queryset=Unit.objects.all(),
        required=False,
        help_text=_("Leave empty for a top-level unit."),
    )

    scoped_choices = {
        "parent": units_for_user,
        "organisation": organisations_for_user,
    }

    class Meta:
        model = Unit
        fields = ["organisation", "parent", "name", "short_name", "kind", "description"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        parent = cleaned.get("parent")
        organisation = cleaned.get("organisation")
        if (
            parent is not None
            and organisation is not None
            and parent.organisation_id != organisation.pk
        ):
            self.add_error(
                "parent", _("The parent unit belongs to another organisation.")
            )
        name = cleaned.get("name")
        if (
            organisation is not None
            and name
            and Unit.objects.filter(organisation=organisation, name=name).exists()
        ):
            self.add_error("name", _("This organisation already has a unit so named."))
        return cleaned


class UnitCreateView(CreateView):
    """Creating a unit places it in the tree, so it goes through ``create_unit``."""

    def get_form_class(self) -> Any:
        return UnitCreateForm

    def save_instance(self) -> Any:
        data = self.form.cleaned_data
        return create_unit(
            data["organisation"],
            data["name"],
            parent=data["parent"],
            kind=data["kind"],
            short_name=data["short_name"],
            description=data["description"],
            actor=person_of(self.request),
        )


def _units_writable(user: Viewer, *, write: bool = True) -> Any:
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

    add_view_class = UnitCreateView


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
