from decimal import Decimal

import factory

from campaigns.tests.factories import CampaignFactory
from evaluation.models import (
    Indicator,
    IndicatorSet,
    InspectionRound,
    Question,
    Source,
    Survey,
)


class IndicatorSetFactory(factory.django.DjangoModelFactory[IndicatorSet]):
    class Meta:
        model = IndicatorSet

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"考核指標{n}")


class IndicatorFactory(factory.django.DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator

    indicator_set = factory.SubFactory(IndicatorSetFactory)
    name = factory.Sequence(lambda n: f"指標{n}")
    weight = Decimal("100")
    max_score = Decimal("100")
    source = Source.MANUAL


class InspectionRoundFactory(factory.django.DjangoModelFactory[InspectionRound]):
    class Meta:
        model = InspectionRound

    indicator_set = factory.SubFactory(IndicatorSetFactory)
    name = factory.Sequence(lambda n: f"第{n}次檢查")
    starts_on = factory.Faker("date_object")
    ends_on = factory.SelfAttribute("starts_on")


class SurveyFactory(factory.django.DjangoModelFactory[Survey]):
    class Meta:
        model = Survey

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"民主測評{n}")


class QuestionFactory(factory.django.DjangoModelFactory[Question]):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    text = factory.Sequence(lambda n: f"問題{n}")
