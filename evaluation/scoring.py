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
weights add up to 100, so the total is out of 100.

Missing data (``MISSING_DATA_RULE``): a leaf without a figure for a unit (no demands,
no inspection score, no votes) is not scored 0: it is left out of that unit's total,
and the leaves that have a figure are re-weighted to 100 (total = the parts' sum ×
100 / the weights with a figure). The score is then marked partial. A unit with no
figure at all has no total and no rank.

Ranking is standard competition ranking ("1224"): equal totals, compared to the
hundredth, share a rank and the next rank skips as many places (90, 85, 85, 80 →
1, 2, 2, 4); units without a total come last, unranked.
"""

import datetime
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from evaluation import sources
from evaluation.models import (
    VALID_RATINGS,
    Answer,
    Indicator,
    IndicatorSet,
    InspectionRound,
    InspectionScore,
    PointsRule,
    QuestionKind,
    Rating,
    RoundStatus,
    Source,
)
from evaluation.weights import weight_errors
from org.models import Unit

Figure = TypeVar("Figure")
CENT = Decimal("0.01")
MANUAL_SECONDS = 24 * 3600
NANOCENT = Decimal("0.00000000001")


class Unbalanced(Exception):
    """The tree's weights do not add up (or a leaf lacks what its source needs):
    nothing is scored on it."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


MISSING_DATA_RULE = _(
    "An indicator without a figure for a unit (no demands, no inspection score, no "
    "votes) is not scored 0: it is left out of that unit's total and the other "
    "indicators are re-weighted to 100. Such a total is partial (※). A unit with no "
    "figure at all has no total and is not ranked."
)


@dataclass
class UnitScore:
    unit_id: int
    unit_name: str
    points: dict[int, Decimal | None] = field(default_factory=dict)
    # each source's weighted points as earned, before any re-weighting
    parts: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal | None = None  # None: no figure at all
    rank: int | None = None
    # the weights of the leaves with a figure, of ``full_weight``
    weight_scored: Decimal = Decimal("0")
    full_weight: Decimal = Decimal("0")

    @property
    def partial(self) -> bool:
        """Some leaf had no figure: the total is re-weighted over the others."""
        return self.total is not None and self.weight_scored < self.full_weight

    @property
    def shown_total(self) -> str:
        """The total as documents print it: "—" without one, ※ when partial."""
        if self.total is None:
            return "—"
        return f"{self.total:.2f}" + (" ※" if self.partial else "")

    @property
    def shown_rank(self) -> str:
        return "—" if self.rank is None else str(self.rank)


@dataclass
class Result:
    indicator_set: IndicatorSet
    leaves: list[Indicator]
    rows: list[UnitScore]

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


def _published_rounds(
    indicator_set: IndicatorSet,
    start: datetime.date | None,
    end: datetime.date | None,
) -> QuerySet[InspectionRound]:
    rounds = InspectionRound.objects.filter(
        indicator_set=indicator_set, status=RoundStatus.PUBLISHED
    )
    if start is not None:
        rounds = rounds.filter(ends_on__gte=start)
    if end is not None:
        rounds = rounds.filter(starts_on__lte=end)
    return rounds


def _cached_manual(
    kind: str,
    compute: Callable[[list[int]], dict[Any, Figure]],
    indicator_set: IndicatorSet,
    leaves: list[Indicator],
    start: datetime.date | None,
    end: datetime.date | None,
) -> dict[Any, Figure]:
    """``compute(round ids)`` over the published rounds that count, cached under a
    version made of what the manual figures depend on: those rounds (with their
    dates and moment of publication) and the leaves' weights and maximum scores.

    A published round's scores no longer change (``actions.score_unit`` scores open
    rounds only), so a publication, a round's new dates or a deleted round make a
    new version, and the old one is never read again."""
    rounds = list(
        _published_rounds(indicator_set, start, end)
        .order_by("pk")
        .values_list("pk", "published_at", "starts_on", "ends_on")
    )
    if not rounds:
        return {}
    version = hashlib.sha256(
        repr(
            (
                indicator_set.pk,
                rounds,
                [
                    (leaf.pk, leaf.weight, leaf.max_score, leaf.source)
                    for leaf in leaves
                ],
            )
        ).encode()
    ).hexdigest()
    key = f"evaluation:{kind}:{version}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    figures = compute([pk for pk, *_rest in rounds])
    cache.set(key, figures, MANUAL_SECONDS)
    return figures


def _means(round_ids: list[int]) -> Any:
    """(unit, leaf, mean of the unit's scores on the leaf rounded to the cent)."""
    return (
        InspectionScore.objects.filter(inspection_round__in=round_ids)
        .order_by()
        .values("unit_id", "indicator_id")
        .annotate(mean=Round(Avg("score"), 2))
    )


def _manual_points(round_ids: list[int]) -> dict[Any, Decimal]:
    """(unit, leaf) → the mean of the unit's published scores on the leaf, rounded
    to the cent by the database (as ``_manual_parts`` rounds it)."""
    # tuples, not dicts: 500 units × 100 indicators are 50,000 rows
    rows = _means(round_ids).values_list("unit_id", "indicator_id", "mean")
    return {(unit, indicator): mean for unit, indicator, mean in rows}


def _manual_parts(round_ids: list[int]) -> dict[Any, tuple[Decimal, Decimal]]:
    """unit → its manual part (Σ weight × mean to the cent / max score over the
    manual leaves) and the weights of the manual leaves it has a score on, summed
    by the database: one row per unit, not per score."""
    means = _means(round_ids).values("unit_id", "indicator_id", "mean")
    inner, params = means.query.sql_with_params()
    table = connection.ops.quote_name(Indicator._meta.db_table)
    sql = (
        f"SELECT means.unit_id, SUM(leaf.weight * means.mean / leaf.max_score), "
        f"SUM(leaf.weight) FROM ({inner}) means JOIN {table} leaf "
        "ON leaf.id = means.indicator_id GROUP BY means.unit_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            unit: (_cents(part), _decimal(weight))
            for unit, part, weight in cursor.fetchall()
        }


def _cents(value: float | Decimal) -> Decimal:
    """To the cent, half up; SQLite sums in binary floating point, so its noise
    (12.344999999999999 for 12.345) is rounded off at the nanocent first."""
    return (
        _decimal(value).quantize(NANOCENT, ROUND_HALF_UP).quantize(CENT, ROUND_HALF_UP)
    )


def leaves_of(indicator_set: IndicatorSet) -> list[Indicator]:
    return _leaves(list(indicator_set.indicators.order_by("sequence", "pk")))


def _leaves(indicators: list[Indicator]) -> list[Indicator]:
    parents = {indicator.parent_id for indicator in indicators}
    return [indicator for indicator in indicators if indicator.pk not in parents]


def compute(
    indicator_set: IndicatorSet,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    units: list[Unit] | None = None,
    detail: bool = True,
) -> Result:
    """Every unit's points, parts, total and rank: a few aggregate queries (one per
    source and survey, one for the inspection scores), whatever the number of units.

    Without ``detail`` (the cockpit's ranking), the manual leaves' points are not
    listed: the database sums each unit's manual part, one row per unit. Refused
    (``Unbalanced``) when the tree's weights do not add up."""
    campaign = indicator_set.campaign
    indicators = list(indicator_set.indicators.order_by("sequence", "pk"))
    errors = weight_errors(indicators)
    if errors:
        raise Unbalanced(errors)
    if units is None:
        units = list(
            Unit.objects.filter(organisation_id=campaign.organisation_id).order_by(
                "path"
            )
        )
    leaves = _leaves(indicators)
    manual = (
        _cached_manual("points", _manual_points, indicator_set, leaves, start, end)
        if detail
        else {}
    )
    manual_parts = (
        {}
        if detail
        else _cached_manual(
            "parts-weights", _manual_parts, indicator_set, leaves, start, end
        )
    )
    full_weight = sum((_decimal(leaf.weight) for leaf in leaves), Decimal("0"))
    figures: dict[int, dict[int, sources.Value]] = {}
    survey_figures: dict[int, dict[int, Decimal]] = {}
    by_source: dict[str, dict[int, sources.Value]] = {}
    with sources.shared_reports():  # the five demand rates: one report
        for leaf in leaves:
            if leaf.source == Source.AUTOMATIC:
                if leaf.source_name not in by_source:
                    by_source[leaf.source_name] = sources.compute(
                        leaf.source_name, campaign, start, end
                    )
                figures[leaf.pk] = by_source[leaf.source_name]
            elif leaf.source == Source.SURVEY and leaf.survey_id is not None:
                survey_figures[leaf.pk] = survey_scores(leaf.survey_id)
    scored = leaves if detail else [x for x in leaves if x.source != Source.MANUAL]
    rows = []
    for unit in units:
        row = UnitScore(
            unit.pk,
            unit.name,
            parts={s: Decimal("0") for s in Source},
            full_weight=full_weight,
        )
        for leaf in scored:
            if leaf.source == Source.MANUAL:
                mean = manual.get((unit.pk, leaf.pk))
                points = None if mean is None else mean.quantize(CENT, ROUND_HALF_UP)
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
                row.weight_scored += _decimal(leaf.weight)
        row.parts = {k: v.quantize(CENT, ROUND_HALF_UP) for k, v in row.parts.items()}
        if not detail:
            part, weight = manual_parts.get(unit.pk, (Decimal("0.00"), Decimal("0")))
            row.parts[Source.MANUAL] = part
            row.weight_scored += weight
        row.total = reweighted(row)
        rows.append(row)
    rank_rows(rows)
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.unit_name))
    return Result(indicator_set, leaves, rows)


def reweighted(row: UnitScore) -> Decimal | None:
    """The total by ``MISSING_DATA_RULE``: the parts' sum over the weights with a
    figure, scaled to the full weight; None without any figure."""
    if not row.weight_scored:
        return None
    earned = sum(row.parts.values(), Decimal("0"))
    if row.weight_scored == row.full_weight:
        return earned.quantize(CENT)
    scaled = earned * row.full_weight / row.weight_scored
    return scaled.quantize(CENT, ROUND_HALF_UP)


def rank_rows(rows: list[UnitScore]) -> None:
    """Standard competition ranking by total, best first (1, 2, 2, 4); a row
    without a total has no rank."""
    ordered = sorted(
        (row for row in rows if row.total is not None),
        key=lambda row: -(row.total or Decimal("0")),
    )
    previous: Decimal | None = None
    current = 0
    for position, row in enumerate(ordered, start=1):
        if row.total != previous:
            current, previous = position, row.total
        row.rank = current
