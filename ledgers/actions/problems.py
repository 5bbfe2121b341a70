"""The problem list (問題清單): a problem, its rectification measures and their
progress, and its closure (申請銷號), confirmed by each measure's reviewer and
verified by the office (銷號)."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import record
from campaigns.models import Campaign, MainTask
from campaigns.recipients import office_people, unit_people
from core.errors import Conflict
from core.locking import locked_in
from demands.models import Demand, DemandStatus, Rating
from files.evidence import CheckedUpload
from ledgers.access import is_office, is_unit_writer
from ledgers.actions.common import (
    _check_task,
    _check_text,
    _check_unit,
    _link,
    _notify_on_commit,
    _require,
    check_in_period,
)
from ledgers.models import (
    Evidence,
    EvidenceKind,
    Finding,
    Problem,
    ProblemSource,
    ProblemStatus,
    ProgressUpdate,
    RectificationMeasure,
)
from org.models import Person, Unit


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
    actor: Person,
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
    actor: Person,
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
        created_by=actor,
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
    actor: Person,
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


def _may_report(actor: Person, measure: RectificationMeasure) -> bool:
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
    actor: Person,
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
def apply_for_closure(problem: Problem, *, actor: Person) -> Problem:
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
def confirm_measure(measure: RectificationMeasure, *, actor: Person) -> Problem:
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
def verify_problem(problem: Problem, *, actor: Person) -> Problem:
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
def return_problem(problem: Problem, *, reason: str, actor: Person) -> Problem:
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
def publish_problem(problem: Problem, *, published: bool, actor: Person) -> Problem:
    """The office shows the problem on the public disclosure page, or takes it off."""
    _require(is_office(actor, problem.campaign_id))
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    problem.is_published = published
    problem.save(update_fields=["is_published"])
    record(problem, "sanfu.problem.publish", actor=actor, data={"published": published})
    return problem
