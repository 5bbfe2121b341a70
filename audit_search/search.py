"""The office's search of the audit trail: filters, a page by key, and exports.

The office director and the comprehensive group (and their deputies) see the entries
of their own campaigns' objects (``data.campaign``, written by ``audit.actions``),
of their organisations' units and memberships (``data.organisation``) and of the
reference data all campaigns share (``data.shared``); a superuser sees every entry.
Names, phone and ID numbers are masked in the screen and in the exports alike.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, PageLogEntry

from audit.actions import ACTIONS, FORM_ACTIONS
from audit.changes import UNRECORDED, audited_apps
from audit.readable import Wording
from campaigns.models import Campaign
from campaigns.seats import OFFICE, campaigns_where, holds_somewhere
from core.days import start_of_day
from core.keyset import format_cursor, parse_cursor
from core.masking import mask_name, mask_phone, scrub_numbers
from org.actors import Viewer
from org.models import Unit

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
LOG_MODELS = (ModelLogEntry, PageLogEntry)


def audit_campaigns(user: Viewer) -> QuerySet[Campaign]:
    """The campaigns whose trail the person may search (all, for a superuser)."""
    return campaigns_where(user, OFFICE)


def may_search(user: Viewer) -> bool:
    return holds_somewhere(user, OFFICE)


def object_types() -> QuerySet[ContentType]:
    """What the trail's entries can be about: the models of the audited apps, not
    the rollups the actions keep beside them."""
    rollups = Q()
    for label in UNRECORDED:
        app_label, model = label.lower().split(".")
        rollups |= Q(app_label=app_label, model=model)
    return (
        ContentType.objects.filter(
            app_label__in=[config.label for config in audited_apps()]
        )
        .exclude(rollups)
        .order_by("app_label", "model")
    )


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Done by (user name)"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ModelChoiceField(
        label=_("Object type"), queryset=ContentType.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False
    )
    since = forms.DateField(label=_("From (date)"), required=False)
    until = forms.DateField(label=_("To (date)"), required=False)
    q = forms.CharField(label=_("Text"), required=False, max_length=100)

    def __init__(self, *args: Any, campaigns: QuerySet[Campaign], **kwargs: Any):
        super().__init__(*args, **kwargs)
        action: Any = self.fields["action"]
        named = sorted((name, str(label)) for name, (label, _msg) in ACTIONS.items())
        forms_ = [(name, str(action_label(name))) for name in FORM_ACTIONS]
        action.choices = [("", "—"), *forms_, *named]
        object_type: Any = self.fields["object_type"]
        object_type.queryset = object_types()
        unit: Any = self.fields["unit"]
        unit.queryset = Unit.objects.filter(
            organisation__in=campaigns.values("organisation")
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


def filtered(
    model: Any, form: AuditFilterForm, campaigns: QuerySet[Campaign], user: Viewer
) -> QuerySet[Any]:
    rows = model.objects.all()
    if not user.is_superuser:
        rows = rows.filter(
            Q(data__campaign__in=list(campaigns.values_list("pk", flat=True)))
            | Q(
                data__organisation__in=list(
                    campaigns.values_list("organisation", flat=True)
                )
            )
            | Q(data__shared=True)
        )
    data = form.cleaned_data
    if data.get("actor"):
        rows = rows.filter(user__username=data["actor"])
    if data.get("action"):
        rows = rows.filter(action=data["action"])
    if data.get("object_type"):
        if model is PageLogEntry:
            rows = rows.filter(page__content_type=data["object_type"])
        else:
            rows = rows.filter(content_type=data["object_type"])
    if data.get("unit"):
        rows = rows.filter(data__unit=data["unit"].pk)
    if data.get("since"):
        rows = rows.filter(timestamp__gte=start_of_day(data["since"]))
    if data.get("until"):
        end = data["until"] + datetime.timedelta(days=1)
        rows = rows.filter(timestamp__lt=start_of_day(end))
    if data.get("q"):
        rows = rows.filter(
            Q(label__icontains=data["q"]) | Q(action__icontains=data["q"])
        )
    return rows.select_related("user").order_by("-timestamp", "-id")


@dataclass
class Row:
    timestamp: datetime.datetime
    pk: int
    actor: str
    action: str
    label: str
    address: str
    details: str


def action_label(action: str) -> Any:
    """The action's name in the trail: ours, else Wagtail's (create, edit…)."""
    if action in ACTIONS:
        return ACTIONS[action][0]
    if log_registry.action_exists(action):
        return log_registry.get_action_label(action)
    return action


def _mask_value(key: str, value: Any) -> str:
    text = str(value)
    if "phone" in key:
        return mask_phone(text)
    if "name" in key and key != "unit":
        return mask_name(text)
    return scrub_numbers(text)


_UNSHOWN = ("address", "campaign", "unit", "organisation", "shared", "changes")


def _model_of(entry: Any) -> Any:
    if not entry.content_type_id:
        return None
    return ContentType.objects.get_for_id(entry.content_type_id).model_class()


def wording_for(entries: list[Any]) -> Wording:
    """The labels and names of these entries, each named object looked up once."""
    wording = Wording()
    wording.prefetch((_model_of(entry), entry.data or {}) for entry in entries)
    return wording


def to_row(entry: Any, wording: Wording | None = None) -> Row:
    wording = wording or wording_for([entry])
    model = _model_of(entry)
    data = entry.data or {}
    details = "; ".join(
        f"{wording.label(model, key)}: {_mask_value(key, wording.value(key, value))}"
        for key, value in sorted(data.items())
        if key not in _UNSHOWN
    )
    changes = data.get("changes")
    if isinstance(changes, dict) and changes:
        described = scrub_numbers(wording.describe(model, changes))
        details = f"{details}; {described}" if details else described
    label = action_label(entry.action)
    return Row(
        timestamp=entry.timestamp,
        pk=entry.pk,
        actor=entry.user.get_username() if entry.user_id and entry.user else "",
        action=str(label),
        label=scrub_numbers(entry.label),
        address=str(data.get("address", "")),
        details=details,
    )


def page(
    form: AuditFilterForm, campaigns: QuerySet[Campaign], user: Viewer, before: str
) -> tuple[list[Row], str]:
    """One page of rows, newest first, and the cursor of the next page ('' if none).

    Both log tables are read by (timestamp, id) below the cursor and merged; entries of
    the two tables written in the same microsecond may be split across a page edge."""
    cursor = parse_cursor(before) if before else None
    entries: list[Any] = []
    for model in LOG_MODELS:
        rows = filtered(model, form, campaigns, user)
        if cursor is not None:
            moment, pk = cursor
            rows = rows.filter(Q(timestamp__lt=moment) | Q(timestamp=moment, id__lt=pk))
        entries.extend(rows[: PAGE_SIZE + 1])
    entries.sort(key=lambda entry: (entry.timestamp, entry.pk), reverse=True)
    shown = entries[:PAGE_SIZE]
    more = len(entries) > PAGE_SIZE
    next_cursor = format_cursor(shown[-1].timestamp, shown[-1].pk) if more else ""
    wording = wording_for(shown)
    return [to_row(entry, wording) for entry in shown], next_cursor


def every_row(
    form: AuditFilterForm, campaigns: QuerySet[Campaign], user: Viewer
) -> Iterator[Row]:
    """All filtered rows for an export, newest first (up to EXPORT_LIMIT)."""
    entries: list[Any] = []
    for model in LOG_MODELS:
        entries.extend(filtered(model, form, campaigns, user)[:EXPORT_LIMIT])
    entries.sort(key=lambda entry: (entry.timestamp, entry.pk), reverse=True)
    for start in range(0, min(len(entries), EXPORT_LIMIT), PAGE_SIZE):
        chunk = entries[start : min(start + PAGE_SIZE, EXPORT_LIMIT)]
        wording = wording_for(chunk)
        for entry in chunk:
            yield to_row(entry, wording)
