"""The indicator tree's weights: the top level's add up to 100, each parent's
children's to the parent's weight, and every leaf has what its source needs.

A draft set may be unbalanced while it is built (siblings are added one at a time,
so the sums cannot hold after every single edit); it is checked as a whole when it is
put in force (``actions.put_in_force``) and again before any scoring
(``scoring.compute`` refuses an unbalanced tree). A set in force is fixed: its
indicators are out of the editors' reach (``access.indicators_for_user``) and an edit
that would still reach one is refused on its weight (``Indicator.clean``).
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from evaluation import sources
from evaluation.models import Indicator, PointsRule, Source


def weight_errors(indicators: Iterable[Indicator]) -> list[str]:
    """What is wrong with a tree's weights and sources, one sentence each: the top
    level's weights add up to 100, each parent's children's to the parent's."""
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    by_pk: dict[int, Indicator] = {}
    for indicator in indicators:
        children[indicator.parent_id].append(indicator)
        by_pk[indicator.pk] = indicator
    errors = []
    if not children[None]:
        errors.append(_("The set has no indicators."))
    for parent_id, siblings in children.items():
        total = sum((s.weight for s in siblings), Decimal("0"))
        if parent_id is None:
            if total != 100:
                errors.append(
                    _("The top-level weights add up to %(total)s, not 100.")
                    % {"total": total}
                )
        elif total != by_pk[parent_id].weight:
            errors.append(
                _(
                    "The weights under “%(parent)s” add up to %(total)s, not its "
                    "weight %(weight)s."
                )
                % {
                    "parent": by_pk[parent_id].name,
                    "total": total,
                    "weight": by_pk[parent_id].weight,
                }
            )
    for indicator in by_pk.values():
        if indicator.pk in children:
            continue
        errors.extend(leaf_errors(indicator))
    return errors


def leaf_errors(indicator: Indicator) -> list[str]:
    """What a scored (leaf) indicator lacks for its source."""
    name = indicator.name
    if indicator.source == Source.AUTOMATIC:
        if indicator.source_name not in sources.REGISTRY:
            return [_("“%(name)s” has no known automatic source.") % {"name": name}]
        if not indicator.points_rule:
            return [_("“%(name)s” has no points rule.") % {"name": name}]
        kind = sources.REGISTRY[indicator.source_name].kind
        if kind == "count" and indicator.points_rule != PointsRule.PER_COUNT:
            return [
                _("“%(name)s” counts things: its points rule must be per count.")
                % {"name": name}
            ]
        if kind == "rate" and indicator.points_rule == PointsRule.PER_COUNT:
            return [_("“%(name)s” is a rate: score it as a rate.") % {"name": name}]
    if indicator.source == Source.SURVEY and indicator.survey_id is None:
        return [_("“%(name)s” names no survey.") % {"name": name}]
    return []
