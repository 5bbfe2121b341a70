from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from org.access import organisations_for_user, units_for_user
from org.models import Unit
from sanfu.lib.viewsets import ScopedModelForm


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
