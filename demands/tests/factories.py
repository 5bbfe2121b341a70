import factory

from campaigns.tests.factories import CampaignFactory, MainTaskFactory
from demands.models import Category
from org.tests.factories import UnitFactory


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"類別{n}")
    main_task = factory.SubFactory(
        MainTaskFactory, campaign=factory.SelfAttribute("..campaign")
    )
    default_unit = factory.SubFactory(
        UnitFactory, organisation=factory.SelfAttribute("..campaign.organisation")
    )
