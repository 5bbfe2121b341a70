"""The demand's lifecycle: one function per transition.

Each checks the actor's role and the demand's state, locks the row, writes in one
transaction, records the audit entry (personal data left out) and queues the
notices, and adds any change of a counted field to the figures' rollup. A
transition whose state changed under it (another handler acted first) raises
``Conflict`` and changes nothing.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import record
from campaigns.models import Campaign
from campaigns.recipients import (
    leading_group_people,
    office_people,
    unit_heads,
    unit_people,
)
from core.errors import Conflict, Refused
from core.locking import locked_in
from core.masking import scrub_numbers
from demands import deadlines, duplicates, numbering, reply_checks, rollup, tasks
from demands.access import is_handler, is_office
from demands.documents import notice_docx
from demands.models import (
    OPEN_STATUSES,
    STAFF_CHANNELS,
    Area,
    Attachment,
    Category,
    Channel,
    Demand,
    DemandStatus,
    ExtensionRequest,
    ExtensionStatus,
    NoticeKind,
    Rating,
    ReminderNotice,
    ReturnVisit,
    Supervision,
    SupervisionLevel,
    hash_query_code,
    new_query_code,
)
from files.evidence import CheckedUpload
from notify.actions import notify_on_commit, rewrite_notices
from org.models import Person, Unit


def _demand_link(demand: Demand) -> str:
    """Where a notice about the demand points: its back-office page, once the
    admin screens register ``demands_office:detail``."""
    try:
        return reverse("demands_office:detail", args=[demand.pk])
    except NoReverseMatch:
        return ""


def _locked(demand: Demand, *allowed: str) -> Demand:
    return locked_in(
        demand,
        allowed,
        changed=gettext_lazy(
            "The demand is now “%(status)s”; someone else has acted on it."
        ),
        refusal=_merged_refusal,
    )


def _merged_refusal(fresh: Demand) -> Exception | None:
    return _merged(fresh) if fresh.status == DemandStatus.MERGED else None


def _merged(demand: Demand) -> Refused:
    """The refusal of a step on a demand merged into a parent order: it is handled
    there, and split off first to be handled on its own."""
    return Refused(
        gettext_lazy(
            "This demand is merged into another and is handled there; split it off "
            "first to handle it on its own."
        ),
        code="merged",
    )


def _locked_for_handler(demand: Demand, actor: Person, *allowed: str) -> Demand:
    """Lock the demand, then check that the actor acts for its unit. The check reads
    the locked row: meanwhile the demand may have been returned and sent elsewhere."""
    fresh = _locked(demand, *allowed)
    _require(is_handler(actor, fresh))
    return fresh


def _withdraw_pending_extensions(demand: Demand, note: str) -> None:
    """A request for more time lapses when the unit no longer needs it (it replied)
    or no longer holds the demand (it returned it): nobody may approve it later."""
    demand.extension_requests.filter(status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REFUSED, decided_at=timezone.now(), decision_note=note
    )


def _self_service_submitter(channel: str, actor: Person | None) -> Person | None:
    """The signed-in person who filed a demand themselves. A demand staff take in by
    phone, letter or visit is the caller's, not the clerk's (the audit entry names the
    clerk)."""
    if channel in STAFF_CHANNELS or actor is None or not actor.is_authenticated:
        return None
    return actor


def _missing(field: str, message: Promise) -> Refused:
    """The refusal of a step taken without the text it needs."""
    return Refused(message, code="required", field=field)


def _foreign_unit() -> Refused:
    return Refused(
        gettext_lazy("The unit belongs to another organisation."),
        code="foreign_unit",
        field="unit",
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _notify_on_commit(
    recipients: QuerySet[Person], demand: Demand, message: str | Promise
) -> None:
    """Tell ``recipients`` (chosen now, inside the transaction) once it commits."""
    ids = list(recipients.values_list("pk", flat=True))
    if not ids:
        return
    link = _demand_link(demand)
    notify_on_commit(ids, message, link)


def _message(text: str | Promise, demand: Demand, **extra: Any) -> str | Promise:
    return format_lazy(text, number=demand.tracking_no, title=demand.title, **extra)


# No savepoint when nested (the idempotent API submission, a research finding
# raised as a demand): each caller lets a failure roll back its whole transaction,
# so a savepoint would only cost two round trips (SAVEPOINT, RELEASE).
@transaction.atomic(savepoint=False)
def submit_demand(
    campaign: Campaign,
    *,
    kind: str,
    title: str,
    content: str,
    urgency: str,
    channel: str = Channel.WEB,
    category: Category | None = None,
    area: Area | None = None,
    location: str = "",
    point: tuple[Decimal, Decimal] | None = None,
    submitter_name: str = "",
    submitter_phone: str = "",
    submitter_email: str = "",
    allow_publish: bool = False,
    attachments: Sequence[CheckedUpload] = (),
    raised_by_unit: Unit | None = None,
    actor: Person | None = None,
) -> tuple[Demand, str]:
    """File a demand; returns it with its query code, which is shown once and stored
    only as a keyed hash."""
    if category is not None and category.campaign_id != campaign.pk:
        raise Refused(
            gettext_lazy("This category belongs to another campaign."),
            code="foreign_category",
            field="category",
        )
    if area is not None and area.campaign_id != campaign.pk:
        raise Refused(
            gettext_lazy("This place belongs to another campaign."),
            code="foreign_area",
            field="area",
        )
    now = timezone.now()
    code = new_query_code()
    demand = Demand(
        campaign=campaign,
        kind=kind,
        title=title,
        content=content,
        urgency=urgency,
        channel=channel,
        category=category,
        main_task_id=category.main_task_id if category else None,
        area=area,
        location=location,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        submitter_name=submitter_name,
        submitter_phone=submitter_phone,
        submitter_email=submitter_email,
        submitter=_self_service_submitter(channel, actor),
        allow_publish=allow_publish,
        raised_by_unit=raised_by_unit,
        submitted_at=now,
        dispatch_due=deadlines.dispatch_due(urgency, now),
        query_code_hash=hash_query_code(code),
    )
    # The number comes from the primary key, reserved before the INSERT, so
    # concurrent submissions never share one and no counter row becomes a point
    # of contention.
    demand.pk = numbering.reserve_demand_pk()
    demand.tracking_no = f"{timezone.localtime(now):%Y%m%d}{demand.pk:07d}"
    checked_now = not tasks.check_new_demands.get_backend().supports_defer
    demand.duplicate_checked = checked_now
    demand.save(force_insert=True)
    _attach(demand, attachments)
    record(
        demand,
        "sanfu.demand.submit",
        actor=actor,
        data={"channel": channel, "kind": kind, "urgency": urgency},
    )
    # The office's duplicate hint is looked for by a worker, not while the
    # submitter waits (it reads up to a few hundred recent demands), and for the
    # demands of a few seconds at once (tasks.schedule_duplicate_check); a queue
    # that runs tasks at once (development, tests) checks this one now.
    if checked_now:
        tasks.flag_possible_duplicate.enqueue(demand.pk)
    else:
        transaction.on_commit(tasks.schedule_duplicate_check)
    # Where the campaign dispatches on the routing suggestion, it is made once the
    # demand is stored for good; elsewhere the office's page makes it when the
    # office opens the demand (no task per submission for a hint read later).
    if campaign.auto_dispatch_percent is not None:
        pk = demand.pk
        transaction.on_commit(lambda: tasks.suggest_routing.enqueue(pk))
    # Last before the commit: the upsert locks the day's rollup row, which every
    # submission of the day to the campaign (and main task) writes, until the
    # commit; written first, it held the others back through the statements above.
    rollup.count_new(demand)
    return demand, code


def check_new_demands(*, filed_before: datetime.datetime | None = None) -> int:
    """Look for a possible duplicate of every demand not checked yet (those filed
    before ``filed_before`` when given), oldest key first, a batch at a time, and
    mark them checked; returns how many were checked. Two runs at once only repeat
    each other's work: flagging is done once, under the demand's lock."""
    pending = Demand.objects.filter(duplicate_checked=False)
    if filed_before is not None:
        pending = pending.filter(submitted_at__lt=filed_before)
    checked = 0
    while batch := list(
        pending.order_by("pk").only(*duplicates.READS)[: duplicates.BATCH]
    ):
        originals = duplicates.possible_duplicates(batch)
        for demand in batch:
            if demand.pk in originals:
                _flag(demand, originals[demand.pk])
        Demand.objects.filter(pk__in=[demand.pk for demand in batch]).update(
            duplicate_checked=True
        )
        checked += len(batch)
    return checked


def flag_possible_duplicate(demand: Demand) -> Demand:
    """Mark a demand as a possible duplicate of an earlier open one (same phone
    number, or nearly the same text), for the office to see; no change when it
    repeats none or is already marked. Most demands repeat none: the search takes
    no lock and, run by the worker, no transaction (it only reads); only a find is
    written, in a transaction, under the demand's lock. Run at once inside a
    submission (django-tasks' immediate backend), all of it is in a savepoint: a
    failure here rolls back to it, not the submission."""
    if demand.possible_duplicate_of_id is not None:
        return demand
    if connection.in_atomic_block:
        with transaction.atomic():
            return _flag_if_repeated(demand)
    return _flag_if_repeated(demand)


def _flag_if_repeated(demand: Demand) -> Demand:
    original = duplicates.possible_duplicates([demand]).get(demand.pk)
    return demand if original is None else _flag(demand, original)


@transaction.atomic
def _flag(demand: Demand, original_pk: int) -> Demand:
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if demand.possible_duplicate_of_id is not None:  # marked meanwhile
        return demand
    original = Demand.objects.only("tracking_no").filter(pk=original_pk).first()
    if original is None:  # deleted meanwhile
        return demand
    demand.possible_duplicate_of = original
    demand.save(update_fields=["possible_duplicate_of"])
    record(
        demand,
        "sanfu.demand.flag_duplicate",
        data={"duplicate_of": original.tracking_no},
    )
    return demand


def _send_to(demand: Demand, unit: Unit, now: datetime.datetime) -> None:
    """Hand the demand to ``unit`` as of ``now``: its deadlines start afresh (time
    another unit was granted was that unit's own)."""
    demand.unit = unit
    demand.extension_days = 0
    demand.status = DemandStatus.DISPATCHED
    demand.dispatched_at = now
    demand.accepted_at = None
    demand.accept_due = deadlines.accept_due(now)
    demand.reply_due = deadlines.reply_due(demand, now)
    demand.save(
        update_fields=[
            "unit",
            "status",
            "dispatched_at",
            "accepted_at",
            "accept_due",
            "reply_due",
            "extension_days",
        ]
    )


def _end_supervisions(demand: Demand, now: datetime.datetime) -> None:
    """The demand leaves its unit: the supervisions watching that unit end."""
    demand.supervisions.filter(ended_at__isnull=True).update(ended_at=now)


def _take_back(demand: Demand, now: datetime.datetime) -> None:
    """Take the demand from its unit back to the office's dispatch queue: it no
    longer counts for that unit, its supervisions end, and its dispatch deadline
    starts afresh."""
    _end_supervisions(demand, now)
    demand.status = DemandStatus.RETURNED
    demand.unit = None
    demand.dispatched_at = demand.accepted_at = None
    demand.accept_due = demand.reply_due = None
    demand.dispatch_due = deadlines.dispatch_due(demand.urgency, now)
    # the time the unit asked for was its own; the next unit starts afresh
    demand.extension_days = 0
    demand.save(
        update_fields=[
            "status",
            "unit",
            "dispatched_at",
            "accepted_at",
            "accept_due",
            "reply_due",
            "dispatch_due",
            "extension_days",
        ]
    )


@transaction.atomic
def dispatch_demand(
    demand: Demand, unit: Unit, *, actor: Person, note: str = ""
) -> Demand:
    _require(is_office(actor, demand))
    return _dispatch(demand, unit, actor=actor, data={"unit": unit.name, "note": note})


@transaction.atomic
def dispatch_automatically(demand: Demand, unit: Unit, *, confidence: float) -> Demand:
    """Dispatch a new demand to the unit its routing suggestion names, without a
    person: only where the campaign switched it on and the suggestion's confidence
    reaches the campaign's threshold (``demands.routing.actions``). The history
    names no one and says it was automatic."""
    threshold = demand.campaign.auto_dispatch_percent
    if threshold is None or confidence * 100 < threshold:
        raise PermissionDenied
    note = _("Dispatched automatically: the suggestion's confidence was %(p)d%%.") % {
        "p": round(confidence * 100)
    }
    data = {"unit": unit.name, "note": note, "automatic": True}
    return _dispatch(
        demand, unit, actor=None, data=data, allowed=(DemandStatus.SUBMITTED,)
    )


def _dispatch(
    demand: Demand,
    unit: Unit,
    *,
    actor: Person | None,
    data: dict[str, Any],
    allowed: Sequence[str] = (DemandStatus.SUBMITTED, DemandStatus.RETURNED),
) -> Demand:
    if unit.organisation_id != demand.campaign.organisation_id:
        raise _foreign_unit()
    demand = _locked(demand, *allowed)
    with rollup.counting(demand):
        _send_to(demand, unit, timezone.now())
    record(demand, "sanfu.demand.dispatch", actor=actor, data=data)
    _notify_on_commit(
        unit_people(unit.pk),
        demand,
        _message(
            gettext_lazy("Demand {number} “{title}” was dispatched to your unit."),
            demand,
        ),
    )
    return demand


@transaction.atomic
def accept_demand(demand: Demand, *, actor: Person) -> Demand:
    demand = _locked_for_handler(demand, actor, DemandStatus.DISPATCHED)
    with rollup.counting(demand):
        demand.status = DemandStatus.ACCEPTED
        demand.accepted_at = timezone.now()
        demand.save(update_fields=["status", "accepted_at"])
    record(demand, "sanfu.demand.accept", actor=actor)
    return demand


@transaction.atomic
def return_demand(demand: Demand, *, reason: str, actor: Person) -> Demand:
    """The unit sends back a demand that is not theirs (退回), for re-dispatch."""
    if not reason.strip():
        raise _missing("reason", gettext_lazy("A return needs a reason."))
    demand = _locked_for_handler(
        demand, actor, DemandStatus.DISPATCHED, DemandStatus.ACCEPTED
    )
    unit = demand.unit
    with rollup.counting(demand):
        _take_back(demand, timezone.now())
    _withdraw_pending_extensions(demand, _("Withdrawn: the demand was returned."))
    record(
        demand,
        "sanfu.demand.return",
        actor=actor,
        data={"unit": unit.name if unit else "", "reason": reason},
    )
    _notify_on_commit(
        office_people(demand.campaign_id),
        demand,
        _message(
            gettext_lazy("{unit} returned demand {number} “{title}”: {reason}"),
            demand,
            unit=unit.name if unit else "",
            reason=reason,
        ),
    )
    return demand


# the states in which the office may take a demand from its unit: dispatched or
# accepted, not yet replied (a reply is the unit's answer; a reopened demand is
# the same unit's to answer again)
RECALLABLE = (DemandStatus.DISPATCHED, DemandStatus.ACCEPTED)


@transaction.atomic
def recall_demand(demand: Demand, *, reason: str, actor: Person) -> Demand:
    """The office pulls a dispatched demand back to its dispatch queue (撤回), for
    a unit that cannot take it (no account, the wrong unit): the unit is told, and
    the demand no longer counts for it."""
    _require(is_office(actor, demand))
    if not reason.strip():
        raise _missing("reason", gettext_lazy("A recall needs a reason."))
    demand = _locked(demand, *RECALLABLE)
    unit = demand.unit
    with rollup.counting(demand):
        _take_back(demand, timezone.now())
    _withdraw_pending_extensions(
        demand, _("Withdrawn: the office recalled the demand.")
    )
    record(
        demand,
        "sanfu.demand.recall",
        actor=actor,
        data={"unit": unit.name if unit else "", "reason": reason},
    )
    _notify_on_commit(
        unit_people(unit.pk if unit else None),
        demand,
        _message(
            gettext_lazy("The office recalled demand {number} “{title}”: {reason}"),
            demand,
            reason=reason,
        ),
    )
    return demand


@transaction.atomic
def reassign_demand(
    demand: Demand, unit: Unit, *, reason: str, actor: Person
) -> Demand:
    """The office sends a dispatched demand to another unit (改派): the old unit
    is told it was taken away, the new one that it has it, with deadlines that
    start at the reassignment."""
    _require(is_office(actor, demand))
    if not reason.strip():
        raise _missing("reason", gettext_lazy("A reassignment needs a reason."))
    if unit.organisation_id != demand.campaign.organisation_id:
        raise _foreign_unit()
    demand = _locked(demand, *RECALLABLE)
    old = demand.unit
    if old is not None and old.pk == unit.pk:
        raise Refused(
            gettext_lazy("The demand is already with this unit."),
            code="same_unit",
            field="unit",
        )
    now = timezone.now()
    _end_supervisions(demand, now)
    with rollup.counting(demand):
        _send_to(demand, unit, now)
    _withdraw_pending_extensions(
        demand, _("Withdrawn: the office reassigned the demand.")
    )
    record(
        demand,
        "sanfu.demand.reassign",
        actor=actor,
        data={
            "from_unit": old.name if old else "",
            "unit": unit.name,
            "reason": reason,
        },
    )
    _notify_on_commit(
        unit_people(old.pk if old else None),
        demand,
        _message(
            gettext_lazy(
                "The office reassigned demand {number} “{title}” to {unit}: {reason}"
            ),
            demand,
            unit=unit.name,
            reason=reason,
        ),
    )
    _notify_on_commit(
        unit_people(unit.pk),
        demand,
        _message(
            gettext_lazy(
                "Demand {number} “{title}” was reassigned to your unit: {reason}"
            ),
            demand,
            reason=reason,
        ),
    )
    return demand


def _locked_pair(demand: Demand, parent: Demand) -> tuple[Demand, Demand]:
    """Lock a demand and its parent order, the lower key first (every writer
    locks two demands in one order, so two merges never wait on each other)."""
    rows = Demand.objects.select_for_update().filter(pk__in=[demand.pk, parent.pk])
    locked = {row.pk: row for row in rows.order_by("pk")}
    return locked[demand.pk], locked[parent.pk]


@transaction.atomic
def merge_demand(
    demand: Demand, parent: Demand, *, reason: str = "", actor: Person
) -> Demand:
    """The office merges a duplicate into a parent order (合併): the duplicate waits
    for the parent's reply, which reaches its requester as a reply of its own
    (``_reply_merged``); it can no longer be dispatched or answered separately,
    and the figures count the parent once. ``split_demand`` undoes it."""
    _require(is_office(actor, demand))
    if parent.pk == demand.pk:
        raise Refused(
            gettext_lazy("A demand cannot be merged into itself."),
            code="same_demand",
            field="parent",
        )
    if parent.campaign_id != demand.campaign_id:
        raise Refused(
            gettext_lazy("The parent order belongs to another campaign."),
            code="other_campaign",
            field="parent",
        )
    demand, parent = _locked_pair(demand, parent)
    if demand.merged_into_id is not None:
        raise _merged(demand)
    if demand.status not in OPEN_STATUSES:
        raise Refused(
            gettext_lazy("Only an open demand can be merged into another."),
            code="not_open",
        )
    if demand.merged_children.exists():
        raise Refused(
            gettext_lazy(
                "Other demands are merged into this one: split them off first, or "
                "merge them into the other demand."
            ),
            code="has_merged",
        )
    if parent.merged_into_id is not None or parent.status not in OPEN_STATUSES:
        raise Refused(
            gettext_lazy(
                "The parent order must be an open demand that is not merged itself."
            ),
            code="parent_not_open",
            field="parent",
        )
    now = timezone.now()
    with rollup.counting(demand):
        demand.status_before_merge = demand.status
        demand.status = DemandStatus.MERGED
        demand.merged_into = parent
        demand.merged_at = now
        demand.save(
            update_fields=["status_before_merge", "status", "merged_into", "merged_at"]
        )
    _withdraw_pending_extensions(
        demand, _("Withdrawn: the demand was merged into another.")
    )
    _record_pair(
        demand,
        parent,
        ("sanfu.demand.merge", "sanfu.demand.merge_receive"),
        reason=reason,
        actor=actor,
        message=gettext_lazy(
            "Demand {number} “{title}” was merged into demand {parent}: it is "
            "answered with it."
        ),
    )
    return demand


def _record_pair(
    demand: Demand,
    parent: Demand,
    names: tuple[str, str],
    *,
    reason: str,
    actor: Person,
    message: Promise,
) -> None:
    """Audit a merge or a split on both demands (``names``: the child's action,
    the parent's), and tell the unit that holds the child."""
    data = {"merged_into": parent.tracking_no, "reason": reason}
    record(demand, names[0], actor=actor, data=data)
    data = {"merged": demand.tracking_no, "reason": reason}
    record(parent, names[1], actor=actor, data=data)
    _notify_on_commit(
        unit_people(demand.unit_id),
        demand,
        _message(message, demand, parent=parent.tracking_no),
    )


@transaction.atomic
def split_demand(demand: Demand, *, reason: str = "", actor: Person) -> Demand:
    """Undo a merge (拆分): the demand leaves its parent order and is back where it
    was when merged, counted on its own again. Only before the parent's reply
    reached it: a reply once given stays given."""
    _require(is_office(actor, demand))
    # the parent as stored now (the caller's copy may predate the merge)
    parent = Demand.objects.filter(merged_children=demand.pk).first()
    if parent is None:
        raise Refused(
            gettext_lazy("This demand is not merged into another."),
            code="not_merged",
        )
    demand, parent = _locked_pair(demand, parent)
    if demand.merged_into_id != parent.pk:
        raise Conflict(_("The demand was split off or merged elsewhere meanwhile."))
    if demand.status != DemandStatus.MERGED:
        raise Refused(
            gettext_lazy(
                "The parent order's reply has reached this demand: it can no longer "
                "be split off."
            ),
            code="replied",
        )
    with rollup.counting(demand):
        demand.status = demand.status_before_merge or DemandStatus.SUBMITTED
        demand.status_before_merge = ""
        demand.merged_into = None
        demand.merged_at = None
        demand.save(
            update_fields=["status", "status_before_merge", "merged_into", "merged_at"]
        )
    _record_pair(
        demand,
        parent,
        ("sanfu.demand.split", "sanfu.demand.split_off"),
        reason=reason,
        actor=actor,
        message=gettext_lazy(
            "Demand {number} “{title}” was split off demand {parent}: your unit "
            "answers it on its own again."
        ),
    )
    return demand


@transaction.atomic
def request_extension(
    demand: Demand, *, days: int, reason: str, actor: Person
) -> ExtensionRequest:
    if not reason.strip():
        raise _missing("reason", gettext_lazy("An extension needs a reason."))
    demand = _locked_for_handler(
        demand, actor, DemandStatus.ACCEPTED, DemandStatus.REOPENED
    )
    if demand.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise Conflict(_("An extension request for this demand is already pending."))
    extension = demand.extension_requests.create(
        days=days, reason=reason, requested_by=actor
    )
    record(
        demand,
        "sanfu.demand.extension_request",
        actor=actor,
        data={"days": days, "reason": reason},
    )
    _notify_on_commit(
        office_people(demand.campaign_id),
        demand,
        _message(
            gettext_lazy(
                "{unit} asks {days} more working days for demand {number} “{title}”."
            ),
            demand,
            unit=demand.unit.name if demand.unit else "",
            days=days,
        ),
    )
    return extension


@transaction.atomic
def decide_extension(
    extension: ExtensionRequest, *, approve: bool, actor: Person, note: str = ""
) -> ExtensionRequest:
    _require(is_office(actor, extension.demand))
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if extension.status != ExtensionStatus.PENDING:
        raise Conflict(_("This extension request has already been decided."))
    demand = _locked(extension.demand, DemandStatus.ACCEPTED, DemandStatus.REOPENED)
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_note = note
    extension.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note"]
    )
    if approve:
        with rollup.counting(demand):
            demand.extension_days += extension.days
            assert demand.reply_due is not None
            demand.reply_due = deadlines.extend(demand.reply_due, extension.days)
            demand.save(update_fields=["extension_days", "reply_due"])
    record(
        demand,
        "sanfu.demand.extension_decide",
        actor=actor,
        data={"days": extension.days, "approved": approve, "note": note},
    )
    decision = (
        gettext_lazy("Your extension for demand {number} “{title}” was approved.")
        if approve
        else gettext_lazy("Your extension for demand {number} “{title}” was refused.")
    )
    _notify_on_commit(
        Person.objects.filter(pk=extension.requested_by_id),
        demand,
        _message(decision, demand),
    )
    return extension


def _attach(
    demand: Demand, uploads: Sequence[CheckedUpload], *, from_reply: bool = False
) -> None:
    for upload in uploads:
        Attachment.objects.create(
            demand=demand, from_reply=from_reply, **upload.stored_fields()
        )


@transaction.atomic
def reply_demand(
    demand: Demand,
    *,
    reply: str,
    solved: bool,
    actor: Person,
    photos: Sequence[CheckedUpload] = (),
) -> Demand:
    """The unit's reply, with what the checks before sending found missing in it
    (``demands.reply_checks``): a flagged reply is sent all the same, the flags
    stored with it for the office. ``photos``: the unit's photos of the site."""
    if not reply.strip():
        raise _missing("reply", gettext_lazy("A reply needs text."))
    demand = _locked_for_handler(
        demand, actor, DemandStatus.ACCEPTED, DemandStatus.REOPENED
    )
    flags = reply_checks.check_reply(demand, reply, photos=len(photos))
    with rollup.counting(demand):
        demand.status = DemandStatus.REPLIED
        demand.reply = reply
        demand.solved = solved
        demand.replied_at = timezone.now()
        demand.reply_flags = [flag.as_data() for flag in flags]
        demand.reply_flagged = bool(flags)
        demand.save(
            update_fields=[
                "status",
                "reply",
                "solved",
                "replied_at",
                "reply_flags",
                "reply_flagged",
            ]
        )
    _attach(demand, photos, from_reply=True)
    _withdraw_pending_extensions(demand, _("Withdrawn: the demand was replied."))
    record(
        demand,
        "sanfu.demand.reply",
        actor=actor,
        data={
            "solved": solved,
            "flags": [flag.code for flag in flags],
            "photos": len(photos),
        },
    )
    _reply_merged(demand, actor=actor)
    return demand


# the children a parent's reply reaches: those waiting for it, and those answered
# by its first reply and not rated yet (a reopened parent's second reply)
_AWAITING_PARENT = (DemandStatus.MERGED, DemandStatus.REPLIED)


def _reply_merged(parent: Demand, *, actor: Person) -> None:
    """Pass the parent's reply on to the demands merged into it: each is replied as
    the parent is, by the parent's unit, and its requester sees the reply, gets
    the return visit and rates it on their own. Their counts do not change: the
    figures count them with the parent (``Demand.counted``)."""
    children = Demand.objects.select_for_update().filter(
        merged_into=parent, status__in=_AWAITING_PARENT
    )
    for child in children.order_by("pk"):
        child.status = DemandStatus.REPLIED
        child.unit = parent.unit
        child.reply = parent.reply
        child.solved = parent.solved
        child.replied_at = parent.replied_at
        child.save(update_fields=["status", "unit", "reply", "solved", "replied_at"])
        record(
            child,
            "sanfu.demand.reply",
            actor=actor,
            data={"solved": parent.solved, "merged_into": parent.tracking_no},
        )


@transaction.atomic
def rate_demand(demand: Demand, *, rating: str, actor: Person | None = None) -> Demand:
    """The submitter's rating (or the office's, at the return visit, 回訪).

    不了解 is recorded but leaves the demand waiting for a real rating. An unsatisfied
    rating reopens the demand once (重辦); the second time it closes as unsatisfied.
    """
    if actor is not None and actor.is_authenticated and not is_office(actor, demand):
        _require(demand.submitter_id == actor.pk)
    demand = _locked(demand, DemandStatus.REPLIED)
    if rating == Rating.UNKNOWN:
        record(demand, "sanfu.demand.rate", actor=actor, data={"rating": rating})
        return demand
    now = timezone.now()
    # a merged demand is answered with its parent: its requester's rating is
    # theirs, and an unsatisfied one closes it (the parent's requester reopens
    # the parent order)
    reopens = demand.reopen_count == 0 and demand.merged_into_id is None
    if rating == Rating.UNSATISFIED and reopens:
        with rollup.counting(demand):
            demand.status = DemandStatus.REOPENED
            demand.reopen_count = 1
            demand.first_reply = demand.reply
            demand.reply = ""
            demand.solved = None
            demand.replied_at = None
            # the first reply's flags stay in its audit entry
            demand.reply_flags = []
            demand.reply_flagged = False
            demand.reply_due = deadlines.reply_due(demand, now)
            demand.save(
                update_fields=[
                    "status",
                    "reopen_count",
                    "first_reply",
                    "reply",
                    "solved",
                    "replied_at",
                    "reply_flags",
                    "reply_flagged",
                    "reply_due",
                ]
            )
        record(demand, "sanfu.demand.reopen", actor=actor, data={"rating": rating})
        _notify_on_commit(
            unit_people(demand.unit_id),
            demand,
            _message(
                gettext_lazy(
                    "Demand {number} “{title}” was rated unsatisfied and is reopened."
                ),
                demand,
            ),
        )
        return demand
    with rollup.counting(demand):
        demand.status = DemandStatus.CLOSED
        demand.rating = rating
        demand.rated_at = demand.closed_at = now
        demand.save(update_fields=["status", "rating", "rated_at", "closed_at"])
    record(demand, "sanfu.demand.rate", actor=actor, data={"rating": rating})
    return demand


@transaction.atomic
def close_unrated(
    demand: Demand, *, actor: Person | None = None, now: datetime.datetime | None = None
) -> Demand:
    """Close a replied demand whose submitter did not rate it in time (``now`` is
    for the sweep, which runs against a given moment)."""
    now = now or timezone.now()
    demand = _locked(demand, DemandStatus.REPLIED)
    window = datetime.timedelta(days=settings.SANFU_DEMANDS["RATING_WINDOW_DAYS"])
    assert demand.replied_at is not None
    if now < demand.replied_at + window:
        raise Conflict(_("The demand is still waiting for its rating."))
    demand.status = DemandStatus.CLOSED
    demand.closed_at = now
    demand.save(update_fields=["status", "closed_at"])
    record(demand, "sanfu.demand.close_unrated", actor=actor)
    return demand


@transaction.atomic
def supervise_demand(
    demand: Demand,
    *,
    note: str,
    actor: Person,
    level: str = SupervisionLevel.OFFICE,
    days: int | None = None,
) -> Supervision:
    """The office puts an open demand under supervision (督辦) and tells the unit;
    with ``days``, the unit has that many working days before the supervision is
    escalated (``escalate_supervision``)."""
    _require(is_office(actor, demand))
    if not note.strip():
        raise _missing("note", gettext_lazy("A supervision needs a note."))
    if days is not None and days < 1:
        raise Refused(
            gettext_lazy("A supervision deadline is at least one working day."),
            code="too_short",
            field="days",
        )
    demand = _locked(demand, *OPEN_STATUSES)
    now = timezone.now()
    supervision = Supervision.objects.create(
        demand=demand,
        by=actor,
        note=note,
        level=level,
        created_at=now,
        due_at=deadlines.extend(now, days) if days else None,
    )
    data: dict[str, Any] = {"level": level, "note": note}
    if days:
        data["days"] = days
    record(demand, "sanfu.demand.supervise", actor=actor, data=data)
    _notify_on_commit(
        unit_people(demand.unit_id),
        demand,
        _message(
            gettext_lazy("The office is supervising demand {number} “{title}”: {note}"),
            demand,
            note=note,
        ),
    )
    return supervision


@transaction.atomic
def escalate_supervision(
    supervision: Supervision, *, now: datetime.datetime
) -> Supervision | None:
    """A supervision whose deadline passed with its demand still open goes up to
    the leader's level (領導督辦): the unit's head, the leading group and the office
    are told, once. ``None`` when it was escalated or ended already, has no
    deadline, is not due yet or its demand was answered meanwhile."""
    supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
    if (
        supervision.escalated_at is not None
        or supervision.ended_at is not None
        or supervision.due_at is None
        or supervision.due_at >= now
    ):
        return None
    demand = Demand.objects.select_for_update().get(pk=supervision.demand_id)
    if demand.status not in OPEN_STATUSES:
        return None
    supervision.escalated_at = now
    supervision.level = SupervisionLevel.LEADER
    supervision.save(update_fields=["escalated_at", "level"])
    unit = demand.unit
    record(
        demand,
        "sanfu.demand.supervision_escalate",
        data={
            "unit": unit.name if unit else "",
            "note": supervision.note,
            "level": SupervisionLevel.LEADER,
        },
    )
    _notify_on_commit(
        leading_group_people(demand.campaign_id)
        | office_people(demand.campaign_id)
        | unit_heads(unit.pk if unit else None),
        demand,
        _message(
            gettext_lazy(
                "Escalated: the supervision of demand {number} “{title}” passed "
                "its deadline unanswered ({unit})."
            ),
            demand,
            unit=unit.name if unit else _("not dispatched"),
        ),
    )
    return supervision


@transaction.atomic
def record_return_visit(
    visit: ReturnVisit, *, rating: str, note: str = "", actor: Person
) -> ReturnVisit:
    """The office called the submitter back (回訪) and records the rating they gave,
    which rates the demand on their behalf (an unsatisfied one reopens it)."""
    _require(is_office(actor, visit.demand))
    if rating not in Rating.values:
        raise Refused(
            gettext_lazy("Choose the rating the submitter gave."),
            code="invalid",
            field="rating",
        )
    visit = ReturnVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.done_at is not None:
        raise Conflict(_("This return visit has already been recorded."))
    demand = _locked(visit.demand, DemandStatus.REPLIED)
    if demand.replied_at != visit.replied_at:
        # the submitter rated that reply online and the unit has replied again
        raise Conflict(_("This return visit was for an earlier reply."))
    visit.done_at = timezone.now()
    visit.rating = rating
    visit.note = note
    visit.by = actor
    visit.save(update_fields=["done_at", "rating", "note", "by"])
    record(
        visit.demand,
        "sanfu.demand.return_visit",
        actor=actor,
        data={"rating": rating, "note": note},
    )
    rate_demand(visit.demand, rating=rating, actor=actor)
    return visit


@transaction.atomic
def issue_notice(
    demand: Demand, *, kind: str, now: datetime.datetime
) -> ReminderNotice | None:
    """Write the reminder notice (催辦) or circular (通報) for the deadline the demand
    is missing, once; ``None`` when it has one already or is no longer late (the
    sweep decides when; this only guards against a second sweep or a late act)."""
    demand = _locked(
        demand, DemandStatus.DISPATCHED, DemandStatus.ACCEPTED, DemandStatus.REOPENED
    )
    deadline = demand.current_due()
    if deadline is None or deadline >= now or demand.unit is None:
        return None
    if demand.notices.filter(kind=kind, deadline=deadline).exists():
        return None
    unit = demand.unit
    content = notice_docx(demand, kind=kind, unit=unit, deadline=deadline, now=now)
    notice = ReminderNotice(
        demand=demand, kind=kind, deadline=deadline, unit=unit, created_at=now
    )
    notice.file.save(f"{kind}-{demand.tracking_no}.docx", ContentFile(content))
    record(
        demand,
        "sanfu.demand.notice",
        data={"kind": kind, "unit": unit.name, "deadline": deadline.isoformat()},
    )
    if kind == NoticeKind.CIRCULAR:
        recipients = office_people(demand.campaign_id) | unit_people(unit.pk)
        message = gettext_lazy(
            "Circular: {unit} missed the deadline of demand {number} “{title}”."
        )
    else:
        recipients = unit_people(unit.pk)
        message = gettext_lazy(
            "Reminder: your unit missed the deadline of demand {number} “{title}”."
        )
    _notify_on_commit(recipients, demand, _message(message, demand, unit=unit.name))
    return notice


@transaction.atomic
def schedule_return_visit(
    demand: Demand, *, now: datetime.datetime
) -> ReturnVisit | None:
    """Give the office a return visit (回訪) for the demand's reply, due the working
    day after it; ``None`` if it has one already or needs none."""
    demand = _locked(demand, DemandStatus.REPLIED)
    if not demand.submitter_phone or demand.replied_at is None:
        return None
    if demand.return_visits.filter(replied_at=demand.replied_at).exists():
        return None
    visit = ReturnVisit.objects.create(
        demand=demand,
        replied_at=demand.replied_at,
        due_on=deadlines.workday_after(demand.replied_at),
    )
    record(
        demand,
        "sanfu.demand.return_visit_schedule",
        data={"due_on": visit.due_on.isoformat()},
    )
    _notify_on_commit(
        office_people(demand.campaign_id),
        demand,
        _message(
            gettext_lazy("A return visit is due for demand {number} “{title}”."),
            demand,
        ),
    )
    return visit


def retention_ends(demand: Demand) -> datetime.datetime:
    """When the demand's personal data is due for erasure: the retention after it
    closed or, for one never closed, after its last activity (a demand left in a
    unit's hands for years must not keep its submitter's name and phone forever)."""
    days = settings.SANFU_DEMANDS["PERSONAL_DATA_RETENTION_DAYS"]
    since = demand.closed_at or demand.last_activity_at
    return since + datetime.timedelta(days=days)


@transaction.atomic
def erase_personal_data(
    demand: Demand, *, now: datetime.datetime, actor: Person | None = None
) -> Demand:
    """Erase the submitter's personal data from a demand past its retention
    (``retention_ends``): name, phone, place, account link and attachments go; ID
    and phone numbers in the texts are blanked, and the notices about the demand
    lose its title. What was asked and answered stays, for the ledgers and the
    figures; a demand never closed keeps its state."""
    demand = _locked(demand, *DemandStatus.values)
    ends = retention_ends(demand)
    if demand.personal_data_erased_at is not None:
        raise Conflict(_("The personal data of this demand was erased already."))
    if now < ends:
        raise Conflict(_("The demand's personal data is still within its retention."))
    files = [attachment.file.name for attachment in demand.attachments.all()]
    demand.attachments.all().delete()
    demand.submitter_name = demand.submitter_phone = demand.location = ""
    demand.submitter_email = ""
    demand.latitude = demand.longitude = None
    demand.submitter = None
    demand.title = scrub_numbers(demand.title)
    demand.content = scrub_numbers(demand.content)
    demand.reply = scrub_numbers(demand.reply)
    demand.first_reply = scrub_numbers(demand.first_reply)
    demand.personal_data_erased_at = now
    demand.save(
        update_fields=[
            "submitter_name",
            "submitter_phone",
            "submitter_email",
            "location",
            "latitude",
            "longitude",
            "submitter",
            "title",
            "content",
            "reply",
            "first_reply",
            "personal_data_erased_at",
        ]
    )
    for visit in demand.return_visits.exclude(note=""):
        visit.note = scrub_numbers(visit.note)
        visit.save(update_fields=["note"])
    # the notices were rendered with the title (and a unit's reason, a note)
    link = _demand_link(demand)
    notices = (
        rewrite_notices(
            link,
            format_lazy(
                gettext_lazy(
                    "Demand {number}: its personal data was erased after the "
                    "retention period."
                ),
                number=demand.tracking_no,
            ),
        )
        if link
        else 0
    )
    storage = Attachment._meta.get_field("file").storage

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    record(
        demand,
        "sanfu.demand.erase_personal_data",
        actor=actor,
        data={"attachments": len(files), "notices": notices},
    )
    return demand


def record_contact_view(demand: Demand, *, actor: Person) -> None:
    """Log that ``actor`` was shown the submitter's name and phone number."""
    record(demand, "sanfu.demand.view_contact", actor=actor)


def record_data_request(demand: Demand) -> None:
    """Log that the submitter (number and code proven) took their data away."""
    record(demand, "sanfu.demand.data_request")
