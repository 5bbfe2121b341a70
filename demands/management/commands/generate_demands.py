"""A large, plausible data set of demands for benchmarks (never for production).

``generate_demands --units 500 --demands 1000000 --campaign bench`` makes the
organisation, the units, the campaign, its main tasks and its dispatch catalogue when
they are missing, then inserts the demands with ``bulk_create`` in batches. Each
demand lives a simulated life over the year before ``--until`` (dispatch, acceptance,
reply, rating, a reopen now and then), so the statuses, deadlines and ratings spread
the way a hotline's do, late ones included. The same ``--seed`` and ``--until`` give
the same rows. Deadlines are counted in working days of the Chinese calendar, as the
lifecycle counts them.

Generated demands bypass ``demands.actions`` on purpose: a million audited
transitions would take hours and the audit trail is not what is measured. The
figures' rollup is rebuilt for the whole campaign at the end instead.
"""

import datetime
import functools
import random
import time
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from campaigns import generated
from campaigns.models import Campaign, CampaignStatus, MainTask
from core.workdays import add_workdays
from demands import rollup
from demands.models import (
    Category,
    Channel,
    Demand,
    DemandKind,
    DemandStatus,
    Rating,
    Urgency,
    hash_query_code,
)
from org.calendar import overrides
from org.models import Organisation, Unit, UnitKind

ORGANISATION = "基準測試委員會（生成數據）"
MAIN_TASKS = ("服務基層", "服務群眾", "服務社會", "促進發展")
TOPICS = (
    ("水渠堵塞", "村口水渠堵塞，雨季將至，請儘快疏通。"),
    ("堤防滲水", "河堤有一段滲水，群眾擔心汛期安全。"),
    ("飲水水質", "自來水近日發黃，請檢測水質。"),
    ("取水許可", "咨詢取水許可的辦理流程和所需材料。"),
    ("水土流失", "山坡開挖後水土流失嚴重，影響下游農田。"),
    ("灌溉用水", "灌區放水時間安排不合理，請協調。"),
    ("辦事效率", "辦理審批時多次往返，建議一次告知所需材料。"),
    ("工作表揚", "工作人員熱情周到，特此表揚。"),
)
SURNAMES = "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何林羅高"

KINDS = (
    [DemandKind.CONSULTATION] * 25
    + [DemandKind.HELP] * 25
    + [DemandKind.COMPLAINT] * 20
    + [DemandKind.REPORT] * 5
    + [DemandKind.SUGGESTION] * 20
    + [DemandKind.PRAISE] * 5
)
URGENCIES = [Urgency.NORMAL] * 85 + [Urgency.URGENT] * 12 + [Urgency.CRITICAL] * 3
CHANNELS = (
    [Channel.WEB] * 45
    + [Channel.PHONE] * 35
    + [Channel.LETTER] * 5
    + [Channel.VISIT] * 5
    + [Channel.RESEARCH] * 3
    + [Channel.API] * 5
    + [Channel.OPEN311] * 2
)
FIRST_RATINGS = (
    [Rating.SATISFIED] * 60
    + [Rating.BASICALLY_SATISFIED] * 20
    + [Rating.UNSATISFIED] * 8
    + [Rating.UNKNOWN] * 4
    + [""] * 8
)
SECOND_RATINGS = (
    [Rating.SATISFIED] * 45
    + [Rating.BASICALLY_SATISFIED] * 30
    + [Rating.UNSATISFIED] * 15
    + [""] * 10
)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


class Command(BaseCommand):
    help = "Generate many demands (and their units and campaign) for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        generated.add_arguments(parser, count="demands", default=10_000, batch=10_000)
        parser.add_argument("--units", type=int, default=500)
        parser.add_argument(
            "--habits",
            action="store_true",
            help=(
                "Give each unit a speed per category (fast, usual or slow), so "
                "that its history says something of its next reply: what the "
                "breach-risk backtest (backtest_breach_risk) needs."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["units"] < 1 or options["demands"] < 0 or options["batch"] < 1:
            raise CommandError("--units and --batch must be positive")
        started = time.monotonic()
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        existing = Campaign.objects.filter(slug=options["campaign"]).first()
        until = options["until"] or (
            existing.ends_on if existing is not None else timezone.localdate()
        )
        now = datetime.datetime.combine(until, datetime.time(18), tzinfo=tz)
        campaign, categories, units = self.setup(
            options["campaign"], options["units"], until
        )
        first = Demand.objects.filter(campaign=campaign).count()
        total, batch = options["demands"], options["batch"]
        generator = Generator(
            campaign,
            categories,
            units,
            now=now,
            rng=random.Random(options["seed"]),
            holidays=overrides(),
            first=first,
            total=total,
            habits=options["habits"],
        )
        for offset in range(0, total, batch):
            rows = [
                generator.demand(first + n)
                for n in range(offset, min(offset + batch, total))
            ]
            with transaction.atomic():
                Demand.objects.bulk_create(rows, batch_size=batch)
            if options["verbosity"] > 1:
                self.stdout.write(f"{offset + len(rows)} demands")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE demands_demand")
        # the rows bypassed the actions, and with them the rollup's recounts
        rollup.rebuild(campaign.pk)
        self.stdout.write(
            f"{total} demands for {len(units)} units in campaign {campaign.slug} "
            f"in {time.monotonic() - started:.1f} s"
        )

    @transaction.atomic
    def setup(
        self, slug: str, unit_count: int, until: datetime.date
    ) -> tuple[Campaign, list[Category], list[Unit]]:
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            organisation, _ = Organisation.objects.get_or_create(name=ORGANISATION)
            campaign = Campaign.objects.create(
                organisation=organisation,
                slug=slug,
                name=f"基準測試活動 {slug}",
                theme="服務基層、服務群眾、服務社會，促進發展",
                starts_on=until - datetime.timedelta(days=365),
                ends_on=until,
                status=CampaignStatus.ACTIVE,
            )
        organisation = campaign.organisation
        units = list(Unit.objects.filter(organisation=organisation).order_by("path"))
        # Zero-padded names sort in creation order, so each new root goes last and
        # treebeard moves no sibling.
        for number in range(len(units) + 1, unit_count + 1):
            units.append(
                Unit.add_root(
                    organisation=organisation,
                    name=f"生成單位{number:04d}",
                    kind=UnitKind.GRASSROOTS if number % 5 else UnitKind.DEPARTMENT,
                )
            )
        units = units[:unit_count]
        tasks = list(campaign.main_tasks.order_by("sequence"))
        if not tasks:
            tasks = [
                MainTask.objects.create(campaign=campaign, sequence=n, name=name)
                for n, name in enumerate(MAIN_TASKS, start=1)
            ]
        categories = list(Category.objects.filter(campaign=campaign))
        if not categories:
            categories = Category.objects.bulk_create(
                Category(
                    campaign=campaign,
                    name=f"{topic}（{tasks[n % len(tasks)].name}）",
                    main_task=tasks[n % len(tasks)],
                    default_unit=units[n % len(units)],
                    sequence=n,
                )
                for n, (topic, _) in enumerate(TOPICS)
            )
        return campaign, categories, units


# a unit's habit with a category: the share of its replies that are late and how
# much of the time limit its timely ones use (``--habits``)
HABITS = ((0.45, (0.03, 0.5)), (0.40, (0.12, 0.9)), (0.15, (0.5, 1.0)))


@functools.cache
def habit(unit_id: int | None, category_id: int | None) -> tuple[float, float]:
    """The same habit for a unit and category in every run: drawn from a stream
    of their own, which leaves the demands' stream as it is."""
    draw = random.Random(f"{unit_id}-{category_id}").random()
    for share, kept in HABITS:
        if draw < share:
            return kept
        draw -= share
    return HABITS[-1][1]


class Generator:
    """One demand at a time, from one seeded random stream."""

    def __init__(
        self,
        campaign: Campaign,
        categories: list[Category],
        units: list[Unit],
        *,
        now: datetime.datetime,
        rng: random.Random,
        holidays: dict[datetime.date, bool],
        first: int = 0,
        total: int = 1,
        habits: bool = False,
    ) -> None:
        self.habits = habits
        self.first = first
        self.start = now - 365 * DAY
        self.step = 365 * DAY / max(total, 1)
        self.campaign = campaign
        self.categories = categories
        self.units = units
        self.now = now
        self.rng = rng
        self.holidays = holidays
        self.dispatch_hours = settings.SANFU_DEMANDS["DISPATCH_HOURS"]
        self.accept_days = settings.SANFU_DEMANDS["ACCEPT_WORKDAYS"]
        self.reply_days = settings.SANFU_DEMANDS["REPLY_WORKDAYS"]
        self.window = datetime.timedelta(
            days=settings.SANFU_DEMANDS["RATING_WINDOW_DAYS"]
        )

    @functools.lru_cache(maxsize=8192)  # noqa: B019 (one generator per run)
    def _calendar_days(self, day: datetime.date, workdays: int) -> int:
        start = datetime.datetime.combine(day, datetime.time())
        return (add_workdays(start, workdays, self.holidays).date() - day).days

    def after_workdays(self, moment: datetime.datetime, days: int) -> datetime.datetime:
        return moment + self._calendar_days(moment.date(), days) * DAY

    def demand(self, number: int) -> Demand:
        rng = self.rng
        category = rng.choice(self.categories)
        kind = rng.choice(KINDS)
        urgency = rng.choice(URGENCIES)
        topic, text = TOPICS[rng.randrange(len(TOPICS))]
        # Demands arrive in time order, as tracking numbers and rows on disk do in
        # a real hotline (the planner's cost of a date range depends on it).
        submitted = self.start + (number - self.first + rng.random()) * self.step
        has_phone = rng.random() < 0.6
        demand = Demand(
            campaign_id=self.campaign.pk,
            tracking_no=f"G{self.campaign.pk}-{number:09d}",
            query_code_hash=hash_query_code(f"{rng.getrandbits(40):010X}"),
            kind=kind,
            urgency=urgency,
            channel=rng.choice(CHANNELS),
            category_id=category.pk,
            main_task_id=category.main_task_id,
            title=topic,
            content=text,
            submitter_name=rng.choice(SURNAMES) + "先生" if has_phone else "",
            submitter_phone=f"13{rng.randrange(10**9):09d}" if has_phone else "",
            allow_publish=rng.random() < 0.3,
            submitted_at=submitted,
            dispatch_due=submitted + self.dispatch_hours[urgency] * HOUR,
            duplicate_checked=True,  # a generated year: no check is owed
        )
        self.live(demand, category)
        return demand

    def live(self, demand: Demand, category: Category) -> None:
        """Walk the demand through its lifecycle until ``now`` stops it."""
        rng, now = self.rng, self.now
        limit = demand.dispatch_due - demand.submitted_at
        late = rng.random() < 0.05
        dispatched = demand.submitted_at + limit * rng.uniform(0.1, 3 if late else 1)
        if dispatched > now:
            return
        demand.status = DemandStatus.DISPATCHED
        demand.unit_id = (
            category.default_unit_id
            if rng.random() < 0.3
            else self.units[rng.randrange(len(self.units))].pk
        )
        demand.dispatched_at = dispatched
        demand.accept_due = self.after_workdays(dispatched, self.accept_days)
        demand.reply_due = self.after_workdays(dispatched, self.reply_days[demand.kind])
        window = demand.accept_due - dispatched
        if rng.random() < 0.9:
            accepted = dispatched + window * rng.uniform(0.02, 1)
        else:
            accepted = demand.accept_due + rng.uniform(0.1, 3) * DAY
        if accepted > now:
            return
        demand.status = DemandStatus.ACCEPTED
        demand.accepted_at = accepted
        if not self.reply(demand, since=accepted):
            return
        first = rng.choice(FIRST_RATINGS)
        if first == Rating.UNSATISFIED:
            assert demand.replied_at is not None
            rated = demand.replied_at + rng.uniform(0.1, 5) * DAY
            if rated > now:
                return
            demand.status = DemandStatus.REOPENED
            demand.reopen_count = 1
            demand.first_reply = demand.reply
            demand.reply, demand.solved, demand.replied_at = "", None, None
            demand.reply_due = self.after_workdays(rated, self.reply_days[demand.kind])
            if not self.reply(demand, since=rated):
                return
            first = rng.choice(SECOND_RATINGS)
        self.rate(demand, first)

    def reply(self, demand: Demand, *, since: datetime.datetime) -> bool:
        rng = self.rng
        assert demand.reply_due is not None
        late, spread = (
            habit(demand.unit_id, demand.category_id) if self.habits else (0.15, 1)
        )
        if rng.random() >= late and since < demand.reply_due:
            replied = since + (demand.reply_due - since) * rng.uniform(0.05, spread)
        else:
            replied = max(since, demand.reply_due) + rng.uniform(0.1, 10) * DAY
        if replied > self.now:
            return False
        demand.status = DemandStatus.REPLIED
        demand.replied_at = replied
        demand.solved = rng.random() < 0.8
        demand.reply = "已處理，詳見答覆。" if demand.solved else "已說明情況。"
        return True

    def rate(self, demand: Demand, rating: str) -> None:
        assert demand.replied_at is not None
        if rating in ("", Rating.UNKNOWN):
            if demand.replied_at + self.window < self.now:
                demand.status = DemandStatus.CLOSED
                demand.closed_at = demand.replied_at + self.window
            return
        rated = demand.replied_at + self.rng.uniform(0.1, 5) * DAY
        if rated > self.now:
            return
        demand.status = DemandStatus.CLOSED
        demand.rating = rating
        demand.rated_at = demand.closed_at = rated
