"""State changes of a campaign's structure: one function each, audited."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import record
from campaigns.models import (
    ActionStatus,
    Body,
    BodyKind,
    Campaign,
    CampaignStatus,
    Decision,
    MainTask,
    Meeting,
    Phase,
    Position,
    Requirement,
)
from campaigns.recipients import office_people, unit_people
from campaigns.roles import CampaignRole
from campaigns.seats import OFFICE, acts_for_unit, holds
from core.errors import Refused
from core.locking import locked_in
from notify.actions import notify_on_commit
from org.actors import Viewer
from org.models import Organisation, Person, Unit


@transaction.atomic
def create_campaign(
    organisation: Organisation,
    *,
    name: str,
    slug: str,
    theme: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    slogan: str = "",
    ordered_by: str = "",
    description: str = "",
    status: str = CampaignStatus.DRAFT,
    yellow_card_percent: int | None = None,
    auto_dispatch_percent: int | None = None,
    actor: Person | None,
) -> Campaign:
    campaign = Campaign(
        organisation=organisation,
        name=name,
        slug=slug,
        theme=theme,
        slogan=slogan,
        ordered_by=ordered_by,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        auto_dispatch_percent=auto_dispatch_percent,
    )
    if yellow_card_percent is not None:
        campaign.yellow_card_percent = yellow_card_percent
    campaign.full_clean()
    campaign.save()
    record(campaign, "sanfu.campaign.create", actor=actor, data={"name": name})
    return campaign


@transaction.atomic
def seat_founder(campaign: Campaign, founder: Person) -> Position:
    """The person who started a campaign as director of its office, under a leading
    group, so that the campaign is in their hands until its bodies are filled."""
    group = add_body(
        campaign, kind=BodyKind.LEADING_GROUP, name=_("Leading group"), actor=founder
    )
    office = add_body(
        campaign,
        kind=BodyKind.OFFICE,
        name=_("Leading group office"),
        parent=group,
        actor=founder,
    )
    return appoint(
        founder,
        office,
        title=_("Director"),
        role=CampaignRole.OFFICE_DIRECTOR,
        actor=founder,
    )


@transaction.atomic
def add_phase(
    campaign: Campaign,
    *,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
    actor: Person | None,
) -> Phase:
    sequence = _next_sequence(campaign, campaign.phases)
    phase = campaign.phases.create(
        sequence=sequence,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
    )
    record(phase, "sanfu.campaign.structure", actor=actor, data={"phase": name})
    return phase


@transaction.atomic
def add_main_task(
    campaign: Campaign, *, name: str, description: str = "", actor: Person | None
) -> MainTask:
    sequence = _next_sequence(campaign, campaign.main_tasks)
    task = campaign.main_tasks.create(
        sequence=sequence, name=name, description=description
    )
    record(task, "sanfu.campaign.structure", actor=actor, data={"main_task": name})
    return task


@transaction.atomic
def add_requirement(
    campaign: Campaign, *, text: str, description: str = "", actor: Person | None
) -> Requirement:
    sequence = _next_sequence(campaign, campaign.requirements)
    requirement = campaign.requirements.create(
        sequence=sequence, text=text, description=description
    )
    record(
        requirement, "sanfu.campaign.structure", actor=actor, data={"requirement": text}
    )
    return requirement


@transaction.atomic
def add_body(
    campaign: Campaign,
    *,
    kind: str,
    name: str,
    parent: Body | None = None,
    duties: str = "",
    actor: Person | None,
) -> Body:
    if parent is not None and parent.campaign_id != campaign.pk:
        raise Refused(
            _("A body can only be placed under a body of the same campaign."),
            "parent_elsewhere",
            field="parent",
        )
    sequence = _next_sequence(campaign, campaign.bodies)
    body = campaign.bodies.create(
        kind=kind, name=name, parent=parent, duties=duties, sequence=sequence
    )
    record(body, "sanfu.campaign.structure", actor=actor, data={"body": name})
    return body


@transaction.atomic
def appoint(
    person: Person,
    body: Body,
    *,
    title: str,
    role: str,
    post: str = "",
    actor: Person | None,
) -> Position:
    sequence = _next_sequence(body, body.positions)
    position = body.positions.create(
        person=person, title=title, role=role, post=post, sequence=sequence
    )
    record(
        position,
        "sanfu.position.appoint",
        actor=actor,
        data={"body": body.name, "title": title, "role": role},
    )
    return position


@transaction.atomic
def record_meeting(
    campaign: Campaign,
    *,
    title: str,
    held_on: datetime.date,
    host: Person | None = None,
    place: str = "",
    attendees: list[Person] | None = None,
    attendance_note: str = "",
    agenda: str = "",
    minutes: str = "",
    actor: Person | None,
) -> Meeting:
    meeting = campaign.meetings.create(
        title=title,
        held_on=held_on,
        host=host,
        place=place,
        attendance_note=attendance_note,
        agenda=agenda,
        minutes=minutes,
    )
    if attendees:
        meeting.attendees.set(attendees)
    record(meeting, "sanfu.meeting.record", actor=actor, data={"title": title})
    return meeting


# -- meetings' decisions, tracked as action items -------------------------------------


def _action_items_link() -> str:
    # the list of action items is a screen of the plans' back office (plans.views)
    return reverse("campaign_plans:action_items")


@transaction.atomic
def record_decision(
    meeting: Meeting,
    *,
    text: str,
    deadline: datetime.date,
    owner_person: Person | None = None,
    owner_unit: Unit | None = None,
    is_demo: bool = False,
    actor: Person | None,
) -> Decision:
    """A decision of the meeting, tracked as an action item of its owner."""
    if actor is not None and not holds(actor, meeting.campaign, OFFICE):
        raise PermissionDenied
    decision = Decision(
        meeting=meeting,
        sequence=_next_sequence(meeting, meeting.decisions),
        text=text.strip(),
        deadline=deadline,
        owner_person=owner_person,
        owner_unit=owner_unit,
        is_demo=is_demo,
    )
    decision.full_clean()
    decision.save()
    record(
        decision,
        "sanfu.decision.record",
        actor=actor,
        data={"meeting": meeting.title, "deadline": deadline.isoformat()},
    )
    notify_on_commit(
        [owner_person, *unit_people(decision.owner_unit_id)],
        format_lazy(
            gettext_lazy("An action item is yours, due {deadline}: {text}"),
            deadline=deadline,
            text=decision.text[:80],
        ),
        _action_items_link(),
    )
    return decision


def _may_complete(user: Viewer, decision: Decision) -> bool:
    return (
        holds(user, decision.meeting.campaign, OFFICE)
        or acts_for_unit(user, decision.owner_unit_id)
        or (
            decision.owner_person_id is not None and decision.owner_person_id == user.pk
        )
    )


@transaction.atomic
def complete_action_item(decision: Decision, *, note: str, actor: Person) -> Decision:
    """The owner (or the office) reports an action item done, saying how."""
    if not _may_complete(actor, decision):
        raise PermissionDenied
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what was done.")})
    decision = locked_in(decision, (ActionStatus.OPEN,))
    decision.status = ActionStatus.DONE
    decision.done_note = note
    decision.done_at = timezone.now()
    decision.done_by = actor
    decision.save(update_fields=["status", "done_note", "done_at", "done_by"])
    record(decision, "sanfu.decision.complete", actor=actor, data={"note": note})
    notify_on_commit(
        office_people(decision.meeting.campaign_id),
        format_lazy(gettext_lazy("Action item done: {text}"), text=decision.text[:80]),
        _action_items_link(),
    )
    return decision


def _next_sequence(parent: Any, rows: Any) -> int:
    """The next sequence number among a parent's rows; locking the parent row makes
    two concurrent additions queue instead of taking the same number."""
    list(type(parent).objects.select_for_update().filter(pk=parent.pk).values("pk"))
    last = rows.order_by("-sequence").values_list("sequence", flat=True).first()
    return (last or 0) + 1
