from typing import Any

import factory

from campaigns.tests.factories import CampaignFactory, MainTaskFactory
from demands import actions
from demands.models import Area, Category, Demand, DemandKind, Urgency
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


class AreaFactory(factory.django.DjangoModelFactory[Area]):
    """A district; give ``district=`` for a street in it."""

    class Meta:
        model = Area

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"區{n}")


def street_in(campaign: Any, district: str, street: str) -> Area:
    """The street ``street`` of the district ``district`` (made if new)."""
    whole, _ = Area.objects.get_or_create(campaign=campaign, name=district)
    return AreaFactory.create(campaign=campaign, district=whole, name=street)


def submit_test_demand(world: Any, **fields: Any) -> Demand:
    """A demand filed through the action in ``world``'s campaign, in a new category
    whose default unit is unit A; ``fields`` override the defaults."""
    values: dict[str, Any] = {
        "kind": DemandKind.HELP,
        "title": "村口水渠堵塞",
        "content": "雨季將至，村口水渠堵塞，請幫助疏通。",
        "urgency": Urgency.NORMAL,
        "submitter_name": "張三",
        "submitter_phone": "13812345678",
    }
    values.update(fields)
    if "category" not in values:
        values["category"] = CategoryFactory.create(
            campaign=world.campaign, default_unit=world.unit_a
        )
    demand, _code = actions.submit_demand(world.campaign, **values)
    return demand
