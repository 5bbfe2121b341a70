"""Research visits (調研) and what their findings become: a problem of the visiting
unit, or a demand for the office to dispatch."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import record
from campaigns.models import Campaign, MainTask
from core.errors import Conflict
from demands.actions import submit_demand
from demands.models import Channel, Demand
from ledgers.access import is_unit_writer
from ledgers.actions.common import _check_text, _check_unit, _require, check_in_period
from ledgers.actions.problems import create_problem
from ledgers.models import Finding, Problem, ProblemSource, ResearchVisit
from org.models import Person, Unit


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
    actor: Person,
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
        created_by=actor,
        is_demo=is_demo,
    )
    texts = [text.strip() for text in findings if text.strip()]
    Finding.objects.bulk_create(
        Finding(visit=visit, sequence=index, text=text)
        for index, text in enumerate(texts, start=1)
    )
    record(visit, "sanfu.research_visit.record", actor=actor, data={"unit": unit.name})
    return visit


def _locked_finding(finding: Finding, actor: Person) -> Finding:
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
    actor: Person,
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
    finding: Finding, *, kind: str, urgency: str, actor: Person
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
