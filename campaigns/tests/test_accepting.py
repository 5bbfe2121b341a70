import pytest

from campaigns import accepting
from campaigns.accepting import accepting_campaign
from campaigns.models import Campaign, CampaignStatus
from campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(accepting.time, "monotonic", clock)
    return clock


def test_an_open_campaign_is_read_once_while_it_is_kept(
    clock, django_assert_num_queries
):
    campaign = CampaignFactory.create()
    with django_assert_num_queries(1):
        first = accepting_campaign(campaign.slug)
        clock.now += accepting.KEPT_SECONDS - 0.1
        second = accepting_campaign(campaign.slug)
    assert first is not None and second is not None
    assert first.pk == second.pk == campaign.pk
    # each caller has its own copy: what one does to it the next does not see
    first.name = "改過的名字"
    third = accepting_campaign(campaign.slug)
    assert third is not None and third.name == campaign.name


def test_a_change_saved_in_this_process_is_seen_at_once(clock):
    campaign = CampaignFactory.create()
    assert accepting_campaign(campaign.slug) is not None
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    assert accepting_campaign(campaign.slug) is None
    campaign.status = CampaignStatus.ACTIVE
    campaign.save()
    assert accepting_campaign(campaign.slug) is not None
    campaign.delete()
    assert accepting_campaign(campaign.slug) is None


def test_a_change_made_elsewhere_is_seen_once_the_row_is_no_longer_kept(clock):
    campaign = CampaignFactory.create()
    assert accepting_campaign(campaign.slug) is not None
    # an UPDATE sends no signal, as a change in another process reaches none here
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
    clock.now += accepting.KEPT_SECONDS - 0.1
    assert accepting_campaign(campaign.slug) is not None
    clock.now += 0.1
    assert accepting_campaign(campaign.slug) is None


@pytest.mark.parametrize("status", [CampaignStatus.DRAFT, CampaignStatus.CLOSED])
def test_slugs_of_no_open_campaign_are_looked_up_each_time_and_not_kept(
    clock, django_assert_num_queries, status
):
    closed = CampaignFactory.create(status=status)
    with django_assert_num_queries(3):
        assert accepting_campaign(closed.slug) is None
        assert accepting_campaign(closed.slug) is None
        assert accepting_campaign("no-such-campaign") is None
    assert accepting._kept == {}
