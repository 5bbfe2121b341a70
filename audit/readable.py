"""The trail in words: data keys under labels, objects by name, yes and no.

An entry's ``data`` holds keys the actions chose (``measure``, ``unit``, ``days``…)
and, under ``changes``, fields by attname (``created_by_id``). Screens that show the
trail (the audit search, a demand's history) print them through ``Wording``:

- a key under its label from ``LABELS``, else the verbose name of the entry's
  model's field of that name, else the key;
- a key or a foreign key holding an object's primary key (``REFERENCES``, the
  model's foreign keys) as the object's name, every object of a page looked up in
  one query per model (``Wording.prefetch``); an object since deleted as
  "(deleted)";
- a person by user name, as the audit screen names who did what (the trail holds
  no names, and the screen adds none);
- booleans as yes and no.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, Model
from django.utils.translation import gettext_lazy as _

from core.viewsets import yes_no

# the data keys the actions write, under the names the office reads
LABELS: dict[str, Any] = {
    "added": _("Added"),
    "against": _("Votes against"),
    "answer": _("Answer"),
    "approved": _("Approved"),
    "attachments": _("Attachments"),
    "body": _("Body"),
    "channel": _("Channel"),
    "comment": _("Comment"),
    "count": _("Count"),
    "created_by": _("Created by"),
    "date": _("Date"),
    "days": _("Working days"),
    "deadline": _("Deadline"),
    "deeds": _("Good deeds"),
    "demand": _("Demand"),
    "done_on": _("Done on"),
    "due_on": _("Due on"),
    "duplicate_of": _("Duplicate of"),
    "finding": _("Finding"),
    "for": _("Votes for"),
    "from_unit": _("From unit"),
    "indicator": _("Indicator"),
    "issue": _("Issue"),
    "kind": _("Kind"),
    "level": _("Level"),
    "main_task": _("Main task"),
    "measure": _("Measure"),
    "measures": _("Measures"),
    "meeting": _("Meeting"),
    "merged": _("Merged demand"),
    "merged_into": _("Merged into"),
    "method": _("Method"),
    "name": _("Name"),
    "note": _("Note"),
    "notices": _("Notices sent"),
    "objection": _("Objection"),
    "objections": _("Objections"),
    "owner": _("Owner"),
    "percent": _("Percent done"),
    "phase": _("Phase"),
    "problems": _("Problems"),
    "published": _("Published"),
    "rating": _("Rating"),
    "reason": _("Reason"),
    "removed": _("Removed"),
    "requirement": _("Requirement"),
    "revision": _("Revision"),
    "role": _("Role"),
    "score": _("Score"),
    "seed": _("Random seed"),
    "solved": _("Solved"),
    "source": _("Source"),
    "stage": _("Stage"),
    "text": _("Text"),
    "title": _("Title"),
    "unit": _("Unit"),
    "urgency": _("Urgency"),
    "version": _("Version"),
}

# data keys that hold an object's primary key when they hold a number (several hold
# the object's name instead: ``"unit": unit.name``)
REFERENCES: dict[str, str] = {
    "demand": "demands.Demand",
    "duplicate_of": "demands.Demand",
    "finding": "ledgers.Finding",
    "indicator": "evaluation.Indicator",
    "main_task": "campaigns.MainTask",
    "measure": "ledgers.RectificationMeasure",
    "meeting": "campaigns.Meeting",
    "objection": "publicity.Objection",
    "phase": "campaigns.Phase",
    "requirement": "campaigns.Requirement",
    "unit": "org.Unit",
}

# data keys that hold a value of a model field's choices, shown as its label
CHOICES: dict[str, tuple[str, str]] = {
    "level": ("demands.Supervision", "level"),
}

DELETED = _("(deleted)")
# a tree's bookkeeping (treebeard's materialised path): no reader's business
UNSHOWN_FIELDS = frozenset({"path", "depth", "numchild"})


def _foreign_keys(model: type[Model] | None) -> dict[str, ForeignKey]:  # type: ignore[type-arg]
    if model is None:
        return {}
    return {
        field.attname: field
        for field in model._meta.concrete_fields
        if isinstance(field, ForeignKey)
    }


def _is_pk(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _name_of(obj: Model) -> str:
    if isinstance(obj, get_user_model()):
        return str(obj.get_username())
    # a demand's label is its number: its title may hold personal data
    return str(getattr(obj, "audit_label", None) or obj)


class Wording:
    """The labels and names of a page of entries; ``prefetch`` them first."""

    def __init__(self) -> None:
        self._names: dict[type[Model], dict[Any, str]] = {}

    def _references(
        self, model: type[Model] | None, data: dict[str, Any]
    ) -> Iterable[tuple[type[Model], Any]]:
        for key, value in data.items():
            if key in REFERENCES and _is_pk(value):
                yield apps.get_model(REFERENCES[key]), value
        changes = data.get("changes")
        if isinstance(changes, dict):
            keys = _foreign_keys(model)
            for name, pair in changes.items():
                field = keys.get(name)
                if field is None or not isinstance(pair, list):
                    continue
                for value in pair:
                    if _is_pk(value):
                        yield field.related_model, value  # type: ignore[misc]

    def prefetch(self, entries: Iterable[tuple[type[Model] | None, Any]]) -> None:
        """Look up every object the entries name: one query per model."""
        wanted: dict[type[Model], set[Any]] = defaultdict(set)
        for model, data in entries:
            for related, pk in self._references(model, data or {}):
                if pk not in self._names.get(related, {}):
                    wanted[related].add(pk)
        for related, pks in wanted.items():
            found = self._names.setdefault(related, {})
            for obj in related._default_manager.filter(pk__in=pks):
                found[obj.pk] = _name_of(obj)

    def _name(self, related: type[Model], pk: Any) -> str:
        names = self._names.get(related)
        if names is None or pk not in names:
            obj = related._default_manager.filter(pk=pk).first()
            self._names.setdefault(related, {})[pk] = (
                _name_of(obj) if obj is not None else str(DELETED)
            )
        return self._names[related][pk]

    def label(self, model: type[Model] | None, key: str) -> str:
        """A data key's label: the table's, else the model's field's name."""
        if key in LABELS:
            return str(LABELS[key])
        if model is not None:
            try:
                field = model._meta.get_field(key)
            except FieldDoesNotExist:
                return key
            return str(getattr(field, "verbose_name", key))
        return key

    def field_label(self, model: type[Model] | None, field: Any) -> str:
        """A changed field's label: its verbose name, unless it has none but the
        one Django makes of its name (untranslated), then the table's."""
        named = str(field.verbose_name)
        if named == field.name.replace("_", " ") and field.name in LABELS:
            return str(LABELS[field.name])
        return named

    def value(self, key: str, value: Any) -> Any:
        """A data key's value as the office reads it."""
        if isinstance(value, bool):
            return yes_no(value)
        if key in REFERENCES and _is_pk(value):
            return self._name(apps.get_model(REFERENCES[key]), value)
        if key in CHOICES and isinstance(value, str):
            model, name = CHOICES[key]
            field = apps.get_model(model)._meta.get_field(name)
            return dict(field.flatchoices).get(value, value)
        return value

    def describe(self, model: type[Model] | None, changes: dict[str, Any]) -> str:
        """``field: before → after`` in the fields' own names, their choices'
        labels and the named objects."""
        fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
        parts = []
        for name, pair in sorted(changes.items()):
            if name in UNSHOWN_FIELDS:
                continue
            field = fields.get(name)
            before, after = (
                pair if isinstance(pair, list) and len(pair) == 2 else ("", "")
            )
            shown = []
            for value in (before, after):
                if value is None:
                    shown.append("—")
                elif field is not None and field.choices:
                    shown.append(str(dict(field.flatchoices).get(value, value)))
                elif isinstance(field, ForeignKey) and _is_pk(value):
                    shown.append(self._name(field.related_model, value))  # type: ignore[arg-type]
                elif isinstance(value, bool):
                    shown.append(yes_no(value))
                else:
                    shown.append(str(value))
            label = self.field_label(model, field) if field is not None else name
            parts.append(f"{label}: {shown[0]} → {shown[1]}")
        return "; ".join(parts)
