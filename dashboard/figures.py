"""The cockpit's figures, computed once and shown on screen and in the weekly report.

Every figure comes from an aggregate: the demands' rates from the rollup's month and
day rows (``demands.metrics.report``), the open and overdue counts from index-only
counts on the campaign's open demands, the ranking from ``evaluation.scoring`` (the
database sums each unit's manual part). The ledgers' and the column's figures come
from their apps' metrics modules, the milestones from ``campaigns.progress``.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from dashboard.topics import Topic, hot_topics
from demands import metrics
from demands.models import Demand
from evaluation import scoring, sources
from evaluation.models import IndicatorSet, SetStatus
from ledgers import metrics as ledger_metrics
from org.models import Unit
from plans.progress import milestone_progress
from publicity import metrics as column_metrics

SUPERVISION_SHOWN = 10
RANKING_SHOWN = 10
UNITS_CHARTED = 20


@dataclass(frozen=True)
class PhaseProgress:
    pk: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    elapsed: float  # share of the phase's days gone by, 0..1
    current: bool


@dataclass(frozen=True)
class Progress:
    """A ledger's or the column's figure: done of due, per unit and in total."""

    done: int
    total: int
    by_unit: list[tuple[str, int, int]]

    @property
    def rate(self) -> float | None:
        return self.done / self.total if self.total else None


@dataclass
class Figures:
    campaign: Campaign
    unit: Unit | None
    start: datetime.date
    end: datetime.date
    generated_at: datetime.datetime
    phases: list[PhaseProgress]
    milestones: list[str]
    demands: metrics.Row
    by_main_task: list[metrics.Row]
    by_unit: list[metrics.Row]
    open_count: int
    overdue_count: int
    supervision: list[Demand]
    rectification: Progress
    deeds: Progress
    submissions: Progress
    ranking: list[scoring.UnitScore] | None
    ranking_set: IndicatorSet | None
    topics: list[Topic] = field(default_factory=list)


def _phases(campaign: Campaign, today: datetime.date) -> list[PhaseProgress]:
    phases = []
    for phase in campaign.phases.order_by("sequence"):
        days = (phase.ends_on - phase.starts_on).days + 1
        gone = min(max((today - phase.starts_on).days + 1, 0), days)
        phases.append(
            PhaseProgress(
                phase.pk,
                phase.name,
                phase.starts_on,
                phase.ends_on,
                gone / days,
                phase.starts_on <= today <= phase.ends_on,
            )
        )
    return phases


def _names(ids: Any) -> dict[int, str]:
    return dict(Unit.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def _pairs(pairs: dict[int, tuple[int, int]], unit: Unit | None) -> Progress:
    if unit is not None:
        pairs = {k: v for k, v in pairs.items() if k == unit.pk}
    names = _names(pairs)
    rows = sorted(
        ((names.get(k, "?"), done, due) for k, (done, due) in pairs.items()),
        key=lambda row: (row[1] / row[2] if row[2] else 0, row[0]),
    )
    return Progress(
        sum(done for _n, done, _d in rows), sum(due for _n, _d, due in rows), rows
    )


def _counts(counts: dict[int, int], unit: Unit | None) -> Progress:
    if unit is not None:
        counts = {k: v for k, v in counts.items() if k == unit.pk}
    names = _names(counts)
    rows = sorted(
        ((names.get(k, "?"), n, n) for k, n in counts.items()), key=lambda r: -r[1]
    )
    total = sum(n for _name, n, _same in rows)
    return Progress(total, total, rows)


def _milestones(campaign: Campaign) -> list[str]:
    return [
        _("%(phase)s: %(done)s of %(total)s milestones done, %(overdue)s overdue")
        % {
            "phase": row.phase.name,
            "done": row.done,
            "total": row.total,
            "overdue": row.overdue,
        }
        for row in milestone_progress(campaign)
    ]


def current_set(campaign: Campaign) -> IndicatorSet | None:
    return (
        IndicatorSet.objects.filter(campaign=campaign, status=SetStatus.IN_FORCE)
        .order_by("-in_force_at", "-pk")
        .first()
    )


def cockpit_figures(
    campaign: Campaign,
    *,
    start: datetime.date,
    end: datetime.date,
    unit: Unit | None = None,
) -> Figures:
    with sources.shared_reports():  # one demands report for the rates and ranking
        return _cockpit_figures(campaign, start=start, end=end, unit=unit)


def _cockpit_figures(
    campaign: Campaign,
    *,
    start: datetime.date,
    end: datetime.date,
    unit: Unit | None,
) -> Figures:
    now = timezone.now()
    report = sources.demand_report(campaign, start, end)
    total = report.total
    if unit is not None:
        total = next(
            (row for row in report.by_unit if row.key == unit.pk),
            metrics.Row(key=unit.pk, label=unit.name),
        )
    # the open and the overdue are counted as they stand now, over the whole
    # campaign: what there is to supervise today, whenever it came in
    standing = Demand.objects.filter(campaign=campaign)
    if unit is not None:
        standing = standing.filter(unit=unit)
    ranking_set = current_set(campaign)
    ranking = None
    if ranking_set is not None:
        ranking = scoring.compute(ranking_set, start=start, end=end, detail=False).rows
    return Figures(
        campaign=campaign,
        unit=unit,
        start=start,
        end=end,
        generated_at=now,
        phases=_phases(campaign, timezone.localdate()),
        milestones=_milestones(campaign),
        demands=total,
        by_main_task=(
            report.by_main_task if unit is None else report.by_main_task_of(unit.pk)
        ),
        # the units' rates: the undispatched row has none
        by_unit=sorted(
            (row for row in report.by_unit if row.key is not None),
            key=lambda row: -row.received,
        )[:UNITS_CHARTED],
        open_count=standing.open().count(),
        # every case of overdue is an open status already; saying so lets PostgreSQL
        # count from the open demands' partial index alone (an index-only scan).
        # Not in overdue() itself: the office's list, newest first, would then
        # sort every open demand instead of walking its date index to a page.
        overdue_count=standing.open().overdue(now).count(),
        supervision=list(
            standing.for_supervision(now)
            .select_related("unit")
            .order_by("reply_due", "pk")[:SUPERVISION_SHOWN]
        ),
        rectification=_pairs(
            ledger_metrics.on_time_rectification(campaign, start, end), unit
        ),
        deeds=_pairs(ledger_metrics.deeds_done(campaign, start, end), unit),
        submissions=_counts(
            column_metrics.published_submissions(campaign, start, end), unit
        ),
        ranking=ranking,
        ranking_set=ranking_set,
        topics=hot_topics(campaign, start, end, unit=unit),
    )
