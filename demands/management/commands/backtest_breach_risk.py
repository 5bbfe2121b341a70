"""Replay a campaign's history to see how well the breach risk (``demands.risk``)
warns: at each replay moment, every demand a unit held with its reply deadline
still ahead is scored from what was known then (the replies before that moment,
the backlog at it), and the score is set against what happened (replied after
the deadline, or not at all by the end of the data).

``backtest_breach_risk --campaign bench`` prints, at the list's thresholds,
precision (of the demands warned of, the share that were late) and recall (of the
late ones, the share warned of), for every held demand and for those not yet
under a yellow card, beside the base rate. Meant for generated data
(``generate_demands --habits``): it reads the campaign's demands into memory.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from campaigns.models import Campaign
from core.workdays import WorkdayCounter
from demands import risk
from demands.deadlines import card_for, overrides
from demands.models import Demand, DemandStatus

DAY = datetime.timedelta(days=1)


@dataclass
class Tally:
    """Warned-and-late counts at each threshold, and the late and total counts."""

    scored: int = 0
    late: int = 0
    warned: Counter[float] = field(default_factory=Counter)
    hits: Counter[float] = field(default_factory=Counter)

    def add(self, probability: float, was_late: bool) -> None:
        self.scored += 1
        self.late += was_late
        for threshold in (risk.HIGH, risk.MEDIUM):
            if probability >= threshold:
                self.warned[threshold] += 1
                self.hits[threshold] += was_late

    def line(self, threshold: float) -> str:
        warned, hits = self.warned[threshold], self.hits[threshold]
        precision = hits / warned if warned else 0.0
        recall = hits / self.late if self.late else 0.0
        return (
            f"≥ {threshold:.0%}: warned {warned}, precision {precision:.1%}, "
            f"recall {recall:.1%}"
        )


class Command(BaseCommand):
    help = "Backtest the breach-risk warning on a campaign's (generated) history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", required=True, help="Campaign slug.")
        parser.add_argument(
            "--days", type=int, default=90, help="Replay the last DAYS days."
        )
        parser.add_argument(
            "--step", type=int, default=7, help="Days between replay moments."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.filter(slug=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"No campaign {options['campaign']!r}.")
        if options["days"] < 1 or options["step"] < 1:
            raise CommandError("--days and --step must be positive")
        # A reopened demand's first reply is not kept: its story is left out, as
        # the history leaves it out.
        rows: list[Any] = list(
            Demand.objects.filter(
                campaign=campaign, dispatched_at__isnull=False, reopen_count=0
            )
            .exclude(status=DemandStatus.REOPENED)
            .values_list(
                "pk",
                "unit_id",
                "category_id",
                "dispatched_at",
                "replied_at",
                "reply_due",
            )
            .order_by("dispatched_at")
        )
        if not rows:
            raise CommandError("The campaign has no dispatched demands.")
        end = max(r[4] or r[3] for r in rows)
        first = min(r[3] for r in rows)
        counter = WorkdayCounter(
            timezone.localtime(first).date() - DAY,
            timezone.localtime(max(r[5] for r in rows)).date() + DAY,
            overrides(),
        )
        everything, before_yellow, cards = Tally(), Tally(), Tally()
        moment = end - options["days"] * DAY
        moments = 0
        while moment <= end - 20 * DAY:  # leave time for the outcomes to show
            moments += 1
            self.replay(
                rows, moment, end, counter, campaign, (everything, before_yellow, cards)
            )
            moment += options["step"] * DAY
        self.stdout.write(
            f"{campaign.slug}: {len(rows)} dispatched demands, {moments} replay "
            f"moments every {options['step']} days over the last {options['days']}"
        )
        for name, tally in (
            ("held", everything),
            ("before the yellow card", before_yellow),
        ):
            base = tally.late / tally.scored if tally.scored else 0.0
            self.stdout.write(
                f"{name}: {tally.scored} scored, {tally.late} late "
                f"(base rate {base:.1%})"
            )
            for threshold in (risk.HIGH, risk.MEDIUM):
                self.stdout.write(f"  {tally.line(threshold)}")
        # what the office has without the risk: the yellow card as the warning
        self.stdout.write(f"yellow card as the warning (held): {cards.line(risk.HIGH)}")

    def replay(
        self,
        rows: list[Any],
        moment: datetime.datetime,
        end: datetime.datetime,
        counter: WorkdayCounter,
        campaign: Campaign,
        tallies: tuple[Tally, Tally, Tally],
    ) -> None:
        everything, before_yellow, cards = tallies
        since = moment - risk.HISTORY_DAYS * DAY
        history = risk.history_of(
            (
                (unit, category, dispatched, replied)
                for _pk, unit, category, dispatched, replied, _due in rows
                if replied is not None and since <= replied < moment
            ),
            counter,
        )
        held = [r for r in rows if r[3] <= moment and (r[4] is None or r[4] > moment)]
        backlog = Counter(r[1] for r in held)
        for pk, unit, category, dispatched, replied, due in held:
            if due <= moment or (replied is None and due > end):
                continue  # already late, or no outcome yet
            demand = Demand(
                pk=pk,
                status=DemandStatus.ACCEPTED,
                unit_id=unit,
                category_id=category,
                dispatched_at=dispatched,
                reply_due=due,
            )
            found = risk.risk_of(
                demand, now=moment, history=history, backlog=backlog, counter=counter
            )
            assert found is not None
            was_late = replied is None or replied > due
            everything.add(found.probability, was_late)
            yellow = card_for(
                due,
                moment,
                start=dispatched,
                yellow_percent=campaign.yellow_card_percent,
            )
            cards.add(1.0 if yellow else 0.0, was_late)
            if not yellow:
                before_yellow.add(found.probability, was_late)
