"""What every ledger step shares: the permission check, the admin link and the
notice of a step, and the checks of input common to the ledgers."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from campaigns.models import Campaign, MainTask
from notify.actions import notify_on_commit
from org.models import Person, Unit


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _link(name: str, pk: int) -> str:
    try:
        return reverse(f"ledgers_admin:{name}", args=[pk])
    except NoReverseMatch:
        return ""


def _notify_on_commit(
    recipients: QuerySet[Person], message: str | Promise, link: str
) -> None:
    ids = list(recipients.values_list("pk", flat=True))
    if ids:
        notify_on_commit(ids, message, link)


def check_in_period(campaign: Campaign, day: datetime.date, field: str) -> None:
    """Refuse a date outside the campaign's period, naming the field."""
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise ValidationError(
            {
                field: _(
                    "%(day)s is outside the campaign's period (%(start)s to %(end)s)."
                )
                % {"day": day, "start": campaign.starts_on, "end": campaign.ends_on}
            }
        )


def _check_unit(campaign: Campaign, unit: Unit) -> None:
    if unit.organisation_id != campaign.organisation_id:
        raise ValidationError({"unit": _("The unit belongs to another organisation.")})


def _check_task(campaign: Campaign, main_task: MainTask | None) -> None:
    if main_task is not None and main_task.campaign_id != campaign.pk:
        raise ValidationError(
            {"main_task": _("The main task belongs to another campaign.")}
        )


def _check_text(value: str, field: str) -> None:
    if not value.strip():
        # Django's own message, in Django's own translations
        raise ValidationError({field: forms.Field.default_error_messages["required"]})
