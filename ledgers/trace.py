"""One trace of a matter from where it was found to how it was closed: a research
visit's finding or a demand, the problem it became, the problem's rectification
measures and their closure.

``trace(record, user)`` builds it from any of its records (a demand, a research
visit, a finding, a problem, a measure) with a bounded number of queries, whatever
the chain's length. Each step links to its page only if ``user`` may open it; a step
out of the user's reach shows its name without a link.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from demands.access import demands_for_user
from demands.models import Demand
from ledgers.access import deeds_for_user, problems_for_user, visits_for_user
from ledgers.models import (
    Finding,
    PracticalDeed,
    Problem,
    RectificationMeasure,
    ResearchVisit,
)
from org.actors import Viewer


@dataclass
class Step:
    kind: Any
    label: str
    status: str = ""
    url: str = ""
    current: bool = False
    children: list["Step"] = field(default_factory=list)


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _origin(record: Any) -> tuple[list[ResearchVisit], list[Demand], list[Problem]]:
    """The visits, demands and problems the chain starts from."""
    if isinstance(record, RectificationMeasure):
        record = record.problem
    if isinstance(record, Finding):
        return [record.visit], [], []
    if isinstance(record, ResearchVisit):
        return [record], [], []
    if isinstance(record, Demand):
        finding = Finding.objects.select_related("visit").filter(demand=record).first()
        if finding is not None:
            return [finding.visit], [], []
        return [], [record], []
    if isinstance(record, Problem):
        if record.finding_id is not None:
            return [record.finding.visit], [], []  # type: ignore[union-attr]
        if record.demand_id is not None:
            return _origin(record.demand)
        return [], [], [record]
    raise TypeError(f"no trace for {type(record).__name__}")


def trace(record: Any, user: Viewer) -> list[Step]:
    if isinstance(record, PracticalDeed):
        return [_deed_step(record)]  # a deed is recorded without a source to trace
    visits, demands, problems = _origin(record)
    findings = list(
        Finding.objects.filter(visit__in=visits)
        .select_related("demand")
        .order_by("visit", "sequence", "id")
    )
    demand_ids = {d.pk for d in demands} | {
        f.demand_id for f in findings if f.demand_id
    }
    # a problem or a deed the office made of a hotspot holds each of its demands
    grouped = set(
        Problem.demands.through.objects.filter(demand_id__in=demand_ids).values_list(
            "problem_id", "demand_id"
        )
    )
    deed_links = set(
        PracticalDeed.demands.through.objects.filter(
            demand_id__in=demand_ids
        ).values_list("practicaldeed_id", "demand_id")
    )
    deed_rows = list(
        PracticalDeed.objects.filter(pk__in={pk for pk, _ in deed_links}).order_by("id")
    )
    open_deeds = set(
        deeds_for_user(user)
        .filter(pk__in=[d.pk for d in deed_rows])
        .values_list("pk", flat=True)
    )
    problem_rows = list(
        Problem.objects.filter(
            Q(pk__in=[p.pk for p in problems])
            | Q(finding__in=findings)
            | Q(demand_id__in=demand_ids)
            | Q(pk__in={pk for pk, _ in grouped})
        )
        .prefetch_related("measures")
        .order_by("id")
    )
    open_visits = set(
        visits_for_user(user)
        .filter(pk__in=[v.pk for v in visits])
        .values_list("pk", flat=True)
    )
    open_demands = set(
        demands_for_user(user).filter(pk__in=demand_ids).values_list("pk", flat=True)
    )
    # the office and the handling unit read a demand's title as typed, the
    # leading group with its personal data masked
    unmasked_demands = set(
        demands_for_user(user, write=True)
        .filter(pk__in=demand_ids)
        .values_list("pk", flat=True)
    )
    open_problems = set(
        problems_for_user(user)
        .filter(pk__in=[p.pk for p in problem_rows])
        .values_list("pk", flat=True)
    )

    def is_current(row: Any) -> bool:
        return type(row) is type(record) and row.pk == record.pk

    def problem_step(problem: Problem) -> Step:
        reachable = problem.pk in open_problems
        url = _url("ledgers_admin:problem", problem.pk) if reachable else ""
        measures = [
            Step(
                kind=_("Measure"),
                label=m.description[:60],
                status=_measure_status(m),
                url=f"{url}#measure-{m.pk}" if url else "",
                current=is_current(m),
            )
            for m in problem.measures.all()
        ]
        return Step(
            kind=_("Problem"),
            label=problem.description[:60],
            status=problem.get_status_display(),
            url=url,
            current=is_current(problem),
            children=measures,
        )

    def demand_step(demand: Demand) -> Step:
        reachable = demand.pk in open_demands
        return Step(
            kind=_("Demand"),
            label=(
                demand.title if demand.pk in unmasked_demands else demand.masked_title
            )[:60],
            status=demand.get_status_display(),
            url=_url("demands_office:detail", demand.pk) if reachable else "",
            current=is_current(demand),
            children=[
                problem_step(p)
                for p in problem_rows
                if p.demand_id == demand.pk or (p.pk, demand.pk) in grouped
            ]
            + [
                _deed_step(
                    d,
                    url=_url("ledgers_admin:deed", d.pk) if d.pk in open_deeds else "",
                    current=False,
                )
                for d in deed_rows
                if (d.pk, demand.pk) in deed_links
            ],
        )

    steps: list[Step] = []
    for visit in visits:
        reachable = visit.pk in open_visits
        url = _url("ledgers_admin:visit", visit.pk) if reachable else ""
        finding_steps = []
        for finding in findings:
            if finding.visit_id != visit.pk:
                continue
            children = [
                problem_step(p) for p in problem_rows if p.finding_id == finding.pk
            ]
            if finding.demand is not None:
                children.append(demand_step(finding.demand))
            finding_steps.append(
                Step(
                    kind=_("Finding"),
                    label=finding.text[:60],
                    url=f"{url}#finding-{finding.pk}" if url else "",
                    current=is_current(finding),
                    children=children,
                )
            )
        steps.append(
            Step(
                kind=_("Research visit"),
                label=str(visit),
                url=url,
                current=is_current(visit),
                children=finding_steps,
            )
        )
    steps.extend(demand_step(d) for d in demands)
    steps.extend(problem_step(p) for p in problem_rows if p in problems)
    return steps


def _measure_status(measure: RectificationMeasure) -> str:
    if measure.confirmed_at is not None:
        return str(_("confirmed"))
    if measure.completed_on is not None:
        return str(_("completed"))
    return f"{measure.progress}%"


def _deed_step(deed: PracticalDeed, *, url: str = "", current: bool = True) -> Step:
    return Step(
        kind=_("Practical deed"),
        label=deed.title[:60],
        status=deed.get_status_display(),
        url=url,
        current=current,
    )
