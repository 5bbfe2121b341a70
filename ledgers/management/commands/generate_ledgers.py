"""A large, plausible set of ledger rows for benchmarks (never for production).

``generate_ledgers --campaign bench --rows 200000`` adds to a campaign made by
``generate_demands`` (its units and main tasks) research visits, problems with one
rectification measure each, and practical deeds, in the shares a unit's ledgers
hold (15 % visits, 30 % problems, 30 % measures, 25 % deeds of ``--rows``), inserted
with ``bulk_create`` in batches. Dates spread over the year before ``--until``; the
states are those a year leaves behind: measures done on time, done late, still open
and overdue, or not due yet; problems closed once verified, applied for, or being
rectified; deeds verified, done and awaiting verification, or in progress (some
overdue). The same ``--seed`` and ``--until`` give the same rows.

Like ``generate_demands``, the rows bypass ``ledgers.actions`` (no audit entries, no
notices): what is measured is reading the ledgers, not writing them.
"""

import datetime
import random
import time
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from campaigns import generated
from campaigns.models import Campaign
from ledgers.models import (
    DeedClass,
    DeedStatus,
    PracticalDeed,
    Problem,
    ProblemSource,
    ProblemStatus,
    RectificationMeasure,
    ResearchVisit,
    Severity,
)
from org.models import Person, Unit

DAY = datetime.timedelta(days=1)
PROBLEMS = (
    "調研發現基層反映的審批材料要求不統一",
    "部分水文站點巡查記錄不完整",
    "群眾來信答覆時限把握不嚴",
    "工程項目信息公開不及時",
    "基層服務窗口辦事指南更新滯後",
    "防汛物資台賬與實物不符",
)
MEASURES = (
    "制定統一的材料清單並在窗口公示",
    "建立巡查記錄月度抽查制度",
    "實行答覆時限提醒和督辦",
    "每月更新公開目錄並專人審核",
)
DEEDS = (
    ("為灌區群眾疏通排灌渠道", "灌區村民"),
    ("為山區學校解決安全飲水", "師生"),
    ("為基層站所配備巡查設備", "基層站所職工"),
    ("為困難群眾修繕防洪設施", "沿河群眾"),
    ("開展水法規進村宣講", "村民"),
)
PLACES = ("北江大堤管理處", "西江水文站", "東江灌區", "韓江上游村鎮", "珠江口濕地")
SEVERITIES = [Severity.GENERAL] * 7 + [Severity.SERIOUS] * 2 + [Severity.CRITICAL]
SOURCES = list(ProblemSource)
DEED_CLASSES = list(DeedClass)


class Command(BaseCommand):
    help = "Generate many ledger rows in a generated campaign, for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        generated.add_arguments(parser, count="rows", default=10_000, batch=10_000)

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = generated.generated_campaign(options, "rows")
        units = list(
            Unit.objects.filter(organisation=campaign.organisation_id).order_by("path")
        )
        if not units:
            raise CommandError("The campaign's organisation has no units.")
        started = time.monotonic()
        owner, reviewer = self.people(campaign)
        generator = Generator(
            campaign,
            units,
            [*campaign.main_tasks.values_list("pk", flat=True)],
            owner=owner,
            reviewer=reviewer,
            until=options["until"] or campaign.ends_on,
            rng=random.Random(options["seed"]),
        )
        rows, batch = options["rows"], options["batch"]
        visits = rows * 15 // 100
        problems = rows * 30 // 100
        deeds = rows - visits - 2 * problems
        self.insert(ResearchVisit, generator.visit, visits, batch)
        self.insert_problems(generator, problems, batch)
        self.insert(PracticalDeed, generator.deed, deeds, batch)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (
                    ResearchVisit,
                    Problem,
                    RectificationMeasure,
                    PracticalDeed,
                ):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        self.stdout.write(
            f"{visits} visits, {problems} problems and measures, {deeds} deeds for "
            f"{len(units)} units in campaign {campaign.slug} "
            f"in {time.monotonic() - started:.1f} s"
        )

    def people(self, campaign: Campaign) -> tuple[Person, Person]:
        owner, _ = Person.objects.get_or_create(
            username=f"generated-owner-{campaign.slug}",
            defaults={"first_name": "整改責任人"},
        )
        reviewer, _ = Person.objects.get_or_create(
            username=f"generated-reviewer-{campaign.slug}",
            defaults={"first_name": "審核人"},
        )
        return owner, reviewer

    def insert(self, model: Any, make: Any, count: int, batch: int) -> None:
        for offset in range(0, count, batch):
            with transaction.atomic():
                model.objects.bulk_create(
                    [make() for _ in range(offset, min(offset + batch, count))],
                    batch_size=batch,
                )

    def insert_problems(self, generator: "Generator", count: int, batch: int) -> None:
        for offset in range(0, count, batch):
            pairs = [
                generator.problem() for _ in range(offset, min(offset + batch, count))
            ]
            with transaction.atomic():
                made = Problem.objects.bulk_create(
                    [problem for problem, _measure in pairs], batch_size=batch
                )
                for problem, (_same, measure) in zip(made, pairs, strict=True):
                    measure.problem_id = problem.pk
                RectificationMeasure.objects.bulk_create(
                    [measure for _problem, measure in pairs], batch_size=batch
                )


class Generator:
    """One ledger row at a time, from one seeded random stream."""

    def __init__(
        self,
        campaign: Campaign,
        units: list[Unit],
        tasks: list[int | None],
        *,
        owner: Person,
        reviewer: Person,
        until: datetime.date,
        rng: random.Random,
    ) -> None:
        self.campaign = campaign
        self.units = units
        self.tasks = tasks or [None]
        self.owner = owner
        self.reviewer = reviewer
        self.until = until
        self.rng = rng
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def moment(self, day: datetime.date) -> datetime.datetime:
        hour = datetime.time(9 + self.rng.randrange(9), self.rng.randrange(60))
        return datetime.datetime.combine(day, hour, tzinfo=self.zone)

    def day_in_year(self) -> datetime.date:
        return self.until - self.rng.randrange(365) * DAY

    def unit_id(self) -> int:
        return self.units[self.rng.randrange(len(self.units))].pk

    def visit(self) -> ResearchVisit:
        rng = self.rng
        day = self.day_in_year()
        return ResearchVisit(
            campaign_id=self.campaign.pk,
            unit_id=self.unit_id(),
            visited_on=day,
            place=rng.choice(PLACES),
            participants="處領導、業務骨幹",
            topic=rng.choice(PROBLEMS)[:12] + "專題調研",
            created_at=self.moment(day),
        )

    def problem(self) -> tuple[Problem, RectificationMeasure]:
        """A problem and its measure: found in the year, due 15 to 90 days later."""
        rng = self.rng
        found = self.day_in_year()
        deadline = found + rng.randrange(15, 91) * DAY
        measure = RectificationMeasure(
            description=rng.choice(MEASURES),
            owner_id=self.owner.pk,
            reviewer_id=self.reviewer.pk,
            deadline=deadline,
        )
        problem = Problem(
            campaign_id=self.campaign.pk,
            unit_id=self.unit_id(),
            source=rng.choice(SOURCES),
            main_task_id=rng.choice(self.tasks),
            severity=rng.choice(SEVERITIES),
            description=rng.choice(PROBLEMS),
            created_at=self.moment(found),
            is_published=rng.random() < 0.3,
        )
        # done: 80 % of those due by now (a fifth of them late), a third of the rest
        due = deadline <= self.until
        if rng.random() < (0.8 if due else 0.33):
            late = due and rng.random() < 0.2
            span = (deadline - found).days
            done = (
                deadline + rng.randrange(1, 30) * DAY
                if late
                else found + rng.randrange(1, span + 1) * DAY
            )
            done = min(done, self.until)
            measure.progress = 100
            measure.completed_on = done
            problem.applied_at = self.moment(done)
            verified = done + rng.randrange(1, 8) * DAY
            if verified <= self.until and rng.random() < 0.85:
                measure.confirmed_at = self.moment(verified)
                problem.status = ProblemStatus.CLOSED
                problem.closed_at = measure.confirmed_at
                problem.closed_by_id = self.reviewer.pk
            else:
                problem.status = ProblemStatus.APPLIED
        else:
            measure.progress = rng.randrange(0, 10) * 10
            problem.status = ProblemStatus.OPEN
        return problem, measure

    def deed(self) -> PracticalDeed:
        rng = self.rng
        started = self.day_in_year()
        deadline = started + rng.randrange(30, 181) * DAY
        title, beneficiaries = rng.choice(DEEDS)
        deed = PracticalDeed(
            campaign_id=self.campaign.pk,
            unit_id=self.unit_id(),
            title=title,
            deed_class=rng.choice(DEED_CLASSES),
            beneficiaries=beneficiaries,
            target=f"{title}，按期完成並經核實。",
            deadline=deadline,
            created_at=self.moment(started),
            is_published=rng.random() < 0.5,
        )
        due = deadline <= self.until
        chance = rng.random()
        if chance < (0.75 if due else 0.2):
            done = min(deadline - rng.randrange(0, 20) * DAY, self.until)
            deed.status = DeedStatus.VERIFIED
            deed.progress = 100
            deed.done_on = max(done, started)
            deed.verified_at = self.moment(min(deed.done_on + 3 * DAY, self.until))
        elif chance < (0.85 if due else 0.3):
            deed.status = DeedStatus.DONE
            deed.progress = 100
            deed.done_on = min(deadline, self.until)
        else:  # in progress; overdue when due
            deed.progress = rng.randrange(0, 10) * 10
        return deed
