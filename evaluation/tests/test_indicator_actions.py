from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import Conflict
from evaluation import actions
from evaluation.models import IndicatorSet, PointsRule, SetStatus, Source
from evaluation.tests.factories import IndicatorFactory, IndicatorSetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    indicator_set = IndicatorSetFactory.create(campaign=world.campaign)
    top = IndicatorFactory.create(
        indicator_set=indicator_set, name="服務基層", weight=Decimal("70")
    )
    IndicatorFactory.create(
        indicator_set=indicator_set, parent=top, name="調研", weight=Decimal("30")
    )
    IndicatorFactory.create(
        indicator_set=indicator_set, parent=top, name="整改", weight=Decimal("40")
    )
    IndicatorFactory.create(
        indicator_set=indicator_set,
        name="滿意率",
        weight=Decimal("30"),
        source=Source.AUTOMATIC,
        source_name="demands.satisfaction_rate",
        points_rule=PointsRule.RATE,
    )
    return indicator_set


def test_it_puts_a_set_whose_weights_add_up_in_force(world, draft):
    actions.put_in_force(draft, actor=world.clerk)
    draft.refresh_from_db()
    assert draft.status == SetStatus.IN_FORCE


def test_it_refuses_children_that_do_not_add_up_to_their_parent(world, draft):
    child = draft.indicators.get(name="整改")
    child.weight = Decimal("45")
    child.save()
    with pytest.raises(ValidationError) as refused:
        actions.put_in_force(draft, actor=world.clerk)
    assert "“服務基層” add up to 75.00, not its weight 70.00" in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == SetStatus.DRAFT


def test_it_refuses_top_weights_that_do_not_add_up_to_100(world, draft):
    draft.indicators.filter(name="滿意率").update(weight=Decimal("20"))
    with pytest.raises(ValidationError, match=r"add up to 90\.00, not 100"):
        actions.put_in_force(draft, actor=world.clerk)
    assert IndicatorSet.objects.get(pk=draft.pk).status == SetStatus.DRAFT


def test_it_refuses_an_automatic_leaf_without_a_known_source(world, draft):
    draft.indicators.filter(name="滿意率").update(source_name="nowhere")
    with pytest.raises(ValidationError, match="no known automatic source"):
        actions.put_in_force(draft, actor=world.clerk)


def test_it_refuses_a_count_source_scored_as_a_rate(world, draft):
    draft.indicators.filter(name="滿意率").update(
        source_name="publicity.published_submissions"
    )
    with pytest.raises(ValidationError, match="must be per count"):
        actions.put_in_force(draft, actor=world.clerk)


def test_it_refuses_a_set_already_in_force(world, draft):
    actions.put_in_force(draft, actor=world.clerk)
    with pytest.raises(Conflict):
        actions.put_in_force(draft, actor=world.clerk)


@pytest.mark.parametrize("persona", ["leader", "editor", "liaison_a", "outsider"])
def test_only_the_office_puts_a_set_in_force(world, draft, persona):
    with pytest.raises(PermissionDenied):
        actions.put_in_force(draft, actor=getattr(world, persona))


def test_another_campaigns_office_may_not(world, other_world, draft):
    with pytest.raises(PermissionDenied):
        actions.put_in_force(draft, actor=other_world.director)


def test_a_set_in_force_refuses_a_weight_that_unbalances_its_level(world, draft):
    actions.put_in_force(draft, actor=world.clerk)
    leaf = draft.indicators.get(name="調研")
    leaf.weight = Decimal("35")
    with pytest.raises(ValidationError) as refused:
        leaf.full_clean()
    assert "70" in refused.value.message_dict["weight"][0]
    top = draft.indicators.get(name="服務基層")
    top.weight = Decimal("60")
    with pytest.raises(ValidationError) as refused:
        top.full_clean()
    assert "weight" in refused.value.message_dict


def test_a_draft_may_be_unbalanced_while_it_is_built(world, draft):
    leaf = draft.indicators.get(name="調研")
    leaf.weight = Decimal("35")
    leaf.full_clean()  # checked as a whole when put in force
    leaf.save()
    with pytest.raises(ValidationError, match="70"):
        actions.put_in_force(draft, actor=world.clerk)
