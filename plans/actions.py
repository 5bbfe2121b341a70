"""State changes of the work plan, the schedule and unit plans: one function each.

Each checks the actor's role, unit and the row's state, locks the row, writes in one
transaction, records the audit entry and tells the people concerned once the
transaction commits. A step whose row changed under it raises ``Conflict``; bad
input raises ``ValidationError`` naming the field, and nothing is stored.
"""

import datetime
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry

from audit.actions import record
from campaigns.models import Campaign, MainTask
from campaigns.recipients import office_people, unit_people
from campaigns.seats import APPROVERS, OFFICE, acts_for_unit, holders, holds
from core.errors import Conflict
from core.locking import locked_in
from files.uploads import CheckedUpload
from notify.actions import notify_on_commit
from org.actors import Person, Viewer
from org.models import Unit
from plans.models import Measure, Milestone, PlanStatus, UnitPlan, WorkPlanVersion
from text.html import HtmlPolicy
from text.html import sanitise_html as _sanitise

# The structure of a document: paragraphs, lists, headings, tables; no attribute,
# no link.
PLAN_DOCUMENT = HtmlPolicy(
    tags=frozenset(
        {
            "p",
            "br",
            "strong",
            "b",
            "em",
            "i",
            "u",
            "ul",
            "ol",
            "li",
            "h2",
            "h3",
            "h4",
            "blockquote",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
        }
    )
)

M = TypeVar("M", bound=models.Model)


def sanitise_html(html: str) -> str:
    """Keep the structure of a document (paragraphs, lists, headings, tables) and
    drop everything else: scripts, styles, attributes, links."""
    return _sanitise(html, PLAN_DOCUMENT).strip()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _locked(row: M, field: str, *allowed: str) -> M:
    return locked_in(row, allowed, field=field)


def _within_campaign(campaign: Campaign, field: str, day: datetime.date) -> None:
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise ValidationError(
            {
                field: _(
                    "The date must lie within the campaign's period (%(start)s – "
                    "%(end)s)."
                )
                % {"start": campaign.starts_on, "end": campaign.ends_on}
            }
        )


def _comment_required(comment: str) -> str:
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what must change: a return needs a comment.")}
        )
    return comment


# -- the work plan --------------------------------------------------------------------


def _work_plan_link(version: WorkPlanVersion) -> str:
    return reverse("campaign_plans:work_plan_version", args=[version.pk])


@transaction.atomic
def draft_work_plan(
    campaign: Campaign,
    *,
    title: str,
    body: str,
    attachment: CheckedUpload | None = None,
    actor: Person,
) -> WorkPlanVersion:
    """A new version of the campaign's work plan, in draft, by the office."""
    _require(holds(actor, campaign, OFFICE))
    text = sanitise_html(body)
    if not text:
        raise ValidationError({"body": _("The work plan needs its text.")})
    # Locking the campaign queues two drafts made at once instead of numbering both
    # the same.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    last = campaign.work_plan_versions.aggregate(n=models.Max("number"))["n"] or 0
    version = WorkPlanVersion(
        campaign=campaign,
        number=last + 1,
        title=title.strip(),
        body=text,
        author=actor,
    )
    if attachment is not None:
        version.attachment_name = attachment.name
        version.attachment.save(attachment.name, attachment.file, save=False)
    version.full_clean()
    version.save()
    record(
        version,
        "sanfu.workplan.draft",
        actor=actor,
        data={"version": version.number, "title": version.title},
    )
    return version


@transaction.atomic
def submit_work_plan(version: WorkPlanVersion, *, actor: Person) -> WorkPlanVersion:
    _require(holds(actor, version.campaign, OFFICE))
    version = _locked(version, "status", PlanStatus.DRAFT, PlanStatus.RETURNED)
    version.status = PlanStatus.SUBMITTED
    version.save(update_fields=["status"])
    record(
        version, "sanfu.workplan.submit", actor=actor, data={"version": version.number}
    )
    notify_on_commit(
        holders(version.campaign, APPROVERS),
        format_lazy(
            gettext_lazy("Work plan v{number} awaits your approval: {title}"),
            number=version.number,
            title=version.title,
        ),
        _work_plan_link(version),
    )
    return version


@transaction.atomic
def approve_work_plan(version: WorkPlanVersion, *, actor: Person) -> WorkPlanVersion:
    """The leading group approves a version; the one approved before is superseded,
    so there is always one current version."""
    _require(holds(actor, version.campaign, APPROVERS))
    version = _locked(version, "status", PlanStatus.SUBMITTED)
    WorkPlanVersion.objects.select_for_update().filter(
        campaign_id=version.campaign_id, status=PlanStatus.APPROVED
    ).update(status=PlanStatus.SUPERSEDED)
    version.status = PlanStatus.APPROVED
    version.decided_by = actor
    version.decided_at = timezone.now()
    version.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        version, "sanfu.workplan.approve", actor=actor, data={"version": version.number}
    )
    notify_on_commit(
        [version.author_id, *office_people(version.campaign_id)],
        format_lazy(
            gettext_lazy("Work plan v{number} was approved."), number=version.number
        ),
        _work_plan_link(version),
    )
    return version


@transaction.atomic
def return_work_plan(
    version: WorkPlanVersion, *, comment: str, actor: Person
) -> WorkPlanVersion:
    _require(holds(actor, version.campaign, APPROVERS))
    comment = _comment_required(comment)
    version = _locked(version, "status", PlanStatus.SUBMITTED)
    version.status = PlanStatus.RETURNED
    version.comment = comment
    version.decided_by = actor
    version.decided_at = timezone.now()
    version.save(update_fields=["status", "comment", "decided_by", "decided_at"])
    record(
        version,
        "sanfu.workplan.return",
        actor=actor,
        data={"version": version.number, "comment": comment},
    )
    notify_on_commit(
        [version.author_id],
        format_lazy(
            gettext_lazy("Work plan v{number} was returned: {comment}"),
            number=version.number,
            comment=comment,
        ),
        _work_plan_link(version),
    )
    return version


# -- the schedule ---------------------------------------------------------------------


def may_complete_milestone(user: Viewer, milestone: Milestone) -> bool:
    """The office, or the unit or person that owns the milestone."""
    return (
        holds(user, milestone.phase.campaign, OFFICE)
        or acts_for_unit(user, milestone.owner_unit_id)
        or (
            milestone.owner_person_id is not None
            and milestone.owner_person_id == user.pk
        )
    )


@transaction.atomic
def complete_milestone(
    milestone: Milestone, *, done_on: datetime.date, actor: Person
) -> Milestone:
    """Mark a milestone done: the office, or the unit that owns it."""
    campaign = milestone.phase.campaign
    _require(may_complete_milestone(actor, milestone))
    fresh = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if fresh.done_on is not None:
        raise Conflict(_("The milestone is already done."))
    _within_campaign(campaign, "done_on", done_on)
    fresh.done_on = done_on
    fresh.save(update_fields=["done_on"])
    record(
        fresh,
        "sanfu.milestone.complete",
        actor=actor,
        data={"title": fresh.title, "done_on": done_on.isoformat()},
    )
    return fresh


# -- unit plans -----------------------------------------------------------------------


def _unit_plan_link(plan: UnitPlan) -> str:
    return reverse("campaign_plans:unit_plan", args=[plan.pk])


def _editable(plan: UnitPlan, actor: Person) -> UnitPlan:
    """Lock the plan; only its own unit's head or liaison edits it, and only in
    draft or when it was returned."""
    _require(acts_for_unit(actor, plan.unit_id))
    return _locked(plan, "status", PlanStatus.DRAFT, PlanStatus.RETURNED)


@transaction.atomic
def start_unit_plan(
    campaign: Campaign, unit: Unit, *, title: str, summary: str = "", actor: Person
) -> UnitPlan:
    _require(acts_for_unit(actor, unit.pk))
    if unit.organisation_id != campaign.organisation_id:
        raise ValidationError({"unit": _("The unit takes no part in this campaign.")})
    if UnitPlan.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError(
            {"unit": _("The unit already has a plan for this campaign.")}
        )
    plan = UnitPlan(campaign=campaign, unit=unit, title=title.strip(), summary=summary)
    plan.full_clean()
    plan.save()
    record(plan, "sanfu.unitplan.start", actor=actor, data={"title": plan.title})
    return plan


@transaction.atomic
def edit_unit_plan(
    plan: UnitPlan, *, title: str, summary: str, actor: Person
) -> UnitPlan:
    plan = _editable(plan, actor)
    plan.title = title.strip()
    plan.summary = summary
    plan.full_clean()
    plan.save(update_fields=["title", "summary"])
    record(plan, "sanfu.unitplan.edit", actor=actor, data={"title": plan.title})
    return plan


@transaction.atomic
def add_measure(
    plan: UnitPlan,
    *,
    main_task: MainTask,
    content: str,
    owner: str,
    deadline: datetime.date,
    actor: Person,
) -> Measure:
    plan = _editable(plan, actor)
    measure = Measure(
        plan=plan,
        main_task=main_task,
        content=content.strip(),
        owner=owner.strip(),
        deadline=deadline,
    )
    measure.full_clean()
    measure.save()
    record(
        plan,
        "sanfu.unitplan.measure",
        actor=actor,
        data={"added": measure.content[:100], "owner": measure.owner},
    )
    return measure


@transaction.atomic
def remove_measure(measure: Measure, *, actor: Person) -> None:
    plan = _editable(measure.plan, actor)
    text = measure.content[:100]
    plan.measures.filter(pk=measure.pk).delete()
    record(plan, "sanfu.unitplan.measure", actor=actor, data={"removed": text})


@transaction.atomic
def submit_unit_plan(plan: UnitPlan, *, actor: Person) -> UnitPlan:
    plan = _editable(plan, actor)
    if not plan.measures.exists():
        raise ValidationError(
            {"measures": _("Add at least one measure before submitting the plan.")}
        )
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at"])
    record(plan, "sanfu.unitplan.submit", actor=actor, data={"title": plan.title})
    notify_on_commit(
        office_people(plan.campaign_id),
        format_lazy(
            gettext_lazy("{unit} submitted its plan: {title}"),
            unit=plan.unit.name,
            title=plan.title,
        ),
        _unit_plan_link(plan),
    )
    return plan


def _reviewed(plan: UnitPlan, actor: Person) -> UnitPlan:
    _require(holds(actor, plan.campaign, OFFICE))
    return _locked(plan, "status", PlanStatus.SUBMITTED)


@transaction.atomic
def approve_unit_plan(plan: UnitPlan, *, actor: Person) -> UnitPlan:
    plan = _reviewed(plan, actor)
    plan.status = PlanStatus.APPROVED
    plan.decided_by = actor
    plan.decided_at = timezone.now()
    plan.save(update_fields=["status", "decided_by", "decided_at"])
    record(plan, "sanfu.unitplan.approve", actor=actor, data={"title": plan.title})
    notify_on_commit(
        unit_people(plan.unit_id),
        format_lazy(
            gettext_lazy("Your unit's plan was approved: {title}"), title=plan.title
        ),
        _unit_plan_link(plan),
    )
    return plan


@transaction.atomic
def return_unit_plan(plan: UnitPlan, *, comment: str, actor: Person) -> UnitPlan:
    comment = _comment_required(comment)
    plan = _reviewed(plan, actor)
    plan.status = PlanStatus.RETURNED
    plan.return_comment = comment
    plan.decided_by = actor
    plan.decided_at = timezone.now()
    plan.save(update_fields=["status", "return_comment", "decided_by", "decided_at"])
    record(
        plan,
        "sanfu.unitplan.return",
        actor=actor,
        data={"title": plan.title, "comment": comment},
    )
    notify_on_commit(
        unit_people(plan.unit_id),
        format_lazy(
            gettext_lazy("Your unit's plan was returned: {comment}"), comment=comment
        ),
        _unit_plan_link(plan),
    )
    return plan


def return_comments(plan: UnitPlan) -> list[tuple[datetime.datetime, str]]:
    """Every comment the plan was returned with, oldest first, with its time: they
    stay on the plan after it is approved (the plan itself keeps only the last)."""
    entries = ModelLogEntry.objects.for_instance(plan).filter(
        action="sanfu.unitplan.return"
    )
    return [
        (entry.timestamp, entry.data.get("comment", ""))
        for entry in entries.order_by("timestamp", "pk")
    ]
