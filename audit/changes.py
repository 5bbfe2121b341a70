"""Before and after: what an audited action changed on its object.

Every instance of a project model remembers the values it was loaded or built with
(``post_init``). ``audit.actions.record`` asks ``changes_of`` for the fields whose value
differs now, and writes them under ``data["changes"]`` as ``{field: [before, after]}``;
the instance then remembers its new values, so the next entry on it starts from there.
An object built in the action (no primary key when it was built) has no "before": every
field it was given a value for is written with ``None`` before it.

Personal data and secrets never enter the append-only trail, which could not erase them
when their retention ends:

- secrets (password, hashes, tokens, the TOTP secret) are left out altogether;
- personal fields (``PRIVATE``, and every ``*phone`` or ``*email`` field) are
  written as ``"***"`` (or ``""`` when empty), so the trail says that they changed,
  not what they were;
- text has its personal data blanked (``text.personal.blank_personal_data``: ID,
  phone and card numbers, e-mail, WeChat and QQ ids, names, rooms) and is cut to
  ``TEXT_LIMIT`` characters.
"""

import copy
import datetime
import decimal
import json
import uuid
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models import Field, JSONField, Model
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_init

from text.personal import blank_personal_data

# the project's apps (settings.SANFU_APPS) have their models audited, but for the
# inbox: a notice is a message about an audited change, never an entry's object
UNAUDITED_APPS = frozenset({"notify"})
# personal fields other than phones and e-mail addresses, by model
PRIVATE: dict[str, frozenset[str]] = {
    "demands.Demand": frozenset({"submitter_name", "submitter_id", "location"}),
    "demands.ReturnVisit": frozenset({"note"}),
    "org.Person": frozenset({"full_name", "first_name", "last_name"}),
    "publicity.Objection": frozenset({"name"}),
}
# rollups the actions keep: many rows, never the object of an entry
UNRECORDED = frozenset(
    {
        "demands.DemandDayStat",
        "demands.DemandMonthStat",
        "publicity.SubmissionMonthStat",
    }
)
TEXT_LIMIT = 200
HIDDEN = "***"
_SECRET_PARTS = ("password", "hash", "secret", "token", "sealed")
_SNAPSHOT = "_audit_snapshot"


def _is_secret(field: Field) -> bool:  # type: ignore[type-arg]
    return any(part in field.attname for part in _SECRET_PARTS)


def _is_private(model: type[Model], field: Field) -> bool:  # type: ignore[type-arg]
    name = field.attname
    return (
        name in PRIVATE.get(model._meta.label, ())
        or name.endswith("phone")
        or name.endswith("email")
    )


class _Recorded:
    """A model's recorded fields, worked out once: (attname, private) of each, and
    the names of those holding JSON (copied: a change made in place would otherwise
    be its own "before")."""

    def __init__(self, model: type[Model]) -> None:
        fields = [f for f in model._meta.concrete_fields if not _is_secret(f)]
        self.fields = tuple((f.attname, _is_private(model, f)) for f in fields)
        self.json = tuple(f.attname for f in fields if isinstance(f, JSONField))


def _recorded(model: type[Model]) -> _Recorded:
    recorded: _Recorded | None = model.__dict__.get("_audit_recorded")
    if recorded is None:
        recorded = _Recorded(model)
        model._audit_recorded = recorded  # type: ignore[attr-defined]
    return recorded


def _remember(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    # the whole of the instance's dict, copied at C speed: this runs for every row
    # read; changes_of() picks the recorded fields out of it
    values = instance.__dict__
    snapshot = values.copy()
    snapshot.pop(_SNAPSHOT, None)
    for name in _recorded(sender).json:
        if name in snapshot:
            snapshot[name] = copy.deepcopy(snapshot[name])
    values[_SNAPSHOT] = snapshot


def _text(text: str) -> str:
    return blank_personal_data(text)[:TEXT_LIMIT]


def _shown(value: Any, private: bool) -> Any:
    if private:
        return HIDDEN if value not in (None, "") else ""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | datetime.timedelta):
        return str(value)
    if isinstance(value, list | dict):
        return _text(json.dumps(value, ensure_ascii=False, default=str))
    if isinstance(value, FieldFile):
        return value.name or ""
    return _text(str(value))  # a stream of blocks, rich text: as text


def changes_of(instance: Model) -> dict[str, list[Any]]:
    """The recorded fields that changed since the instance was loaded or last
    recorded, as ``{attname: [before, after]}``; the instance then starts afresh."""
    snapshot: dict[str, Any] | None = instance.__dict__.get(_SNAPSHOT)
    if snapshot is None:
        return {}
    pk_name = instance._meta.pk.attname if instance._meta.pk else "id"
    built_here = snapshot.get(pk_name) is None
    values = instance.__dict__
    changes: dict[str, list[Any]] = {}
    for name, private in _recorded(type(instance)).fields:
        if name not in values or name == pk_name:
            continue
        after = values[name]
        if built_here:
            if after in (None, ""):
                continue
            changes[name] = [None, _shown(after, private)]
        elif name in snapshot and snapshot[name] != after:
            changes[name] = [
                _shown(snapshot[name], private),
                _shown(after, private),
            ]
    _remember(type(instance), instance)
    return changes


def values_of(instance: Model) -> dict[str, list[Any]]:
    """Every recorded field that holds a value, as ``{attname: [value, None]}``:
    what an object had when it was deleted."""
    pk_name = instance._meta.pk.attname if instance._meta.pk else "id"
    values = instance.__dict__
    return {
        name: [_shown(values[name], private), None]
        for name, private in _recorded(type(instance)).fields
        if name in values and name != pk_name and values[name] not in (None, "")
    }


def audited_apps() -> list[AppConfig]:
    return [
        config
        for config in apps.get_app_configs()
        if config.name in settings.SANFU_APPS and config.label not in UNAUDITED_APPS
    ]


def connect() -> None:
    for config in audited_apps():
        for model in config.get_models():
            if model._meta.label not in UNRECORDED:
                post_init.connect(
                    _remember, sender=model, dispatch_uid=f"audit-changes-{model}"
                )
