"""A week's group of demands (a hotspot) made a practical deed or a problem of a
unit, in one step by the office."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import record
from campaigns.models import MainTask
from campaigns.recipients import unit_people
from core.errors import Conflict
from demands.models import Hotspot
from ledgers.access import is_office
from ledgers.actions.common import _link, _notify_on_commit, _require
from ledgers.actions.deeds import _new_deed
from ledgers.actions.problems import _new_problem
from ledgers.models import (
    DeedClass,
    HotspotOutcome,
    PracticalDeed,
    Problem,
    ProblemSource,
    Severity,
    hotspot_outcome,
)
from org.models import Person, Unit


def _locked_hotspot(hotspot: Hotspot, actor: Person) -> Hotspot:
    """The hotspot, locked, if the actor is its campaign's office and nobody made
    it (or the same matter in an earlier week) a deed or a problem yet."""
    fresh = Hotspot.objects.select_for_update().select_related("run__campaign")
    locked = fresh.get(pk=hotspot.pk)
    _require(is_office(actor, locked.run.campaign_id))
    if hotspot_outcome(locked) is not None:
        raise Conflict(_("This hotspot was already made a deed or a problem."))
    return locked


def _take_up(
    outcome: HotspotOutcome,
    hotspot: Hotspot,
    unit: Unit,
    *,
    action: str,
    message: str,
    link: str,
    actor: Person,
) -> None:
    """Link the new deed or problem to the hotspot and to every demand in it,
    record ``action`` and tell ``unit``."""
    outcome.hotspot = hotspot
    outcome.save(update_fields=["hotspot"])
    demands = list(hotspot.demands.values_list("pk", flat=True))
    outcome.demands.set(demands)
    record(
        outcome,
        action,
        actor=actor,
        data={"hotspot": hotspot.label, "demands": len(demands)},
    )
    _notify_on_commit(unit_people(unit.pk), message, _link(link, outcome.pk))


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
    actor: Person,
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
    _take_up(
        deed,
        hotspot,
        unit,
        action="sanfu.deed.from_hotspot",
        message=_(
            "The office made a hotspot of demands a practical deed of your unit."
        ),
        link="deed",
        actor=actor,
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
    actor: Person,
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
    _take_up(
        problem,
        hotspot,
        unit,
        action="sanfu.problem.from_hotspot",
        message=_(
            "The office made a hotspot of demands a problem for your unit to rectify."
        ),
        link="problem",
        actor=actor,
    )
    return problem
