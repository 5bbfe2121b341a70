"""The ledgers' changes: one function per step.

Each checks the actor's role and unit and the row's state, locks the row, writes in
one transaction, records the audit entry and tells the people concerned once it
commits. A step whose row changed under it (someone else acted first) raises
``Conflict`` and changes nothing. Bad input (a date outside the campaign's period,
progress going back, a closure without evidence…) raises ``ValidationError`` with a
message a person can act on, keyed by field where there is one.
"""

import datetime
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import record
from campaigns.models import Campaign, MainTask
from campaigns.recipients import office_people, unit_people
from core.bulk import insert_rows
from core.errors import Conflict
from core.locking import locked_in
from core.progress import Report
from demands.actions import submit_demand
from demands.models import Channel, Demand, DemandStatus, Hotspot, Rating
from files.evidence import CheckedUpload
from ledgers.access import is_office, is_unit_writer
from ledgers.models import (
    DeedClass,
    DeedPhoto,
    DeedRating,
    DeedStage,
    DeedStatus,
    DeedUpdate,
    Evidence,
    EvidenceKind,
    Finding,
    PracticalDeed,
    Problem,
    ProblemSource,
    ProblemStatus,
    ProgressUpdate,
    RectificationMeasure,
    ResearchVisit,
    Severity,
    hotspot_outcome,
)
from notify.actions import notify_on_commit
from org.models import Person, Unit

if TYPE_CHECKING:
    from ledgers.excel import MeasureRow, ProblemRow


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _link(name: str, pk: int) -> str:
    try:
        return reverse(f"ledgers_admin:{name}", args=[pk])
    except NoReverseMatch:
        return ""


def _notify_on_commit(
    recipients: QuerySet[Person], message: str | Promise, link: str
) -> None:
    ids = list(recipients.values_list("pk", flat=True))
    if ids:
        notify_on_commit(ids, message, link)


def check_in_period(campaign: Campaign, day: datetime.date, field: str) -> None:
    """Refuse a date outside the campaign's period, naming the field."""
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise ValidationError(
            {
                field: _(
                    "%(day)s is outside the campaign's period (%(start)s to %(end)s)."
                )
                % {"day": day, "start": campaign.starts_on, "end": campaign.ends_on}
            }
        )


def _check_unit(campaign: Campaign, unit: Unit) -> None:
    if unit.organisation_id != campaign.organisation_id:
        raise ValidationError({"unit": _("The unit belongs to another organisation.")})


def _check_task(campaign: Campaign, main_task: MainTask | None) -> None:
    if main_task is not None and main_task.campaign_id != campaign.pk:
        raise ValidationError(
            {"main_task": _("The main task belongs to another campaign.")}
        )


def _check_text(value: str, field: str) -> None:
    if not value.strip():
        # Django's own message, in Django's own translations
        raise ValidationError({field: forms.Field.default_error_messages["required"]})


# -- research visits -----------------------------------------------------------------


@transaction.atomic
def record_visit(
    campaign: Campaign,
    unit: Unit,
    *,
    visited_on: datetime.date,
    place: str,
    participants: str,
    topic: str,
    findings: Sequence[str],
    actor: Any,
    is_demo: bool = False,
) -> ResearchVisit:
    """A unit records a research visit (調研) with its findings."""
    _require(is_unit_writer(actor, unit.pk))
    _check_unit(campaign, unit)
    check_in_period(campaign, visited_on, "visited_on")
    for value, field in ((place, "place"), (participants, "participants")):
        _check_text(value, field)
    _check_text(topic, "topic")
    visit = ResearchVisit.objects.create(
        campaign=campaign,
        unit=unit,
        visited_on=visited_on,
        place=place,
        participants=participants,
        topic=topic,
        created_by=actor if getattr(actor, "pk", None) else None,
        is_demo=is_demo,
    )
    texts = [text.strip() for text in findings if text.strip()]
    Finding.objects.bulk_create(
        Finding(visit=visit, sequence=index, text=text)
        for index, text in enumerate(texts, start=1)
    )
    record(visit, "sanfu.research_visit.record", actor=actor, data={"unit": unit.name})
    return visit


def _locked_finding(finding: Finding, actor: Any) -> Finding:
    fresh = (
        Finding.objects.select_for_update()
        .select_related("visit__campaign", "visit__unit")
        .get(pk=finding.pk)
    )
    _require(is_unit_writer(actor, fresh.visit.unit_id))
    if fresh.demand_id is not None or Problem.objects.filter(finding=fresh).exists():
        raise Conflict(_("This finding has already been taken up."))
    return fresh


@transaction.atomic
def raise_problem_from_finding(
    finding: Finding,
    *,
    severity: str,
    main_task: MainTask | None = None,
    actor: Any,
) -> Problem:
    """Turn a finding into a problem of the visiting unit, linked to it."""
    finding = _locked_finding(finding, actor)
    visit = finding.visit
    return create_problem(
        visit.campaign,
        visit.unit,
        source=ProblemSource.RESEARCH,
        description=finding.text,
        severity=severity,
        main_task=main_task,
        finding=finding,
        actor=actor,
    )


@transaction.atomic
def raise_demand_from_finding(
    finding: Finding, *, kind: str, urgency: str, actor: Any
) -> Demand:
    """Turn a finding into a demand (research-visit channel) for the office to
    dispatch, linked to it."""
    finding = _locked_finding(finding, actor)
    visit = finding.visit
    demand, _code = submit_demand(
        visit.campaign,
        kind=kind,
        title=f"{visit.topic}：{finding.text}"[:200],
        content=finding.text,
        urgency=urgency,
        channel=Channel.RESEARCH,
        location=visit.place,
        raised_by_unit=visit.unit,
        actor=actor,
    )
    finding.demand = demand
    finding.save(update_fields=["demand"])
    record(
        visit,
        "sanfu.research_visit.to_demand",
        actor=actor,
        data={"finding": finding.pk, "demand": demand.tracking_no},
    )
    return demand


# -- problems ------------------------------------------------------------------------


@transaction.atomic
def create_problem(
    campaign: Campaign,
    unit: Unit,
    *,
    source: str,
    description: str,
    severity: str,
    main_task: MainTask | None = None,
    demand: Demand | None = None,
    finding: Finding | None = None,
    actor: Any,
    is_demo: bool = False,
) -> Problem:
    _require(is_unit_writer(actor, unit.pk))
    return _new_problem(
        campaign,
        unit,
        source=source,
        description=description,
        severity=severity,
        main_task=main_task,
        demand=demand,
        finding=finding,
        actor=actor,
        is_demo=is_demo,
    )


def _new_problem(
    campaign: Campaign,
    unit: Unit,
    *,
    source: str,
    description: str,
    severity: str,
    main_task: MainTask | None = None,
    demand: Demand | None = None,
    finding: Finding | None = None,
    actor: Any,
    is_demo: bool = False,
) -> Problem:
    _check_unit(campaign, unit)
    _check_task(campaign, main_task)
    _check_text(description, "description")
    if source not in ProblemSource.values:
        raise ValidationError({"source": _("Unknown source.")})
    if demand is not None and demand.campaign_id != campaign.pk:
        raise ValidationError({"demand": _("The demand belongs to another campaign.")})
    problem = Problem.objects.create(
        campaign=campaign,
        unit=unit,
        source=ProblemSource.DEMAND if demand is not None else source,
        description=description,
        severity=severity,
        main_task=main_task,
        demand=demand,
        finding=finding,
        created_by=actor if getattr(actor, "pk", None) else None,
        is_demo=is_demo,
    )
    record(
        problem,
        "sanfu.problem.create",
        actor=actor,
        data={"unit": unit.name, "source": problem.source},
    )
    return problem


def _locked_problem(problem: Problem, *allowed: str) -> Problem:
    return locked_in(
        problem,
        allowed,
        changed=gettext_lazy(
            "The problem is now “%(status)s”; someone else has acted on it."
        ),
    )


@transaction.atomic
def add_measure(
    problem: Problem,
    *,
    description: str,
    owner: Person | None,
    reviewer: Person | None,
    deadline: datetime.date,
    actor: Any,
) -> RectificationMeasure:
    """A rectification measure: one responsible person, one reviewer, a deadline."""
    problem = _locked_problem(problem, ProblemStatus.OPEN)
    _require(is_unit_writer(actor, problem.unit_id))
    _check_text(description, "description")
    if owner is None:
        raise ValidationError({"owner": _("A measure needs a responsible person.")})
    if reviewer is None:
        raise ValidationError({"reviewer": _("A measure needs a reviewer.")})
    if owner.pk == reviewer.pk:
        raise ValidationError(
            {"reviewer": _("The reviewer must not be the responsible person.")}
        )
    check_in_period(problem.campaign, deadline, "deadline")
    measure = RectificationMeasure.objects.create(
        problem=problem,
        description=description,
        owner=owner,
        reviewer=reviewer,
        deadline=deadline,
    )
    record(
        problem,
        "sanfu.problem.add_measure",
        actor=actor,
        data={"measure": measure.pk, "deadline": deadline.isoformat()},
    )
    _notify_on_commit(
        Person.objects.filter(pk__in=[owner.pk, reviewer.pk]),
        format_lazy(
            gettext_lazy("A rectification measure due {deadline} names you: {text}"),
            deadline=deadline,
            text=description[:60],
        ),
        _link("problem", problem.pk),
    )
    return measure


def _may_report(actor: Any, measure: RectificationMeasure) -> bool:
    return measure.owner_id == actor.pk or is_unit_writer(
        actor, measure.problem.unit_id
    )


@transaction.atomic
def report_progress(
    measure: RectificationMeasure,
    *,
    percent: int,
    note: str = "",
    evidence: Iterable[tuple[str, CheckedUpload]] = (),
    actor: Any,
) -> ProgressUpdate:
    """The responsible person (or the unit) reports progress, never below the last
    report, with before/after evidence files already checked."""
    _locked_problem(measure.problem, ProblemStatus.OPEN)
    measure = RectificationMeasure.objects.select_for_update().get(pk=measure.pk)
    _require(_may_report(actor, measure))
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress is a percentage, 0 to 100.")})
    if percent < measure.progress:
        raise ValidationError(
            {
                "percent": _("Progress cannot go back: the last report was %(last)d%%.")
                % {"last": measure.progress}
            }
        )
    update = ProgressUpdate.objects.create(
        measure=measure, percent=percent, note=note, reported_by=actor
    )
    for kind, upload in evidence:
        if kind not in EvidenceKind.values:
            raise ValidationError({"evidence": _("Unknown kind of evidence.")})
        Evidence.objects.create(
            update=update,
            kind=kind,
            file=upload.file,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            extension=upload.extension,
        )
    measure.progress = percent
    if percent == 100 and measure.completed_on is None:
        measure.completed_on = timezone.localdate()
    measure.save(update_fields=["progress", "completed_on"])
    record(
        measure.problem,
        "sanfu.problem.progress",
        actor=actor,
        data={"measure": measure.pk, "percent": percent, "note": note},
    )
    return update


@transaction.atomic
def apply_for_closure(problem: Problem, *, actor: Any) -> Problem:
    """The unit applies for closure (申請銷號): every measure done, each with
    evidence of the result."""
    problem = _locked_problem(problem, ProblemStatus.OPEN)
    _require(is_unit_writer(actor, problem.unit_id))
    measures = problem.measures.annotate(
        has_evidence=Exists(
            Evidence.objects.filter(
                update__measure=OuterRef("pk"), kind=EvidenceKind.AFTER
            )
        )
    )
    if not measures.exists():
        raise ValidationError(_("A problem needs at least one measure to be closed."))
    unfinished = [m for m in measures if m.progress < 100]
    if unfinished:
        raise ValidationError(
            _("Measure “%(measure)s” is at %(percent)d%%, not finished.")
            % {"measure": unfinished[0], "percent": unfinished[0].progress}
        )
    without = [m for m in measures if not m.has_evidence]
    if without:
        raise ValidationError(
            _(
                "Measure “%(measure)s” has no evidence of the result (an “after” "
                "file): closure needs evidence."
            )
            % {"measure": without[0]}
        )
    problem.status = ProblemStatus.APPLIED
    problem.applied_at = timezone.now()
    problem.return_reason = ""
    problem.save(update_fields=["status", "applied_at", "return_reason"])
    problem.measures.update(confirmed_at=None)
    record(problem, "sanfu.problem.apply_closure", actor=actor)
    reviewers = problem.measures.values("reviewer")
    _notify_on_commit(
        Person.objects.filter(pk__in=reviewers, is_active=True),
        format_lazy(
            gettext_lazy("Closure applied for: “{text}”; please review your measure."),
            text=problem.description[:60],
        ),
        _link("problem", problem.pk),
    )
    return problem


@transaction.atomic
def confirm_measure(measure: RectificationMeasure, *, actor: Any) -> Problem:
    """The measure's reviewer confirms it; once every measure is confirmed the
    problem goes to the office."""
    problem = _locked_problem(measure.problem, ProblemStatus.APPLIED)
    measure = RectificationMeasure.objects.select_for_update().get(pk=measure.pk)
    _require(measure.reviewer_id == actor.pk)
    if measure.confirmed_at is not None:
        raise Conflict(_("This measure has already been confirmed."))
    measure.confirmed_at = timezone.now()
    measure.save(update_fields=["confirmed_at"])
    record(problem, "sanfu.problem.confirm", actor=actor, data={"measure": measure.pk})
    if not problem.measures.filter(confirmed_at__isnull=True).exists():
        problem.status = ProblemStatus.CONFIRMED
        problem.save(update_fields=["status"])
        _notify_on_commit(
            office_people(problem.campaign_id),
            format_lazy(
                gettext_lazy("A problem awaits verification (銷號): “{text}”"),
                text=problem.description[:60],
            ),
            _link("problem", problem.pk),
        )
    return problem


def _demand_unsatisfied(demand: Demand) -> bool:
    # a demand reopened (重辦) was rated unsatisfied and is being redone
    return demand.rating == Rating.UNSATISFIED or demand.status == DemandStatus.REOPENED


@transaction.atomic
def verify_problem(problem: Problem, *, actor: Any) -> Problem:
    """The office verifies the rectification and closes the problem (銷號)."""
    _require(is_office(actor, problem.campaign_id))
    problem = _locked_problem(problem, ProblemStatus.CONFIRMED)
    if problem.demand is not None and _demand_unsatisfied(problem.demand):
        raise ValidationError(
            _(
                "The person who raised demand %(number)s rated its outcome "
                "unsatisfied: the problem cannot be closed."
            )
            % {"number": problem.demand.tracking_no}
        )
    problem.status = ProblemStatus.CLOSED
    problem.closed_at = timezone.now()
    problem.closed_by = actor
    problem.save(update_fields=["status", "closed_at", "closed_by"])
    record(problem, "sanfu.problem.verify", actor=actor)
    _notify_on_commit(
        unit_people(problem.unit_id),
        format_lazy(
            gettext_lazy("The office closed the problem “{text}” (銷號)."),
            text=problem.description[:60],
        ),
        _link("problem", problem.pk),
    )
    return problem


@transaction.atomic
def return_problem(problem: Problem, *, reason: str, actor: Any) -> Problem:
    """The office (or a measure's reviewer) sends a closure back with a reason."""
    problem = _locked_problem(problem, ProblemStatus.APPLIED, ProblemStatus.CONFIRMED)
    reviewer = problem.measures.filter(reviewer_id=actor.pk).exists()
    _require(is_office(actor, problem.campaign_id) or reviewer)
    _check_text(reason, "reason")
    problem.status = ProblemStatus.OPEN
    problem.return_reason = reason
    problem.save(update_fields=["status", "return_reason"])
    problem.measures.update(confirmed_at=None)
    record(problem, "sanfu.problem.return", actor=actor, data={"reason": reason})
    _notify_on_commit(
        unit_people(problem.unit_id),
        format_lazy(
            gettext_lazy("The closure of “{text}” was sent back: {reason}"),
            text=problem.description[:60],
            reason=reason,
        ),
        _link("problem", problem.pk),
    )
    return problem


@transaction.atomic
def publish_problem(problem: Problem, *, published: bool, actor: Any) -> Problem:
    """The office shows the problem on the public disclosure page, or takes it off."""
    _require(is_office(actor, problem.campaign_id))
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    problem.is_published = published
    problem.save(update_fields=["is_published"])
    record(problem, "sanfu.problem.publish", actor=actor, data={"published": published})
    return problem


# -- practical deeds -----------------------------------------------------------------


@dataclass(frozen=True)
class StageInput:
    name: str
    due_on: datetime.date


@transaction.atomic
def create_deed(
    campaign: Campaign,
    unit: Unit,
    *,
    title: str,
    deed_class: str,
    beneficiaries: str,
    target: str,
    deadline: datetime.date,
    stages: Sequence[StageInput] = (),
    actor: Any,
    is_demo: bool = False,
) -> PracticalDeed:
    _require(is_unit_writer(actor, unit.pk))
    return _new_deed(
        campaign,
        unit,
        title=title,
        deed_class=deed_class,
        beneficiaries=beneficiaries,
        target=target,
        deadline=deadline,
        stages=stages,
        actor=actor,
        is_demo=is_demo,
    )


def _new_deed(
    campaign: Campaign,
    unit: Unit,
    *,
    title: str,
    deed_class: str,
    beneficiaries: str,
    target: str,
    deadline: datetime.date,
    stages: Sequence[StageInput] = (),
    actor: Any,
    is_demo: bool = False,
) -> PracticalDeed:
    _check_unit(campaign, unit)
    for value, field in ((title, "title"), (beneficiaries, "beneficiaries")):
        _check_text(value, field)
    _check_text(target, "target")
    if deed_class not in DeedClass.values:
        raise ValidationError({"deed_class": _("Unknown class.")})
    check_in_period(campaign, deadline, "deadline")
    if deed_class == DeedClass.STAGED and not stages:
        raise ValidationError({"stages": _("A deed done in stages needs its stages.")})
    if deed_class != DeedClass.STAGED and stages:
        raise ValidationError({"stages": _("Only a deed done in stages has stages.")})
    for stage in stages:
        check_in_period(campaign, stage.due_on, "stages")
        if stage.due_on > deadline:
            raise ValidationError(
                {"stages": _("A stage cannot be due after the deed's deadline.")}
            )
    deed = PracticalDeed.objects.create(
        campaign=campaign,
        unit=unit,
        title=title,
        deed_class=deed_class,
        beneficiaries=beneficiaries,
        target=target,
        deadline=deadline,
        is_demo=is_demo,
    )
    DeedStage.objects.bulk_create(
        DeedStage(deed=deed, sequence=index, name=stage.name, due_on=stage.due_on)
        for index, stage in enumerate(stages, start=1)
    )
    record(deed, "sanfu.deed.create", actor=actor, data={"unit": unit.name})
    return deed


# -- hotspots: a week's group of demands made a deed or a problem in one step ------


def _locked_hotspot(hotspot: Hotspot, actor: Any) -> Hotspot:
    """The hotspot, locked, if the actor is its campaign's office and nobody made
    it (or the same matter in an earlier week) a deed or a problem yet."""
    fresh = Hotspot.objects.select_for_update().select_related("run__campaign")
    locked = fresh.get(pk=hotspot.pk)
    _require(is_office(actor, locked.run.campaign_id))
    if hotspot_outcome(locked) is not None:
        raise Conflict(_("This hotspot was already made a deed or a problem."))
    return locked


@transaction.atomic
def deed_from_hotspot(
    hotspot: Hotspot,
    unit: Unit,
    *,
    title: str,
    deed_class: str,
    beneficiaries: str,
    target: str,
    deadline: datetime.date,
    actor: Any,
) -> PracticalDeed:
    """The office makes a hotspot a practical deed of ``unit``, linked to the
    hotspot and to every demand in it."""
    hotspot = _locked_hotspot(hotspot, actor)
    if deed_class == DeedClass.STAGED:
        raise ValidationError(
            {"deed_class": _("A deed in stages is recorded with its stages first.")}
        )
    deed = _new_deed(
        hotspot.run.campaign,
        unit,
        title=title,
        deed_class=deed_class,
        beneficiaries=beneficiaries,
        target=target,
        deadline=deadline,
        actor=actor,
    )
    deed.hotspot = hotspot
    deed.save(update_fields=["hotspot"])
    demands = list(hotspot.demands.values_list("pk", flat=True))
    deed.demands.set(demands)
    record(
        deed,
        "sanfu.deed.from_hotspot",
        actor=actor,
        data={"hotspot": hotspot.label, "demands": len(demands)},
    )
    _notify_on_commit(
        unit_people(unit.pk),
        _("The office made a hotspot of demands a practical deed of your unit."),
        _link("deed", deed.pk),
    )
    return deed


@transaction.atomic
def problem_from_hotspot(
    hotspot: Hotspot,
    unit: Unit,
    *,
    description: str,
    severity: str,
    main_task: MainTask | None = None,
    actor: Any,
) -> Problem:
    """The office makes a hotspot a problem (a weak link) of ``unit`` to rectify,
    linked to the hotspot and to every demand in it."""
    hotspot = _locked_hotspot(hotspot, actor)
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Unknown severity.")})
    problem = _new_problem(
        hotspot.run.campaign,
        unit,
        source=ProblemSource.DEMAND,
        description=description,
        severity=severity,
        main_task=main_task,
        actor=actor,
    )
    problem.hotspot = hotspot
    problem.save(update_fields=["hotspot"])
    demands = list(hotspot.demands.values_list("pk", flat=True))
    problem.demands.set(demands)
    record(
        problem,
        "sanfu.problem.from_hotspot",
        actor=actor,
        data={"hotspot": hotspot.label, "demands": len(demands)},
    )
    _notify_on_commit(
        unit_people(unit.pk),
        _("The office made a hotspot of demands a problem for your unit to rectify."),
        _link("problem", problem.pk),
    )
    return problem


def _locked_deed(deed: PracticalDeed, *allowed: str) -> PracticalDeed:
    return locked_in(
        deed,
        allowed,
        changed=gettext_lazy(
            "The deed is now “%(status)s”; someone else has acted on it."
        ),
    )


@transaction.atomic
def report_deed_progress(
    deed: PracticalDeed,
    *,
    percent: int,
    on: datetime.date,
    note: str = "",
    photos: Sequence[CheckedUpload] = (),
    actor: Any,
) -> DeedUpdate:
    """A dated progress report with photos; 100% marks the deed done, for the
    office to verify."""
    deed = _locked_deed(deed, DeedStatus.IN_PROGRESS)
    _require(is_unit_writer(actor, deed.unit_id))
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress is a percentage, 0 to 100.")})
    if percent < deed.progress:
        raise ValidationError(
            {
                "percent": _("Progress cannot go back: the last report was %(last)d%%.")
                % {"last": deed.progress}
            }
        )
    check_in_period(deed.campaign, on, "on")
    update = DeedUpdate.objects.create(
        deed=deed, on=on, percent=percent, note=note, reported_by=actor
    )
    for upload in photos:
        DeedPhoto.objects.create(
            update=update,
            file=upload.file,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            extension=upload.extension,
        )
    deed.progress = percent
    fields = ["progress"]
    if percent == 100:
        deed.status = DeedStatus.DONE
        deed.done_on = on
        fields += ["status", "done_on"]
    deed.save(update_fields=fields)
    record(
        deed,
        "sanfu.deed.progress",
        actor=actor,
        data={"percent": percent, "note": note},
    )
    if percent == 100:
        _notify_on_commit(
            office_people(deed.campaign_id),
            format_lazy(
                gettext_lazy("The deed “{title}” is done and awaits verification."),
                title=deed.title,
            ),
            _link("deed", deed.pk),
        )
    return update


@transaction.atomic
def verify_deed(deed: PracticalDeed, *, actor: Any) -> PracticalDeed:
    _require(is_office(actor, deed.campaign_id))
    deed = _locked_deed(deed, DeedStatus.DONE)
    deed.status = DeedStatus.VERIFIED
    deed.verified_at = timezone.now()
    deed.save(update_fields=["status", "verified_at"])
    record(deed, "sanfu.deed.verify", actor=actor)
    return deed


@transaction.atomic
def return_deed(deed: PracticalDeed, *, reason: str, actor: Any) -> PracticalDeed:
    """The office finds the deed not done after all: back in progress."""
    _require(is_office(actor, deed.campaign_id))
    _check_text(reason, "reason")
    deed = _locked_deed(deed, DeedStatus.DONE)
    deed.status = DeedStatus.IN_PROGRESS
    deed.done_on = None
    deed.save(update_fields=["status", "done_on"])
    record(deed, "sanfu.deed.return", actor=actor, data={"reason": reason})
    _notify_on_commit(
        unit_people(deed.unit_id),
        format_lazy(
            gettext_lazy("The office sent back the deed “{title}”: {reason}"),
            title=deed.title,
            reason=reason,
        ),
        _link("deed", deed.pk),
    )
    return deed


@transaction.atomic
def publish_deed(deed: PracticalDeed, *, published: bool, actor: Any) -> PracticalDeed:
    _require(is_office(actor, deed.campaign_id))
    deed = PracticalDeed.objects.select_for_update().get(pk=deed.pk)
    deed.is_published = published
    deed.save(update_fields=["is_published"])
    record(deed, "sanfu.deed.publish", actor=actor, data={"published": published})
    return deed


def rater_key(deed_id: int, client_id: str, address: str) -> str:
    """A keyed hash, per deed, of the rater's cookie id and address prefix (the
    first three octets of IPv4, four groups of IPv6): one rating per person and
    deed without storing who they are."""
    prefix = (
        ":".join(address.split(":")[:4])
        if ":" in address
        else ".".join(address.split(".")[:3])
    )
    key = settings.SECRET_KEY.encode()
    message = f"{deed_id}|{client_id}|{prefix}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def rate_deed(deed: PracticalDeed, *, rater: str, score: int) -> DeedRating:
    """A public rating of a published deed; a second one by the same rater is a
    ``Conflict``."""
    if not deed.is_published:
        raise PermissionDenied
    try:
        with transaction.atomic():
            rating = DeedRating.objects.create(deed=deed, rater=rater, score=score)
            record(deed, "sanfu.deed.rate", data={"score": score})
    except IntegrityError as error:
        raise Conflict(_("You have already rated this deed.")) from error
    return rating


# -- imports from Excel --------------------------------------------------------------


def _check_import_units(campaign: Campaign, unit_ids: set[int], actor: Any) -> None:
    """The office imports for any unit of its campaign, a unit only for itself."""
    if is_office(actor, campaign.pk):
        return
    for unit_id in unit_ids:
        _require(is_unit_writer(actor, unit_id))


T = TypeVar("T")
IMPORT_BATCH = 5000  # rows stored at a time; progress is heard after each


def _batches(rows: Sequence[T], progress: Report | None) -> Iterable[Sequence[T]]:
    """``rows`` in slices of ``IMPORT_BATCH``, telling ``progress`` after each."""
    for start in range(0, len(rows), IMPORT_BATCH):
        if progress is not None:
            progress(start, len(rows))
        yield rows[start : start + IMPORT_BATCH]
    if progress is not None:
        progress(len(rows), len(rows))


MEASURE_FIELDS = (
    "problem_id",
    "description",
    "owner_id",
    "reviewer_id",
    "deadline",
    "progress",
)


def store_measures(
    measures: Sequence[tuple[int, "MeasureRow"]],
    *,
    reporter: Any,
    now: datetime.datetime,
    reports: Sequence[tuple[int, int]] = (),
) -> None:
    """Store imported measures (each with its problem's key); a measure's progress
    becomes its first progress report, as do ``reports`` (measure, percent) of
    measures already stored."""
    keys = insert_rows(
        RectificationMeasure,
        MEASURE_FIELDS,
        [
            (key, m.description, m.owner_id, m.reviewer_id, m.deadline, m.progress)
            for key, m in measures
        ],
    )
    insert_rows(
        ProgressUpdate,
        ("measure_id", "percent"),
        [
            *reports,
            *(
                (measure_key, m.progress)
                for measure_key, (_key, m) in zip(keys, measures, strict=True)
                if m.progress
            ),
        ],
        note=_("Imported from Excel"),
        reported_by=reporter,
        reported_at=now,
    )


@transaction.atomic
def import_problems(
    campaign: Campaign,
    rows: Sequence["ProblemRow"],
    *,
    actor: Any,
    progress: Report | None = None,
) -> list[int]:
    """Store new problems read and checked by ``ledgers.excel.read_problems``, all
    or none (``core.bulk``: no model instance per row); each measure's
    progress becomes its first progress report. The new problems' keys; their
    audit entries are ``ledgers.roundtrip``'s (one per problem)."""
    _check_import_units(campaign, {row.unit_id for row in rows}, actor)
    now = timezone.now()
    creator = actor if getattr(actor, "pk", None) else None
    problems: list[int] = []
    for batch in _batches(rows, progress):
        keys = insert_rows(
            Problem,
            ("unit_id", "source", "main_task_id", "severity", "description"),
            [
                (
                    row.unit_id,
                    row.source,
                    row.main_task_id,
                    row.severity,
                    row.description,
                )
                for row in batch
            ],
            campaign=campaign,
            created_by=creator,
            created_at=now,
        )
        store_measures(
            [
                (key, measure)
                for key, row in zip(keys, batch, strict=True)
                for measure in row.measures
            ],
            reporter=creator,
            now=now,
        )
        problems.extend(keys)
    return problems
