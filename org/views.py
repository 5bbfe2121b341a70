from typing import Any

from wagtail.admin.views.generic import CreateView

from org.actions import create_unit
from org.forms import UnitCreateForm


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
            actor=self.request.user,
        )
