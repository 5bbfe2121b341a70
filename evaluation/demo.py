"""Demo data of the evaluation: an indicator set in force and a staff survey in
draft for the seed campaign; invented, so their names carry （演示）."""

from decimal import Decimal

from django.utils import timezone

from campaigns.models import Campaign
from evaluation.models import (
    Indicator,
    IndicatorSet,
    PointsRule,
    Question,
    QuestionKind,
    SetStatus,
    Source,
    Survey,
)
from org.models import Unit


def build_demo(campaign: Campaign) -> None:
    tasks = list(campaign.main_tasks.order_by("sequence"))
    indicator_set = IndicatorSet.objects.create(
        campaign=campaign, name="「三服務一促進」考核指標（演示）"
    )

    def add(
        name: str, weight: int, parent: Indicator | None = None, **extra: object
    ) -> Indicator:
        return Indicator.objects.create(
            indicator_set=indicator_set,
            parent=parent,
            name=name,
            weight=Decimal(weight),
            max_score=Decimal(10),
            **extra,
        )

    work = add("工作落實", 60, guidance="按工作方案檢查各單位落實情況。")
    add("方案制定與措施落實", 30, work, main_task=tasks[0] if tasks else None)
    add("辦實事、解難事", 30, work, main_task=tasks[1] if len(tasks) > 1 else None)
    masses = add("群眾滿意", 40)
    for name, source in (
        ("群眾訴求滿意率", "demands.satisfaction_rate"),
        ("按期答覆率", "demands.on_time_reply_rate"),
    ):
        add(
            name,
            20,
            masses,
            source=Source.AUTOMATIC,
            source_name=source,
            points_rule=PointsRule.RATE,
        )
    # weights checked by hand above: 30 + 30 = 60, 20 + 20 = 40, 60 + 40 = 100
    indicator_set.status = SetStatus.IN_FORCE
    indicator_set.in_force_at = timezone.now()
    indicator_set.save(update_fields=["status", "in_force_at"])
    survey = Survey.objects.create(
        campaign=campaign, name="機關作風民主測評（演示）", introduction="請如實評價。"
    )
    survey.units.set(Unit.objects.filter(organisation=campaign.organisation_id)[:5])
    Question.objects.create(
        survey=survey,
        sequence=1,
        text="對該單位服務基層、服務群眾的評價",
        kind=QuestionKind.RATING,
    )
    Question.objects.create(
        survey=survey,
        sequence=2,
        text="意見和建議",
        kind=QuestionKind.TEXT,
        required=False,
    )
