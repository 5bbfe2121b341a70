"""Each unit's composite score and the ranking.

Only the tree's leaves are scored, each out of its maximum score:

- manual leaves: the mean of the unit's scores in the set's published inspection
  rounds (those overlapping the period, when one is given);
- automatic leaves: the source's figure for the unit (``evaluation.sources``) through
  the indicator's points rule — rate × max, (1 − rate) × max, or points per count
  (the points table by kind of count) up to the cap and never above the max;
- survey leaves: the unit's survey score × max, where the survey score is
  (滿意 + ½ 基本滿意) / valid votes (不了解 is no vote).

A leaf counts ``weight × points / max score`` towards the total; the top level's
weights add up to 100, so the total is out of 100. A unit without a figure (no
demands, no inspection score, no votes) earns 0 for that leaf.

Ranking is standard competition ranking ("1224"): equal totals, compared to the
hundredth, share a rank and the next rank skips as many places (90, 85, 85, 80 →
1, 2, 2, 4).
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q

from evaluation import sources
from evaluation.models import (
    VALID_RATINGS,
    Answer,
    Indicator,
    IndicatorSet,
    InspectionScore,
    PointsRule,
    QuestionKind,
    Rating,
    RoundStatus,
    Source,
)
from org.models import Unit

CENT = Decimal("0.01")


@dataclass
class UnitScore:
    unit_id: int
    unit_name: str
    points: dict[int, Decimal | None] = field(default_factory=dict)
    parts: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = Decimal("0")
    rank: int = 0


@dataclass
class Result:
    indicator_set: IndicatorSet
    leaves: list[Indicator]
    rows: list[UnitScore]
    # indicator id → why it earned nothing (its source is not installed)
    unavailable: dict[int, str]

    def row_for(self, unit_id: int) -> UnitScore:
        """The unit's row; KeyError for a unit outside the ranking."""
        for row in self.rows:
            if row.unit_id == unit_id:
                return row
        raise KeyError(unit_id)


def _decimal(value: float | int | Decimal) -> Decimal:
    return Decimal(str(value))


def points_for(indicator: Indicator, value: sources.Value | None) -> Decimal | None:
    """The points a figure earns on ``indicator``, between 0 and its max score."""
    if value is None:
        return None
    top = indicator.max_score
    if indicator.points_rule == PointsRule.PER_COUNT:
        per = indicator.points_per_count
        if isinstance(value, Mapping):
            table = indicator.points_table or {}
            raw = sum(
                (
                    _decimal(table.get(kind, per)) * count
                    for kind, count in value.items()
                ),
                Decimal("0"),
            )
        else:
            raw = per * _decimal(value)
        if indicator.cap is not None:
            top = min(top, indicator.cap)
    else:
        assert not isinstance(value, Mapping)
        rate = _decimal(value)
        if indicator.points_rule == PointsRule.INVERSE_RATE:
            rate = 1 - rate
        raw = rate * indicator.max_score
    return max(Decimal("0"), min(top, raw)).quantize(CENT, ROUND_HALF_UP)


def survey_scores(survey_id: int) -> dict[int, Decimal]:
    """Each unit's survey score in 0..1, from one aggregate over the answers."""
    counts = (
        Answer.objects.filter(
            survey_id=survey_id,
            question__kind=QuestionKind.RATING,
            rating__in=VALID_RATINGS,
            unit__isnull=False,
        )
        .order_by()
        .values("unit_id")
        .annotate(
            valid=Count("pk"),
            satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
            basically=Count("pk", filter=Q(rating=Rating.BASICALLY_SATISFIED)),
        )
    )
    return {
        row["unit_id"]: (row["satisfied"] + Decimal("0.5") * row["basically"])
        / row["valid"]
        for row in counts
    }


def _manual_points(
    indicator_set: IndicatorSet,
    start: datetime.date | None,
    end: datetime.date | None,
) -> dict[tuple[int, int], Decimal]:
    scores = InspectionScore.objects.filter(
        inspection_round__indicator_set=indicator_set,
        inspection_round__status=RoundStatus.PUBLISHED,
    )
    if start is not None:
        scores = scores.filter(inspection_round__ends_on__gte=start)
    if end is not None:
        scores = scores.filter(inspection_round__starts_on__lte=end)
    # tuples, not dicts: 500 units × 100 indicators are 50,000 rows
    rows = (
        scores.order_by()
        .values("unit_id", "indicator_id")
        .annotate(mean=Avg("score"))
        .values_list("unit_id", "indicator_id", "mean")
    )
    return {(unit, indicator): mean for unit, indicator, mean in rows}


def leaves_of(indicator_set: IndicatorSet) -> list[Indicator]:
    indicators = list(indicator_set.indicators.order_by("sequence", "pk"))
    parents = {indicator.parent_id for indicator in indicators}
    return [indicator for indicator in indicators if indicator.pk not in parents]


def compute(
    indicator_set: IndicatorSet,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    units: list[Unit] | None = None,
) -> Result:
    """Every unit's points, parts, total and rank: a few aggregate queries (one per
    source and survey, one for the inspection scores), whatever the number of units."""
    campaign = indicator_set.campaign
    if units is None:
        units = list(
            Unit.objects.filter(organisation_id=campaign.organisation_id).order_by(
                "path"
            )
        )
    leaves = leaves_of(indicator_set)
    manual = _manual_points(indicator_set, start, end)
    figures: dict[int, dict[int, sources.Value]] = {}
    survey_figures: dict[int, dict[int, Decimal]] = {}
    unavailable: dict[int, str] = {}
    by_source: dict[str, dict[int, sources.Value]] = {}
    with sources.shared_reports():  # the five demand rates: one report
        for leaf in leaves:
            if leaf.source == Source.AUTOMATIC:
                try:
                    if leaf.source_name not in by_source:
                        by_source[leaf.source_name] = sources.compute(
                            leaf.source_name, campaign, start, end
                        )
                    figures[leaf.pk] = by_source[leaf.source_name]
                except (sources.SourceUnavailable, KeyError) as error:
                    unavailable[leaf.pk] = str(error)
            elif leaf.source == Source.SURVEY and leaf.survey_id is not None:
                survey_figures[leaf.pk] = survey_scores(leaf.survey_id)
    rows = []
    for unit in units:
        row = UnitScore(unit.pk, unit.name, parts={s: Decimal("0") for s in Source})
        for leaf in leaves:
            if leaf.source == Source.MANUAL:
                mean = manual.get((unit.pk, leaf.pk))
                points = None if mean is None else mean.quantize(CENT, ROUND_HALF_UP)
                if mean is None:
                    row.points[leaf.pk] = None
                    continue
            elif leaf.source == Source.SURVEY:
                rate = survey_figures.get(leaf.pk, {}).get(unit.pk)
                points = (
                    None
                    if rate is None
                    else (leaf.max_score * rate).quantize(CENT, ROUND_HALF_UP)
                )
            else:
                points = points_for(leaf, figures.get(leaf.pk, {}).get(unit.pk))
            row.points[leaf.pk] = points
            if points is not None:
                row.parts[leaf.source] += leaf.weight * points / leaf.max_score
        row.parts = {k: v.quantize(CENT, ROUND_HALF_UP) for k, v in row.parts.items()}
        row.total = sum(row.parts.values(), Decimal("0")).quantize(CENT)
        rows.append(row)
    rank_rows(rows)
    rows.sort(key=lambda row: (row.rank, row.unit_name))
    return Result(indicator_set, leaves, rows, unavailable)


def rank_rows(rows: list[UnitScore]) -> None:
    """Standard competition ranking by total, best first (1, 2, 2, 4)."""
    ordered = sorted(rows, key=lambda row: -row.total)
    previous: Decimal | None = None
    current = 0
    for position, row in enumerate(ordered, start=1):
        if row.total != previous:
            current, previous = position, row.total
        row.rank = current
