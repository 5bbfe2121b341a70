"""Ledgers as round trips: a ledger exported, edited in Excel and imported again.

Every exported row carries the number (編號) of its problem, visit or deed, of its
measure or finding where it has one, and its version (版本): the number of the last
audit entry that changed it when it was exported. An import compares each entry of
the file with the ledger and sorts it:

- an entry without a number is new (one that matches an entry its unit already
  keeps, by title, is that entry: importing the same file twice makes no twins);
- an entry equal to the ledger's is unchanged, whatever its state;
- an entry that differs updates the ledger's, if nobody changed it since the export;
  if somebody did, it is refused, naming the row, the column and who changed it.

One engine for every ledger: a ``Ledger`` declares how its rows are read, how the
ledger's own entries read in the same columns, what may change by import and how
new and changed entries are stored (``PROBLEMS``, ``VISITS``, ``DEEDS``).
``plan`` only reads: the preview shows its plan before anything is written.
``store`` plans again under lock and writes it all, or nothing when any row is
refused; each entry created or changed gets its own audit entry with its changes.
"""

import datetime
from collections.abc import Callable, Hashable, Iterable
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from audit.actions import record
from campaigns.models import Campaign
from core.bulk import insert_rows
from core.progress import Report
from ledgers import access, excel
from ledgers.actions.imports import import_problems, store_measures
from ledgers.excel import (
    CLASS_WORDS,
    DEED_STATUS_WORDS,
    PROBLEM_STATUS_WORDS,
    SEVERITY_WORDS,
    SOURCE_WORDS,
    DeedRow,
    ImportRefused,
    ProblemRow,
    Sheet,
    VisitRow,
    row_error,
)
from ledgers.models import (
    DeedClass,
    DeedStage,
    DeedStatus,
    DeedUpdate,
    Finding,
    PracticalDeed,
    Problem,
    ProblemSource,
    ProblemStatus,
    RectificationMeasure,
    ResearchVisit,
    Severity,
)
from org.models import Person, Unit

# so many entries of each kind are listed in the preview; the counts are always whole
LISTED = 500
# so many keys are looked up at a time for their versions
VERSION_BATCH = 5000
# (part, column): a value of an entry; part "" is the entry's own, else the number
# of its measure or finding, or "+<row>" for one added in Excel
Slot = tuple[str, str]
# a row refused: (row, column, reason)
Refusal = tuple[int, str, str]


@dataclass
class Change:
    column: str
    before: str
    after: str
    row: int = 0
    part: str = ""  # the measure's or finding's number ("+<row>": added)


@dataclass
class Planned:
    row: int
    title: str
    unit: str
    key: int | None = None
    changes: list[Change] = field(default_factory=list)


@dataclass
class Entry:
    """A problem, visit or deed as the file or the ledger gives it: ``values`` as
    the list shows them, a measure's or finding's under its part; ``parts`` its
    measures or findings in order, ``rows`` the file's row of each."""

    row: int
    unit_id: int
    title: str
    values: dict[Slot, str]
    key: int | None = None
    version: int = 0
    parts: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    status: str = ""
    source: Any = None  # the row read (file) or what the ledger's entry needs

    def row_of(self, part: str) -> int:
        return self.rows.get(part, self.row)


@dataclass
class Plan:
    """What an import does: ``new`` and ``changed`` entries (with the ledger's),
    how many are ``unchanged``, and every refusal in ``errors``."""

    new: list[tuple[Entry, Planned]] = field(default_factory=list)
    changed: list[tuple[Entry, Entry, Planned]] = field(default_factory=list)
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
            "new": [asdict(planned) for _entry, planned in self.new[:LISTED]],
            "changed": [asdict(planned) for *_rest, planned in self.changed[:LISTED]],
            "errors": self.errors[:LISTED],
        }


# kept for the deed list's callers
DeedPlan = Plan


class Context:
    """The entries an import may touch, found by number and by title, and what the
    checks need to know of the campaign and the person."""

    def __init__(
        self, ledger: "Ledger", campaign: Campaign, actor: Person, *, lock: bool
    ) -> None:
        self.campaign = campaign
        self.actor = actor
        self.office = access.is_office(actor, campaign.pk)
        entities = ledger.entities(campaign, actor, office=self.office)
        self.units = dict(
            Unit.objects.values_list("pk", "name").filter(
                organisation=campaign.organisation_id
            )
        )
        self.tasks = dict(campaign.main_tasks.values_list("pk", "name"))
        locked = entities.select_for_update(of=("self",)) if lock else entities
        found = ledger.ledger_entries(locked, self)
        versions = ledger.versions(entities)
        for entry in found:
            entry.version = versions.get(entry.key or 0, 0)
        self.by_key = {entry.key: entry for entry in found}
        self.by_identity = {ledger.identity(entry): entry for entry in found}

    def may_write(self, unit_id: int) -> bool:
        return self.office or access.is_unit_writer(self.actor, unit_id)

    def in_period(self, day: datetime.date) -> bool:
        return self.campaign.starts_on <= day <= self.campaign.ends_on

    def period_error(self, day: datetime.date) -> str:
        return _("%(day)s is outside the campaign's period (%(start)s to %(end)s)") % {
            "day": day,
            "start": self.campaign.starts_on,
            "end": self.campaign.ends_on,
        }


class Ledger:
    """What a ledger declares to be imported as a round trip."""

    name = ""
    model: type[Model]
    scope: Callable[..., QuerySet[Any]]
    # the audit actions that change what the ledger's list shows
    edits: tuple[str, ...] = ()
    created = ""
    changed = ""
    summary_action = ""
    # the columns an import may change; the others change through the entry's steps
    updatable: frozenset[str] = frozenset()
    key_column = "編號"
    part_column = ""  # the column of a measure's or finding's number
    status_column = "狀態"

    # ``ledgers.excel``'s reader of the ledger's workbook
    reader: Callable[..., Sheet]

    def read(
        self,
        campaign: Campaign,
        upload: IO[bytes],
        name: str,
        progress: Report | None = None,
    ) -> Sheet:
        return self.reader(campaign, upload, name, progress)

    def entities(self, campaign: Campaign, actor: Person, *, office: bool) -> QuerySet:
        rows = (
            self.model._default_manager.all()
            if office
            else self.scope(actor, write=True)
        )
        return rows.filter(campaign=campaign).order_by()

    def versions(self, entities: QuerySet[Any]) -> dict[int, int]:
        """Each entity's last edit's audit entry number: its keys read once, then
        their entries grouped, a few thousand keys a query. Not a column of the
        rows' own query (looked up once per measure, finding or stage row), nor a
        join of the entries with the entities, which PostgreSQL planned as a
        nested loop over both tables while they were unanalysed after an import
        (77 s at 10,000 rows; this takes well under a second)."""
        keys = [str(key) for key in entities.order_by().values_list("pk", flat=True)]
        versions: dict[int, int] = {}
        edits = self._edits()
        for start in range(0, len(keys), VERSION_BATCH):
            versions.update(
                (int(key), last)
                for key, last in edits.filter(
                    object_id__in=keys[start : start + VERSION_BATCH]
                )
                .order_by()
                .values("object_id")
                .annotate(last=Max("pk"))
                .values_list("object_id", "last")
            )
        return versions

    def _edits(self) -> QuerySet[ModelLogEntry]:
        return ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            action__in=self.edits,
        )

    def changed_by(self, key: int) -> tuple[str, str]:
        entry = self._edits().filter(object_id=str(key)).order_by("-pk").first()
        if entry is None:
            return _("someone"), ""
        user = entry.user
        who = (getattr(user, "full_name", "") or user.get_username()) if user else ""
        local = timezone.localtime(entry.timestamp)
        return who or _("someone"), local.strftime("%Y-%m-%d %H:%M")

    def file_entries(self, sheet: Sheet, context: Context) -> list[Entry]:
        raise NotImplementedError

    def ledger_entries(self, entities: QuerySet[Any], context: Context) -> list[Entry]:
        raise NotImplementedError

    def identity(self, entry: Entry) -> Hashable:
        return (entry.unit_id, entry.title)

    def check_new(self, entry: Entry, context: Context) -> list[Refusal]:
        raise NotImplementedError

    def check_change(
        self, entry: Entry, found: Entry, changes: list[Change], context: Context
    ) -> list[Refusal]:
        raise NotImplementedError

    def write(
        self, campaign: Campaign, plan: Plan, actor: Person, progress: Any
    ) -> None:
        raise NotImplementedError

    # -- shared by the ledgers -------------------------------------------------------

    def not_updatable(self, changes: list[Change]) -> list[Refusal]:
        return [
            (
                change.row,
                change.column,
                _("is changed on its own page, not by import"),
            )
            for change in changes
            if change.column not in self.updatable
        ]

    def audit(
        self, action: str, actor: Person, entries: Iterable[tuple[int, str, dict]]
    ) -> None:
        """One audit entry per row created or changed, written in one go
        (``audit.actions.record`` writes one at a time)."""
        user = actor if actor is not None and actor.is_authenticated else None
        insert_rows(
            ModelLogEntry,
            ("object_id", "label", "data"),
            [(str(key), label[:255], data) for key, label, data in entries],
            content_type_id=ContentType.objects.get_for_model(self.model).pk,
            action=action,
            timestamp=timezone.now(),
            user_id=user.pk if user is not None else None,
        )

    def audit_rows(
        self,
        action: str,
        actor: Person,
        campaign: Campaign,
        rows: Iterable[tuple[Entry, Planned]],
    ) -> None:
        self.audit(
            action,
            actor,
            (
                (
                    planned.key or 0,
                    entry.title,
                    {
                        "campaign": campaign.pk,
                        "unit": entry.unit_id,
                        "row": entry.row,
                        "changes": {
                            _audit_label(change): [change.before, change.after]
                            for change in planned.changes
                        },
                    },
                )
                for entry, planned in rows
            ),
        )


def _audit_label(change: Change) -> str:
    return f"{change.column} #{change.part}" if change.part else change.column


def _progress_refusals(
    row: int, column: str, before: str, after: str, finished: str
) -> list[Refusal]:
    """Progress never goes back, and reaches 100% through its own report."""
    old, new = int(before or 0), int(after or 0)
    if new < old:
        reason = _("progress cannot go back: the last report was %(last)d%%") % {
            "last": old
        }
        return [(row, column, reason)]
    if new == 100 and old != 100:
        return [(row, column, finished)]
    return []


def _diff(
    ledger: Ledger, entry: Entry, found: Entry
) -> tuple[list[Change], list[Refusal]]:
    """The file's values that differ from the ledger's, slot by slot; a measure or
    finding the file names that the ledger's entry does not have is refused. An
    entry without a number (matched by title) pairs its parts in order."""
    parts = dict.fromkeys(found.parts)
    rename: dict[str, str] = {}
    if entry.key is None and len(entry.parts) == len(found.parts):
        rename = dict(zip(entry.parts, found.parts, strict=True))
    changes, refusals = [], []
    for (part, column), after in entry.values.items():
        part = rename.get(part, part)
        if part and not part.startswith("+") and part not in parts:
            refusals.append(
                (
                    entry.row_of(part),
                    ledger.part_column,
                    _("no %(column)s %(key)s belongs to this row's entry")
                    % {"column": ledger.part_column, "key": part},
                )
            )
            continue
        before = found.values.get((part, column), "")
        if before != after:
            original = next((p for p, q in rename.items() if q == part), part)
            changes.append(Change(column, before, after, entry.row_of(original), part))
    return changes, list(dict.fromkeys(refusals))


def _conflicts(
    ledger: Ledger, entry: Entry, found: Entry, changes: list[Change]
) -> list[str]:
    """An entry changed since the export (or a new one with the title of one
    already kept): refused column by column, saying who changed it."""
    if entry.key is None:
        return [
            row_error(
                entry.row,
                ledger.key_column,
                _(
                    "the unit already keeps this entry (編號 %(key)d); export the "
                    "list again to change it"
                )
                % {"key": found.key},
            )
        ]
    who, when = ledger.changed_by(found.key or 0)
    return [
        row_error(
            change.row,
            change.column,
            _(
                "%(who)s changed this entry at %(when)s, after your export (now "
                "“%(now)s”, your file “%(file)s”); export the list again and redo "
                "your change"
            )
            % {"who": who, "when": when, "now": change.before, "file": change.after},
        )
        for change in changes
    ]


def _errors(refusals: Iterable[Refusal]) -> list[str]:
    return [row_error(row, column, reason) for row, column, reason in refusals]


def plan(
    ledger: Ledger,
    campaign: Campaign,
    sheet: Sheet,
    actor: Person,
    *,
    lock: bool = False,
) -> Plan:
    """Sort the entries of a file into new, changed, unchanged and refused."""
    result = Plan(errors=list(sheet.errors))
    context = Context(ledger, campaign, actor, lock=lock)
    seen: dict[int, int] = {}
    for entry in ledger.file_entries(sheet, context):
        unit = context.units.get(entry.unit_id, "")
        if entry.key is not None:
            found = context.by_key.get(entry.key)
            if found is None:
                result.errors.append(
                    row_error(
                        entry.row,
                        ledger.key_column,
                        _("no entry numbered %(key)d is in the ledgers you keep")
                        % {"key": entry.key},
                    )
                )
                continue
        else:
            found = context.by_identity.get(ledger.identity(entry))
        planned = Planned(row=entry.row, title=entry.title, unit=unit)
        if found is None:
            errors = _errors(ledger.check_new(entry, context))
            result.errors.extend(errors)
            if not errors:
                result.new.append((entry, planned))
            continue
        key = found.key or 0
        if key in seen:
            result.errors.append(
                row_error(
                    entry.row,
                    ledger.key_column,
                    _("row %(first)d is the same entry") % {"first": seen[key]},
                )
            )
            continue
        seen[key] = entry.row
        planned.key = key
        planned.changes, refusals = _diff(ledger, entry, found)
        if refusals:
            result.errors.extend(_errors(refusals))
            continue
        if not planned.changes:
            result.unchanged += 1
            continue
        if entry.key is None or found.version > entry.version:
            result.errors.extend(_conflicts(ledger, entry, found, planned.changes))
            continue
        errors = _errors(ledger.check_change(entry, found, planned.changes, context))
        result.errors.extend(errors)
        if not errors:
            result.changed.append((entry, found, planned))
    return result


@transaction.atomic
def store(
    ledger: Ledger,
    campaign: Campaign,
    sheet: Sheet,
    *,
    actor: Person,
    progress: Report | None = None,
) -> Plan:
    """Store a file's new and changed entries, all or none: refused with every
    error when one row is refused (``ImportRefused``)."""
    result = plan(ledger, campaign, sheet, actor, lock=True)
    if result.errors:
        raise ImportRefused(result.errors)
    ledger.write(campaign, result, actor, progress)
    record(
        campaign,
        ledger.summary_action,
        actor=actor,
        data={
            ledger.name: len(result.new),
            "changed": len(result.changed),
            "unchanged": result.unchanged,
        },
    )
    return result


def _number(value: Any) -> str:
    return "" if value is None else str(value)


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value is not None else ""


# -- problems and their measures -----------------------------------------------------

MEASURE_COLUMNS = ("整改措施", "責任人", "審核人", "整改時限", "整改進度(%)")


class Problems(Ledger):
    name = "problems"
    model = Problem
    scope = staticmethod(access.problems_for_user)
    edits = (
        "sanfu.problem.create",
        "sanfu.problem.add_measure",
        "sanfu.problem.progress",
        "sanfu.problem.apply_closure",
        "sanfu.problem.confirm",
        "sanfu.problem.verify",
        "sanfu.problem.return",
        "sanfu.problem.recheck_answer",
        "sanfu.problem.recheck_pass",
        "sanfu.problem.recheck_fail",
        "sanfu.problem.import_create",
        "sanfu.problem.import_change",
    )
    created = "sanfu.problem.import_create"
    changed = "sanfu.problem.import_change"
    summary_action = "sanfu.problem.import"
    updatable = frozenset(
        {"問題來源", "主要任務", "嚴重程度", "問題描述", *MEASURE_COLUMNS}
    )
    part_column = "措施編號"

    reader = staticmethod(excel.read_problem_sheet)

    def identity(self, entry: Entry) -> Hashable:
        return (entry.unit_id, entry.values[("", "問題描述")])

    @staticmethod
    def _head(
        context: Context,
        unit_id: int,
        source: str,
        task_id: int | None,
        severity: str,
        description: str,
    ) -> dict[Slot, str]:
        return {
            ("", "責任單位"): context.units.get(unit_id, ""),
            ("", "問題來源"): SOURCE_WORDS[ProblemSource(source)],
            ("", "主要任務"): context.tasks.get(task_id or 0, ""),
            ("", "嚴重程度"): SEVERITY_WORDS[Severity(severity)],
            ("", "問題描述"): description,
        }

    @staticmethod
    def _measure(
        part: str,
        description: str,
        owner: str,
        reviewer: str,
        deadline: datetime.date | None,
        progress: int | None,
    ) -> dict[Slot, str]:
        return {
            (part, "整改措施"): description,
            (part, "責任人"): owner,
            (part, "審核人"): reviewer,
            (part, "整改時限"): _day(deadline),
            (part, "整改進度(%)"): _number(progress),
        }

    def file_entries(self, sheet: Sheet, context: Context) -> list[Entry]:
        entries = []
        row: ProblemRow
        for row in sheet.rows:
            values = self._head(
                context,
                row.unit_id,
                row.source,
                row.main_task_id,
                row.severity,
                row.description,
            )
            if row.status:
                values[("", "狀態")] = PROBLEM_STATUS_WORDS[ProblemStatus(row.status)]
            entry = Entry(
                row=row.row,
                unit_id=row.unit_id,
                title=row.description[:60],
                values=values,
                key=row.number,
                version=row.version,
                status=row.status,
                source=row,
            )
            for measure in row.measures:
                part = str(measure.key) if measure.key else f"+{measure.row}"
                entry.parts.append(part)
                entry.rows[part] = measure.row
                values.update(
                    self._measure(
                        part,
                        measure.description,
                        measure.owner,
                        measure.reviewer,
                        measure.deadline,
                        measure.progress,
                    )
                )
            entries.append(entry)
        return entries

    def ledger_entries(self, entities: QuerySet[Any], context: Context) -> list[Entry]:
        entries: dict[int, Entry] = {}
        for row in entities.order_by("pk", "measures__id").values_list(
            "pk",
            "unit_id",
            "source",
            "main_task_id",
            "severity",
            "description",
            "status",
            "measures__id",
            "measures__description",
            "measures__owner__username",
            "measures__reviewer__username",
            "measures__deadline",
            "measures__progress",
        ):
            pk, unit_id, source, task_id, severity, description, status = row[:7]
            entry = entries.get(pk)
            if entry is None:
                values = self._head(
                    context, unit_id, source, task_id, severity, description
                )
                values[("", "狀態")] = PROBLEM_STATUS_WORDS[ProblemStatus(status)]
                entry = entries[pk] = Entry(
                    row=0,
                    unit_id=unit_id,
                    title=description[:60],
                    values=values,
                    key=pk,
                    status=status,
                )
            if row[7] is not None:
                part = str(row[7])
                entry.parts.append(part)
                entry.values.update(self._measure(part, *row[8:]))
        return list(entries.values())

    def check_new(self, entry: Entry, context: Context) -> list[Refusal]:
        refusals = []
        row: ProblemRow = entry.source
        if not context.may_write(entry.unit_id):
            refusals.append(
                (entry.row, "責任單位", _("you do not keep this unit's ledger"))
            )
        if row.source == ProblemSource.DEMAND:
            refusals.append(
                (
                    entry.row,
                    "問題來源",
                    _("a problem from a demand is raised from the demand"),
                )
            )
        if row.status and row.status != ProblemStatus.OPEN:
            refusals.append(
                (
                    entry.row,
                    "狀態",
                    _(
                        "only problems being rectified (整改中) can be imported; "
                        "closing one needs the office's verification"
                    ),
                )
            )
        return refusals

    def check_change(
        self, entry: Entry, found: Entry, changes: list[Change], context: Context
    ) -> list[Refusal]:
        refusals = self.not_updatable(changes)
        if found.status != ProblemStatus.OPEN:
            refusals.append(
                (
                    entry.row,
                    "狀態",
                    _(
                        "only problems being rectified (整改中) can be changed by "
                        "import; closing one needs the office's verification"
                    ),
                )
            )
        demand = SOURCE_WORDS[ProblemSource.DEMAND]
        finished = _(
            "a finished measure is reported with its evidence on the problem's page, "
            "not imported"
        )
        for change in changes:
            if change.column == "問題來源" and demand in (change.before, change.after):
                refusals.append(
                    (
                        change.row,
                        change.column,
                        _("a problem from a demand is raised from the demand"),
                    )
                )
            if change.column == "整改進度(%)" and change.before:
                refusals.extend(
                    _progress_refusals(
                        change.row, change.column, change.before, change.after, finished
                    )
                )
        return refusals

    def write(
        self, campaign: Campaign, plan: Plan, actor: Person, progress: Any
    ) -> None:
        if plan.new:
            keys = import_problems(
                campaign,
                [entry.source for entry, _p in plan.new],
                actor=actor,
                progress=progress,
            )
            for key, (_entry, planned) in zip(keys, plan.new, strict=True):
                planned.key = key
            self.audit_rows(self.created, actor, campaign, plan.new)
        if plan.changed:
            self._change(plan, actor)
            self.audit_rows(
                self.changed, actor, campaign, [(e, p) for e, _f, p in plan.changed]
            )

    def _change(self, plan: Plan, actor: Person) -> None:
        problems = Problem.objects.in_bulk(
            [found.key for _e, found, _p in plan.changed]
        )
        keys = [m.key for e, _f, _p in plan.changed for m in e.source.measures if m.key]
        measures = RectificationMeasure.objects.in_bulk(keys)
        now = timezone.now()
        head, changed, added, reports = [], [], [], []
        for entry, found, _planned in plan.changed:
            row: ProblemRow = entry.source
            problem = problems[found.key or 0]
            problem.source, problem.main_task_id = row.source, row.main_task_id
            problem.severity, problem.description = row.severity, row.description
            head.append(problem)
            for item in row.measures:
                measure = measures.get(item.key or 0)
                if measure is None:
                    added.append((problem.pk, item))
                    continue
                if item.progress > measure.progress:
                    reports.append((measure.pk, item.progress))
                measure.description, measure.deadline = item.description, item.deadline
                measure.owner_id, measure.reviewer_id = item.owner_id, item.reviewer_id
                measure.progress = item.progress
                changed.append(measure)
        Problem.objects.bulk_update(
            head, ["source", "main_task_id", "severity", "description"], batch_size=2000
        )
        RectificationMeasure.objects.bulk_update(
            changed,
            ["description", "deadline", "owner_id", "reviewer_id", "progress"],
            batch_size=2000,
        )
        store_measures(added, reporter=actor, now=now, reports=reports)


# -- research visits and their findings ----------------------------------------------

VISIT_HEAD = ("調研單位", "調研日期", "調研地點", "參加人員", "調研主題")


class Visits(Ledger):
    name = "visits"
    model = ResearchVisit
    scope = staticmethod(access.visits_for_user)
    edits = (
        "sanfu.research_visit.record",
        "sanfu.research_visit.import_create",
        "sanfu.research_visit.import_change",
    )
    created = "sanfu.research_visit.import_create"
    changed = "sanfu.research_visit.import_change"
    summary_action = "sanfu.research_visit.import"
    updatable = frozenset({"調研日期", "調研地點", "參加人員", "調研主題", "發現問題"})
    part_column = "發現編號"

    reader = staticmethod(excel.read_visits)

    @staticmethod
    def _head(
        context: Context,
        unit_id: int,
        visited_on: datetime.date,
        place: str,
        participants: str,
        topic: str,
    ) -> dict[Slot, str]:
        values = (
            context.units.get(unit_id, ""),
            _day(visited_on),
            place,
            participants,
            topic,
        )
        return {
            ("", column): value
            for column, value in zip(VISIT_HEAD, values, strict=True)
        }

    @staticmethod
    def _title(visited_on: datetime.date, topic: str) -> str:
        return f"{visited_on.isoformat()} {topic}"

    def file_entries(self, sheet: Sheet, context: Context) -> list[Entry]:
        entries = []
        row: VisitRow
        for row in sheet.rows:
            entry = Entry(
                row=row.row,
                unit_id=row.unit_id,
                title=self._title(row.visited_on, row.topic),
                values=self._head(
                    context,
                    row.unit_id,
                    row.visited_on,
                    row.place,
                    row.participants,
                    row.topic,
                ),
                key=row.key,
                version=row.version,
                source=row,
            )
            for finding in row.findings:
                part = str(finding.key) if finding.key else f"+{finding.row}"
                entry.parts.append(part)
                entry.rows[part] = finding.row
                entry.values[(part, "發現問題")] = finding.text
            entries.append(entry)
        return entries

    def ledger_entries(self, entities: QuerySet[Any], context: Context) -> list[Entry]:
        entries: dict[int, Entry] = {}
        for row in entities.order_by(
            "pk", "findings__sequence", "findings__id"
        ).values_list(
            "pk",
            "unit_id",
            "visited_on",
            "place",
            "participants",
            "topic",
            "findings__id",
            "findings__text",
            "findings__demand_id",
            "findings__problem__id",
        ):
            pk, unit_id, visited_on, place, participants, topic = row[:6]
            entry = entries.get(pk)
            if entry is None:
                entry = entries[pk] = Entry(
                    row=0,
                    unit_id=unit_id,
                    title=self._title(visited_on, topic),
                    values=self._head(
                        context, unit_id, visited_on, place, participants, topic
                    ),
                    key=pk,
                    source=set(),  # the findings taken up as a demand or a problem
                )
            if row[6] is not None:
                part = str(row[6])
                entry.parts.append(part)
                entry.values[(part, "發現問題")] = row[7]
                if row[8] is not None or row[9] is not None:
                    entry.source.add(part)
        return list(entries.values())

    def check_new(self, entry: Entry, context: Context) -> list[Refusal]:
        if not context.may_write(entry.unit_id):
            return [(entry.row, "調研單位", _("you do not keep this unit's ledger"))]
        return []

    def check_change(
        self, entry: Entry, found: Entry, changes: list[Change], context: Context
    ) -> list[Refusal]:
        refusals = self.not_updatable(changes)
        for change in changes:
            if change.column == "發現問題" and change.part in found.source:
                refusals.append(
                    (
                        change.row,
                        change.column,
                        _("the finding has been taken up as a problem or a demand"),
                    )
                )
        return refusals

    def write(
        self, campaign: Campaign, plan: Plan, actor: Person, progress: Any
    ) -> None:
        rows: list[VisitRow] = [entry.source for entry, _p in plan.new]
        keys = insert_rows(
            ResearchVisit,
            ("unit_id", "visited_on", "place", "participants", "topic"),
            [(r.unit_id, r.visited_on, r.place, r.participants, r.topic) for r in rows],
            campaign=campaign,
            created_by=actor,
            created_at=timezone.now(),
        )
        findings = [
            (key, index, finding.text)
            for key, row in zip(keys, rows, strict=True)
            for index, finding in enumerate(row.findings, start=1)
        ]
        for key, (_entry, planned) in zip(keys, plan.new, strict=True):
            planned.key = key
        self.audit_rows(self.created, actor, campaign, plan.new)
        visits = ResearchVisit.objects.in_bulk(
            [found.key for _e, found, _p in plan.changed]
        )
        texts = {m.pk: m for m in Finding.objects.filter(visit__in=list(visits))}
        head, changed = [], []
        for entry, found, _planned in plan.changed:
            row = entry.source
            visit = visits[found.key or 0]
            visit.visited_on, visit.place = row.visited_on, row.place
            visit.participants, visit.topic = row.participants, row.topic
            head.append(visit)
            last = max(
                (f.sequence for f in texts.values() if f.visit_id == visit.pk),
                default=0,
            )
            for finding in row.findings:
                known = texts.get(finding.key or 0)
                if known is None:
                    last += 1
                    findings.append((visit.pk, last, finding.text))
                elif known.text != finding.text:
                    known.text = finding.text
                    changed.append(known)
        insert_rows(Finding, ("visit_id", "sequence", "text"), findings)
        ResearchVisit.objects.bulk_update(
            head, ["visited_on", "place", "participants", "topic"], batch_size=2000
        )
        Finding.objects.bulk_update(changed, ["text"], batch_size=2000)
        self.audit_rows(
            self.changed, actor, campaign, [(e, p) for e, _f, p in plan.changed]
        )


# -- practical deeds -----------------------------------------------------------------

DEED_HEAD = (
    "責任單位",
    "事項名稱",
    "類別",
    "受益對象",
    "目標",
    "完成時限",
    "進度(%)",
    "分步計劃",
    "狀態",
)


def _stages_text(stages: Iterable[Any]) -> str:
    return "\n".join(f"{stage.name}|{stage.due_on.isoformat()}" for stage in stages)


def _deed_values(
    unit: str,
    title: str,
    deed_class: str,
    beneficiaries: str,
    target: str,
    deadline: datetime.date,
    progress: int,
    stages: str,
    status: str,
) -> dict[Slot, str]:
    """A deed's row as the list shows it, column by column."""
    values = (
        unit,
        title,
        CLASS_WORDS[DeedClass(deed_class)],
        beneficiaries,
        target,
        deadline.isoformat(),
        str(progress),
        stages,
        DEED_STATUS_WORDS[DeedStatus(status)],
    )
    return {
        ("", column): value for column, value in zip(DEED_HEAD, values, strict=True)
    }


class Deeds(Ledger):
    name = "deeds"
    model = PracticalDeed
    scope = staticmethod(access.deeds_for_user)
    edits = (
        "sanfu.deed.create",
        "sanfu.deed.progress",
        "sanfu.deed.verify",
        "sanfu.deed.return",
        "sanfu.deed.import_create",
        "sanfu.deed.import_change",
    )
    created = "sanfu.deed.import_create"
    changed = "sanfu.deed.import_change"
    summary_action = "sanfu.deed.import"
    updatable = frozenset({"事項名稱", "受益對象", "目標", "完成時限", "進度(%)"})

    reader = staticmethod(excel.read_deeds)

    def file_entries(self, sheet: Sheet, context: Context) -> list[Entry]:
        return [
            Entry(
                row=row.row,
                unit_id=row.unit_id,
                title=row.title,
                values=_deed_values(
                    context.units.get(row.unit_id, ""),
                    row.title,
                    row.deed_class,
                    row.beneficiaries,
                    row.target,
                    row.deadline,
                    row.progress,
                    _stages_text(row.stages),
                    row.status,
                ),
                key=row.key,
                version=row.version,
                status=row.status,
                source=row,
            )
            for row in sheet.rows
        ]

    def ledger_entries(self, entities: QuerySet[Any], context: Context) -> list[Entry]:
        return [
            Entry(
                row=0,
                unit_id=deed.unit_id,
                title=deed.title,
                values=_deed_values(
                    context.units.get(deed.unit_id, ""),
                    deed.title,
                    deed.deed_class,
                    deed.beneficiaries,
                    deed.target,
                    deed.deadline,
                    deed.progress,
                    _stages_text(deed.stages.all()),
                    deed.status,
                ),
                key=deed.pk,
                status=deed.status,
                source=deed,
            )
            for deed in entities.prefetch_related("stages")
        ]

    def check_new(self, entry: Entry, context: Context) -> list[Refusal]:
        refusals = []
        row: DeedRow = entry.source
        if not context.may_write(row.unit_id):
            refusals.append(
                (row.row, "責任單位", _("you do not keep this unit's ledger"))
            )
        if row.status != DeedStatus.IN_PROGRESS:
            refusals.append(
                (
                    row.row,
                    "狀態",
                    _(
                        "a new deed is in progress (推進中); the office verifies "
                        "the rest"
                    ),
                )
            )
        if row.progress == 100:
            refusals.append(
                (
                    row.row,
                    "進度(%)",
                    _("a finished deed is reported, then verified, not imported"),
                )
            )
        days = [("完成時限", row.deadline)] + [
            ("分步計劃", s.due_on) for s in row.stages
        ]
        for column, day in days:
            if not context.in_period(day):
                refusals.append((row.row, column, context.period_error(day)))
        return refusals

    def check_change(
        self, entry: Entry, found: Entry, changes: list[Change], context: Context
    ) -> list[Refusal]:
        row: DeedRow = entry.source
        deed: PracticalDeed = found.source
        refusals = self.not_updatable(changes)
        if deed.status != DeedStatus.IN_PROGRESS:
            refusals.append(
                (
                    row.row,
                    "狀態",
                    _(
                        "only deeds in progress (推進中) can be changed by import; the "
                        "office verifies the rest"
                    ),
                )
            )
        refusals += _progress_refusals(
            row.row,
            "進度(%)",
            str(deed.progress),
            str(row.progress),
            _("a finished deed is reported, then verified, not imported"),
        )
        if row.deadline != deed.deadline and not context.in_period(row.deadline):
            refusals.append((row.row, "完成時限", context.period_error(row.deadline)))
        return refusals

    def write(
        self, campaign: Campaign, plan: Plan, actor: Person, progress: Any
    ) -> None:
        now = timezone.now()
        rows: list[DeedRow] = [entry.source for entry, _planned in plan.new]
        keys = insert_rows(
            PracticalDeed,
            (
                "unit_id",
                "title",
                "deed_class",
                "beneficiaries",
                "target",
                "deadline",
                "progress",
            ),
            [
                (
                    r.unit_id,
                    r.title,
                    r.deed_class,
                    r.beneficiaries,
                    r.target,
                    r.deadline,
                    r.progress,
                )
                for r in rows
            ],
            campaign=campaign,
        )
        insert_rows(
            DeedStage,
            ("deed_id", "sequence", "name", "due_on"),
            [
                (key, index, stage.name, stage.due_on)
                for key, row in zip(keys, rows, strict=True)
                for index, stage in enumerate(row.stages, start=1)
            ],
        )
        for key, (_entry, planned) in zip(keys, plan.new, strict=True):
            planned.key = key
        self.audit_rows(self.created, actor, campaign, plan.new)
        for entry, found, _planned in plan.changed:
            row, deed = entry.source, found.source
            if row.progress > deed.progress:
                DeedUpdate.objects.create(
                    deed=deed,
                    on=timezone.localdate(now),
                    percent=row.progress,
                    note=_("Imported from Excel"),
                    reported_by=actor,
                )
            deed.title = row.title
            deed.beneficiaries = row.beneficiaries
            deed.target = row.target
            deed.deadline = row.deadline
            deed.progress = row.progress
            deed.save(
                update_fields=[
                    "title",
                    "beneficiaries",
                    "target",
                    "deadline",
                    "progress",
                ]
            )
            record(deed, self.changed, actor=actor, data={"row": row.row})


PROBLEMS, VISITS, DEEDS = Problems(), Visits(), Deeds()
LEDGERS: dict[str, Ledger] = {
    ledger.name: ledger for ledger in (PROBLEMS, VISITS, DEEDS)
}


def plan_deeds(
    campaign: Campaign, sheet: Sheet, actor: Person, *, lock: bool = False
) -> Plan:
    return plan(DEEDS, campaign, sheet, actor, lock=lock)


def import_deeds(campaign: Campaign, sheet: Sheet, *, actor: Person) -> Plan:
    return store(DEEDS, campaign, sheet, actor=actor)


def read(
    name: str,
    campaign: Campaign,
    upload: IO[bytes],
    filename: str,
    progress: Report | None = None,
) -> Sheet:
    return LEDGERS[name].read(campaign, upload, filename, progress)
