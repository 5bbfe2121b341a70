"""State changes of a campaign's structure: one function each, audited."""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import record
from campaigns.models import (
    Body,
    BodyKind,
    Campaign,
    CampaignStatus,
    MainTask,
    Meeting,
    Phase,
    Position,
    Requirement,
)
from campaigns.roles import CampaignRole
from core.errors import Refused
from org.models import Organisation, Person


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


def _next_sequence(parent: Any, rows: Any) -> int:
    """The next sequence number among a parent's rows; locking the parent row makes
    two concurrent additions queue instead of taking the same number."""
    list(type(parent).objects.select_for_update().filter(pk=parent.pk).values("pk"))
    last = rows.order_by("-sequence").values_list("sequence", flat=True).first()
    return (last or 0) + 1
