"""The next campaign, started from one the organisation has run.

A copy takes the source's settings and its plan's frame: phases (dates shifted by the
new start), main tasks, requirements, bodies and their positions. Each app adds what it
keeps per campaign through ``register`` (the dispatch catalogue, the indicator set…),
so this module imports no app above it. Records — demands, ledgers, articles,
meetings, scores — stay with the campaign they belong to."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model

from audit.actions import record
from campaigns.models import Campaign, MainTask, Position
from org.models import Person

CAMPAIGN_OWN = ("id", "organisation", "name", "slug", "starts_on", "ends_on", "status")


@dataclass
class Copy:
    """What a copier needs: the two campaigns, the days the dates move by, and the
    rows already copied, each source row's pk mapped to its copy."""

    source: Campaign
    target: Campaign
    shift: datetime.timedelta
    main_tasks: dict[int, MainTask] = field(default_factory=dict)

    def date(self, value: datetime.date | None) -> datetime.date | None:
        return value + self.shift if value is not None else None


M = TypeVar("M", bound=Model)


def clone(row: M, **changed: Any) -> M:
    """A new, unsaved row of ``row``'s model with its values, but ``changed`` (by
    field name; a foreign key by its object or None) and no primary key."""
    values = {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if not f.primary_key
    }
    for name, value in changed.items():
        attname = row._meta.get_field(name).attname  # type: ignore[union-attr]
        values[attname] = value.pk if isinstance(value, Model) else value
    return type(row)(**values)


def clone_tree(
    rows: Iterable[M], changes: Callable[[M], dict[str, Any]]
) -> dict[int, M]:
    """Saved copies of a tree's rows (a ``parent`` foreign key within ``rows``), each
    under its parent's copy, with ``changes(row)`` applied; by the source rows' pks."""
    copied: dict[int, M] = {}
    pending = list(rows)
    while pending:
        ready = [
            row
            for row in pending
            if row.parent_id is None or row.parent_id in copied  # type: ignore[attr-defined]
        ]
        if not ready:
            raise ValueError("a tree's rows name a parent outside the tree")
        for row in ready:
            parent_id = row.parent_id  # type: ignore[attr-defined]
            new = clone(row, parent=copied.get(parent_id or 0), **changes(row))
            new.save()
            copied[row.pk] = new
        pending = [row for row in pending if row.pk not in copied]
    return copied


Copier = Callable[[Copy], None]
_copiers: list[Copier] = []


def register(copier: Copier) -> Copier:
    """Add an app's part of the copy (called from its ``AppConfig.ready``)."""
    if copier not in _copiers:
        _copiers.append(copier)
    return copier


@transaction.atomic
def copy_campaign(
    source: Campaign, *, values: dict[str, Any], actor: Person
) -> Campaign:
    """A new campaign with ``values`` (name, slug, dates, status, and any setting the
    form changed), the rest of its settings and its frame copied from ``source``."""
    settings = {
        f.name: getattr(source, f.name)
        for f in Campaign._meta.concrete_fields
        if f.name not in CAMPAIGN_OWN
    }
    target = Campaign(organisation=source.organisation, **{**settings, **values})
    target.full_clean()
    target.save()
    copy = Copy(source, target, target.starts_on - source.starts_on)
    _copy_frame(copy)
    for copier in _copiers:
        copier(copy)
    record(
        target,
        "sanfu.campaign.create",
        actor=actor,
        data={"name": target.name, "copied_from": source.slug},
    )
    return target


def _copy_frame(copy: Copy) -> None:
    source, target = copy.source, copy.target
    for phase in source.phases.all():
        clone(
            phase,
            campaign=target,
            starts_on=copy.date(phase.starts_on),
            ends_on=copy.date(phase.ends_on),
        ).save()
    for task in source.main_tasks.all():
        copy.main_tasks[task.pk] = new_task = clone(task, campaign=target)
        new_task.save()
    for requirement in source.requirements.all():
        clone(requirement, campaign=target).save()
    bodies = clone_tree(source.bodies.all(), lambda body: {"campaign": target})
    Position.objects.bulk_create(
        clone(position, body=bodies[position.body_id])
        for position in Position.objects.filter(body__campaign=source)
    )
