"""The demand's lifecycle: one function per transition.

Each checks the actor's role and the demand's state, locks the row, writes in one
transaction, records the audit entry (personal data left out) and queues the
notices. A transition whose state changed under it (another handler acted first)
raises ``Conflict`` and changes nothing.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record
from campaigns.models import Campaign
from demands import deadlines
from demands.access import is_handler, is_office
from demands.duplicates import find_possible_duplicate
from demands.models import (
    Attachment,
    Category,
    Channel,
    Demand,
    DemandStatus,
    ExtensionRequest,
    ExtensionStatus,
    Rating,
    hash_query_code,
    new_query_code,
)
from demands.uploads import CheckedUpload
from org.models import Unit
from sanfu.lib.errors import Conflict


def _locked(demand: Demand, *allowed: str) -> Demand:
    fresh = Demand.objects.select_for_update().get(pk=demand.pk)
    if fresh.status not in allowed:
        raise Conflict(
            _("The demand is now “%(status)s”; someone else has acted on it.")
            % {"status": fresh.get_status_display()}
        )
    return fresh


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def submit_demand(
    campaign: Campaign,
    *,
    kind: str,
    title: str,
    content: str,
    urgency: str,
    channel: str = Channel.WEB,
    category: Category | None = None,
    location: str = "",
    submitter_name: str = "",
    submitter_phone: str = "",
    allow_publish: bool = False,
    attachments: Sequence[CheckedUpload] = (),
    actor: Any = None,
) -> tuple[Demand, str]:
    """File a demand; returns it with its query code, which is shown once and stored
    only as a keyed hash."""
    if category is not None and category.campaign_id != campaign.pk:
        raise ValueError("the category belongs to another campaign")
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
        main_task=category.main_task if category else None,
        location=location,
        submitter_name=submitter_name,
        submitter_phone=submitter_phone,
        submitter=actor if actor is not None and actor.is_authenticated else None,
        allow_publish=allow_publish,
        submitted_at=now,
        dispatch_due=deadlines.dispatch_due(urgency, now),
        query_code_hash=hash_query_code(code),
    )
    demand.possible_duplicate_of = find_possible_duplicate(demand)
    demand.save()
    # The number comes from the primary key, so concurrent submissions never share
    # one and no counter row becomes a point of contention.
    demand.tracking_no = f"{timezone.localtime(now):%Y%m%d}{demand.pk:07d}"
    demand.save(update_fields=["tracking_no"])
    for upload in attachments:
        Attachment.objects.create(
            demand=demand,
            file=upload.file,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            extension=upload.extension,
        )
    record(
        demand,
        "sanfu.demand.submit",
        actor=actor,
        data={"channel": channel, "kind": kind, "urgency": urgency},
    )
    return demand, code


@transaction.atomic
def dispatch_demand(
    demand: Demand, unit: Unit, *, actor: Any, note: str = ""
) -> Demand:
    _require(is_office(actor, demand))
    if unit.organisation_id != demand.campaign.organisation_id:
        raise ValueError("the unit belongs to another organisation")
    demand = _locked(demand, DemandStatus.SUBMITTED, DemandStatus.RETURNED)
    now = timezone.now()
    demand.unit = unit
    demand.status = DemandStatus.DISPATCHED
    demand.dispatched_at = now
    demand.accept_due = deadlines.accept_due(now)
    demand.reply_due = deadlines.reply_due(demand, now)
    demand.save(
        update_fields=["unit", "status", "dispatched_at", "accept_due", "reply_due"]
    )
    record(
        demand,
        "sanfu.demand.dispatch",
        actor=actor,
        data={"unit": unit.name, "note": note},
    )
    return demand


@transaction.atomic
def accept_demand(demand: Demand, *, actor: Any) -> Demand:
    _require(is_handler(actor, demand))
    demand = _locked(demand, DemandStatus.DISPATCHED)
    demand.status = DemandStatus.ACCEPTED
    demand.accepted_at = timezone.now()
    demand.save(update_fields=["status", "accepted_at"])
    record(demand, "sanfu.demand.accept", actor=actor)
    return demand


@transaction.atomic
def return_demand(demand: Demand, *, reason: str, actor: Any) -> Demand:
    """The unit sends back a demand that is not theirs (退回), for re-dispatch."""
    _require(is_handler(actor, demand))
    if not reason.strip():
        raise ValueError("a return needs a reason")
    demand = _locked(demand, DemandStatus.DISPATCHED, DemandStatus.ACCEPTED)
    unit = demand.unit
    now = timezone.now()
    demand.status = DemandStatus.RETURNED
    demand.unit = None
    demand.dispatched_at = demand.accepted_at = None
    demand.accept_due = demand.reply_due = None
    demand.dispatch_due = deadlines.dispatch_due(demand.urgency, now)
    demand.save(
        update_fields=[
            "status",
            "unit",
            "dispatched_at",
            "accepted_at",
            "accept_due",
            "reply_due",
            "dispatch_due",
        ]
    )
    record(
        demand,
        "sanfu.demand.return",
        actor=actor,
        data={"unit": unit.name if unit else "", "reason": reason},
    )
    return demand


@transaction.atomic
def request_extension(
    demand: Demand, *, days: int, reason: str, actor: Any
) -> ExtensionRequest:
    _require(is_handler(actor, demand))
    if not reason.strip():
        raise ValueError("an extension needs a reason")
    demand = _locked(demand, DemandStatus.ACCEPTED, DemandStatus.REOPENED)
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
    return extension


@transaction.atomic
def decide_extension(
    extension: ExtensionRequest, *, approve: bool, actor: Any, note: str = ""
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
    return extension


@transaction.atomic
def reply_demand(demand: Demand, *, reply: str, solved: bool, actor: Any) -> Demand:
    _require(is_handler(actor, demand))
    if not reply.strip():
        raise ValueError("a reply needs text")
    demand = _locked(demand, DemandStatus.ACCEPTED, DemandStatus.REOPENED)
    demand.status = DemandStatus.REPLIED
    demand.reply = reply
    demand.solved = solved
    demand.replied_at = timezone.now()
    demand.save(update_fields=["status", "reply", "solved", "replied_at"])
    record(demand, "sanfu.demand.reply", actor=actor, data={"solved": solved})
    return demand


@transaction.atomic
def rate_demand(demand: Demand, *, rating: str, actor: Any = None) -> Demand:
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
    if rating == Rating.UNSATISFIED and demand.reopen_count == 0:
        demand.status = DemandStatus.REOPENED
        demand.reopen_count = 1
        demand.first_reply = demand.reply
        demand.reply = ""
        demand.solved = None
        demand.replied_at = None
        demand.reply_due = deadlines.reply_due(demand, now)
        demand.save(
            update_fields=[
                "status",
                "reopen_count",
                "first_reply",
                "reply",
                "solved",
                "replied_at",
                "reply_due",
            ]
        )
        record(demand, "sanfu.demand.reopen", actor=actor, data={"rating": rating})
        return demand
    demand.status = DemandStatus.CLOSED
    demand.rating = rating
    demand.rated_at = demand.closed_at = now
    demand.save(update_fields=["status", "rating", "rated_at", "closed_at"])
    record(demand, "sanfu.demand.rate", actor=actor, data={"rating": rating})
    return demand


@transaction.atomic
def close_unrated(demand: Demand, *, actor: Any = None) -> Demand:
    """Close a replied demand whose submitter did not rate it in time."""
    demand = _locked(demand, DemandStatus.REPLIED)
    window = datetime.timedelta(days=settings.SANFU_DEMANDS["RATING_WINDOW_DAYS"])
    assert demand.replied_at is not None
    if timezone.now() < demand.replied_at + window:
        raise Conflict(_("The demand is still waiting for its rating."))
    demand.status = DemandStatus.CLOSED
    demand.closed_at = timezone.now()
    demand.save(update_fields=["status", "closed_at"])
    record(demand, "sanfu.demand.close_unrated", actor=actor)
    return demand
