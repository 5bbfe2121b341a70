"""Wagtail's account settings for a Person: one name field, e-mail optional.

Wagtail's own name panel asks for a first name, a last name and an e-mail, all
required, and the account page saves its panels together: a person with a Chinese
name in one field and no e-mail could not even change the interface language. This
view keeps Wagtail's page and swaps that panel for one over ``full_name`` and an
optional e-mail."""

from typing import Any

from django import forms
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.account import AccountView, NameEmailSettingsPanel

from org.models import Person


class PersonNameEmailForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True


class PersonNameEmailPanel(NameEmailSettingsPanel):
    form_class = PersonNameEmailForm


class PersonAccountView(AccountView):
    def get_panels(self) -> list[Any]:
        return [
            PersonNameEmailPanel(panel.request, panel.user, panel.profile)
            if type(panel) is NameEmailSettingsPanel
            else panel
            for panel in super().get_panels()
        ]


# decorated as Wagtail decorates the admin URL it stands in for
account = never_cache(require_admin_access(PersonAccountView.as_view()))
