from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import PasswordResetForm

from org.access import organisations_for_user, units_for_user
from org.models import Unit
from sanfu.lib.ratelimit import hit
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


# A reset mail per address and per account: one a quarter hour, three a day. More
# would let anyone flood a mailbox (or an account's holder) with reset links.
RESET_LIMITS = ((1, 15 * 60), (3, 24 * 60 * 60))


def _within_limits(scope: str, key: str) -> bool:
    return all(
        hit(f"{scope}:{window}", key, limit=limit, window=window)
        for limit, window in RESET_LIMITS
    )


class ThrottledPasswordResetForm(PasswordResetForm):
    """Wagtail's password reset form with a rate limit per address asked for and
    per account reached. The view answers the same page whatever happens here, so
    a held-back mail tells the asker nothing about the account."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        address = self.cleaned_data["email"].strip().casefold()
        if _within_limits("password-reset-address", address):
            super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if _within_limits("password-reset-account", str(context["user"].pk)):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name=html_email_template_name,
            )
