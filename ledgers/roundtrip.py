"""Deed lists as round trips: a list exported, edited in Excel and imported again.

Every exported row carries its deed's number (編號) and its version (版本): the
number of the last audit entry that changed the deed when it was exported. An
import compares each row with the ledger and sorts it:

- a row without a number is a new deed (one with the title of a deed its unit
  already keeps is that deed: importing the same file twice makes no twins);
- a row equal to its deed is unchanged, whatever the deed's state;
- a row that differs updates its deed, if nobody changed the deed since the
  export; if somebody did, the row is refused, naming the column and who changed it.

``plan_deeds`` only reads: the preview shows its plan before anything is written.
``import_deeds`` plans again under lock and writes it all, or nothing when any row
is refused; each deed created or changed gets its own audit entry with its changes.
"""

import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from audit.actions import record
from campaigns.models import Campaign
from ledgers import access
from ledgers.excel import (
    CLASS_WORDS,
    DEED_COLUMNS,
    DEED_STATUS_WORDS,
    DeedRow,
    DeedSheet,
    ImportRefused,
    row_error,
)
from ledgers.models import (
    DeedClass,
    DeedStage,
    DeedStatus,
    DeedUpdate,
    PracticalDeed,
)
from org.models import Unit

# the audit actions that change what a deed list shows (not a rating, not publishing)
DEED_EDITS = (
    "sanfu.deed.create",
    "sanfu.deed.progress",
    "sanfu.deed.verify",
    "sanfu.deed.return",
    "sanfu.deed.import_create",
    "sanfu.deed.import_change",
)
# the columns an import may change; the others change through the deed's own steps
UPDATABLE = ("事項名稱", "受益對象", "目標", "完成時限", "進度(%)")
TITLES = [column.title for column in DEED_COLUMNS]
# so many rows of each kind are listed in the preview; the counts are always whole
LISTED = 500


def _edits() -> QuerySet[ModelLogEntry]:
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PracticalDeed),
        action__in=DEED_EDITS,
    )


def with_versions(deeds: QuerySet[PracticalDeed]) -> QuerySet[PracticalDeed]:
    """The deeds, each with ``version``: its last edit's audit entry number."""
    last = (
        _edits()
        .filter(object_id=Cast(OuterRef("pk"), CharField()))
        .order_by("-pk")
        .values("pk")[:1]
    )
    return deeds.annotate(version=Subquery(last))


def _stages_text(stages: Iterable[Any]) -> str:
    return "\n".join(f"{stage.name}|{stage.due_on.isoformat()}" for stage in stages)


def _values(
    unit: str,
    title: str,
    deed_class: str,
    beneficiaries: str,
    target: str,
    deadline: datetime.date,
    progress: int,
    stages: str,
    status: str,
) -> dict[str, str]:
    """A deed's row as the list shows it, column by column."""
    return {
        "責任單位": unit,
        "事項名稱": title,
        "類別": CLASS_WORDS[DeedClass(deed_class)],
        "受益對象": beneficiaries,
        "目標": target,
        "完成時限": deadline.isoformat(),
        "進度(%)": str(progress),
        "分步計劃": stages,
        "狀態": DEED_STATUS_WORDS[DeedStatus(status)],
    }


def _deed_values(deed: PracticalDeed) -> dict[str, str]:
    return _values(
        deed.unit.name,
        deed.title,
        deed.deed_class,
        deed.beneficiaries,
        deed.target,
        deed.deadline,
        deed.progress,
        _stages_text(deed.stages.all()),
        deed.status,
    )


def _row_values(row: DeedRow, unit: str) -> dict[str, str]:
    return _values(
        unit,
        row.title,
        row.deed_class,
        row.beneficiaries,
        row.target,
        row.deadline,
        row.progress,
        _stages_text(row.stages),
        row.status,
    )


@dataclass
class Change:
    column: str
    before: str
    after: str


@dataclass
class Planned:
    row: int
    title: str
    unit: str
    key: int | None = None
    changes: list[Change] = field(default_factory=list)


@dataclass
class DeedPlan:
    """What an import does: ``new`` and ``changed`` rows with their deeds' values,
    how many rows are ``unchanged``, and every refusal in ``errors``."""

    new: list[tuple[DeedRow, Planned]] = field(default_factory=list)
    changed: list[tuple[DeedRow, PracticalDeed, Planned]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "%(new)d new, %(changed)d changed, %(unchanged)d unchanged, "
            "%(errors)d errors."
        ) % {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }

    def as_data(self) -> dict[str, Any]:
        """The plan as the preview page shows it (stored with the job as JSON)."""
        return {
            "new_count": len(self.new),
            "changed_count": len(self.changed),
            "unchanged": self.unchanged,
            "error_count": len(self.errors),
            "new": [asdict(planned) for _row, planned in self.new[:LISTED]],
            "changed": [asdict(planned) for *_rest, planned in self.changed[:LISTED]],
            "errors": self.errors[:LISTED],
        }


class _Ledger:
    """The deeds an import may touch, found by number and by unit and title."""

    def __init__(self, campaign: Campaign, actor: Any, *, lock: bool) -> None:
        self.campaign = campaign
        self.actor = actor
        self.office = access.is_office(actor, campaign.pk)
        deeds = (
            PracticalDeed.objects.all()
            if self.office
            else access.deeds_for_user(actor, write=True)
        ).filter(campaign=campaign)
        if lock:
            deeds = deeds.select_for_update(of=("self",))
        found = list(
            with_versions(deeds.select_related("unit").prefetch_related("stages"))
        )
        self.by_key = {deed.pk: deed for deed in found}
        self.by_title = {(deed.unit_id, deed.title): deed for deed in found}
        self.units = dict(
            Unit.objects.values_list("pk", "name").filter(
                organisation=campaign.organisation_id
            )
        )

    def may_write(self, unit_id: int) -> bool:
        return self.office or access.is_unit_writer(self.actor, unit_id)


def _changed_by(deed: PracticalDeed) -> tuple[str, str]:
    entry = _edits().filter(object_id=str(deed.pk)).order_by("-pk").first()
    if entry is None:
        return _("someone"), ""
    user = entry.user
    who = (getattr(user, "full_name", "") or user.get_username()) if user else ""
    local = timezone.localtime(entry.timestamp)
    return who or _("someone"), local.strftime("%Y-%m-%d %H:%M")


def _in_period(campaign: Campaign, day: datetime.date) -> bool:
    return campaign.starts_on <= day <= campaign.ends_on


def _check_new(row: DeedRow, ledger: _Ledger) -> list[str]:
    errors = []
    campaign = ledger.campaign
    if not ledger.may_write(row.unit_id):
        errors.append((TITLES[1], _("you do not keep this unit's ledger")))
    if row.status != DeedStatus.IN_PROGRESS:
        errors.append(
            (
                TITLES[9],
                _("a new deed is in progress (推進中); the office verifies the rest"),
            )
        )
    if row.progress == 100:
        errors.append(
            (TITLES[7], _("a finished deed is reported, then verified, not imported"))
        )
    days = [(TITLES[6], row.deadline)] + [(TITLES[8], s.due_on) for s in row.stages]
    for column, day in days:
        if not _in_period(campaign, day):
            errors.append((column, _period_error(campaign, day)))
    return [row_error(row.row, column, reason) for column, reason in errors]


def _period_error(campaign: Campaign, day: datetime.date) -> str:
    return _("%(day)s is outside the campaign's period (%(start)s to %(end)s)") % {
        "day": day,
        "start": campaign.starts_on,
        "end": campaign.ends_on,
    }


def _check_change(
    row: DeedRow, deed: PracticalDeed, changes: list[Change], ledger: _Ledger
) -> list[str]:
    errors = []
    for change in changes:
        if change.column not in UPDATABLE:
            errors.append(
                (
                    change.column,
                    _("is changed on the deed's own page, not by import"),
                )
            )
    if deed.status != DeedStatus.IN_PROGRESS:
        errors.append(
            (
                TITLES[9],
                _(
                    "only deeds in progress (推進中) can be changed by import; the "
                    "office verifies the rest"
                ),
            )
        )
    if row.progress < deed.progress:
        errors.append(
            (
                TITLES[7],
                _("progress cannot go back: the last report was %(last)d%%")
                % {"last": deed.progress},
            )
        )
    elif row.progress == 100 and deed.progress != 100:
        errors.append(
            (TITLES[7], _("a finished deed is reported, then verified, not imported"))
        )
    if row.deadline != deed.deadline and not _in_period(ledger.campaign, row.deadline):
        errors.append((TITLES[6], _period_error(ledger.campaign, row.deadline)))
    return [row_error(row.row, column, reason) for column, reason in errors]


def plan_deeds(
    campaign: Campaign, sheet: DeedSheet, actor: Any, *, lock: bool = False
) -> DeedPlan:
    """Sort the rows of a deed list into new, changed, unchanged and refused."""
    plan = DeedPlan(errors=list(sheet.errors))
    ledger = _Ledger(campaign, actor, lock=lock)
    seen: dict[int, int] = {}
    for row in sheet.rows:
        unit = ledger.units.get(row.unit_id, "")
        if row.key is not None:
            deed = ledger.by_key.get(row.key)
            if deed is None:
                plan.errors.append(
                    row_error(
                        row.row,
                        TITLES[10],
                        _("no deed numbered %(key)d is in the ledgers you keep")
                        % {"key": row.key},
                    )
                )
                continue
        else:
            deed = ledger.by_title.get((row.unit_id, row.title))
        planned = Planned(row=row.row, title=row.title, unit=unit)
        if deed is None:
            errors = _check_new(row, ledger)
            plan.errors.extend(errors)
            if not errors:
                plan.new.append((row, planned))
            continue
        if deed.pk in seen:
            plan.errors.append(
                row_error(
                    row.row,
                    TITLES[10],
                    _("row %(first)d is the same deed") % {"first": seen[deed.pk]},
                )
            )
            continue
        seen[deed.pk] = row.row
        planned.key = deed.pk
        before, after = _deed_values(deed), _row_values(row, unit)
        planned.changes = [
            Change(column, before[column], after[column])
            for column in before
            if before[column] != after[column]
        ]
        if not planned.changes:
            plan.unchanged += 1
            continue
        version = getattr(deed, "version", None) or 0
        if row.key is None or version > row.version:
            plan.errors.extend(_conflicts(row, deed, planned.changes))
            continue
        errors = _check_change(row, deed, planned.changes, ledger)
        plan.errors.extend(errors)
        if not errors:
            plan.changed.append((row, deed, planned))
    return plan


def _conflicts(row: DeedRow, deed: PracticalDeed, changes: list[Change]) -> list[str]:
    """A row whose deed changed since the export (or a new row with the title of a
    deed already kept): refused column by column, saying who changed the deed."""
    if row.key is None:
        return [
            row_error(
                row.row,
                TITLES[2],
                _(
                    "the unit already keeps a deed with this title (編號 %(key)d); "
                    "export the list again to change it"
                )
                % {"key": deed.pk},
            )
        ]
    who, when = _changed_by(deed)
    return [
        row_error(
            row.row,
            change.column,
            _(
                "%(who)s changed this deed at %(when)s, after your export (now "
                "“%(now)s”, your file “%(file)s”); export the list again and redo "
                "your change"
            )
            % {"who": who, "when": when, "now": change.before, "file": change.after},
        )
        for change in changes
    ]


@transaction.atomic
def import_deeds(campaign: Campaign, sheet: DeedSheet, *, actor: Any) -> DeedPlan:
    """Store a deed list's new and changed rows, all or none: refused with every
    error when one row is refused (``ImportRefused``)."""
    plan = plan_deeds(campaign, sheet, actor, lock=True)
    if plan.errors:
        raise ImportRefused(plan.errors)
    now = timezone.now()
    reporter = actor if getattr(actor, "pk", None) else None
    deeds = PracticalDeed.objects.bulk_create(
        (
            PracticalDeed(
                campaign=campaign,
                unit_id=row.unit_id,
                title=row.title,
                deed_class=row.deed_class,
                beneficiaries=row.beneficiaries,
                target=row.target,
                deadline=row.deadline,
                progress=row.progress,
            )
            for row, _planned in plan.new
        ),
        batch_size=2000,
    )
    DeedStage.objects.bulk_create(
        (
            DeedStage(deed=deed, sequence=index, name=stage.name, due_on=stage.due_on)
            for deed, (row, _planned) in zip(deeds, plan.new, strict=True)
            for index, stage in enumerate(row.stages, start=1)
        ),
        batch_size=2000,
    )
    for deed, (row, planned) in zip(deeds, plan.new, strict=True):
        planned.key = deed.pk
        record(deed, "sanfu.deed.import_create", actor=actor, data={"row": row.row})
    for row, deed, _planned in plan.changed:
        if row.progress > deed.progress:
            DeedUpdate.objects.create(
                deed=deed,
                on=timezone.localdate(now),
                percent=row.progress,
                note=_("Imported from Excel"),
                reported_by=reporter,
            )
        deed.title = row.title
        deed.beneficiaries = row.beneficiaries
        deed.target = row.target
        deed.deadline = row.deadline
        deed.progress = row.progress
        deed.save(
            update_fields=["title", "beneficiaries", "target", "deadline", "progress"]
        )
        record(deed, "sanfu.deed.import_change", actor=actor, data={"row": row.row})
    record(
        campaign,
        "sanfu.deed.import",
        actor=actor,
        data={
            "deeds": len(plan.new),
            "changed": len(plan.changed),
            "unchanged": plan.unchanged,
        },
    )
    return plan
