import datetime

import factory

from campaigns.models import (
    Body,
    BodyKind,
    Campaign,
    CampaignStatus,
    MainTask,
    Phase,
    Position,
)
from org.tests.factories import OrganisationFactory, PersonFactory


class CampaignFactory(factory.django.DjangoModelFactory[Campaign]):
    class Meta:
        model = Campaign

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"主題實踐活動{n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    theme = "服務基層、服務群眾"
    starts_on = datetime.date(2007, 3, 27)
    ends_on = datetime.date(2007, 12, 31)
    status = CampaignStatus.ACTIVE


class PhaseFactory(factory.django.DjangoModelFactory[Phase]):
    class Meta:
        model = Phase

    campaign = factory.SubFactory(CampaignFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"階段{n}")
    starts_on = datetime.date(2007, 3, 27)
    ends_on = datetime.date(2007, 4, 30)


class MainTaskFactory(factory.django.DjangoModelFactory[MainTask]):
    class Meta:
        model = MainTask

    campaign = factory.SubFactory(CampaignFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"任務{n}")


class BodyFactory(factory.django.DjangoModelFactory[Body]):
    class Meta:
        model = Body

    campaign = factory.SubFactory(CampaignFactory)
    kind = BodyKind.LEADING_GROUP
    name = factory.Sequence(lambda n: f"小組{n}")


class PositionFactory(factory.django.DjangoModelFactory[Position]):
    class Meta:
        model = Position

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(PersonFactory)
    title = "成員"
    role = "group_member"
