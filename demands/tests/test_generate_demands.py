"""The benchmark data generator, with small numbers."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from campaigns.models import Campaign
from demands import metrics
from demands.models import Demand, DemandStatus, Rating
from org.models import Unit

pytestmark = pytest.mark.django_db


def generate(slug: str, *, demands: int = 50, seed: int = 7) -> Campaign:
    call_command(
        "generate_demands",
        "--units=3",
        f"--demands={demands}",
        f"--campaign={slug}",
        f"--seed={seed}",
        "--until=2025-06-30",
        "--batch=20",
        stdout=io.StringIO(),
    )
    return Campaign.objects.get(slug=slug)


def test_it_makes_the_campaign_its_units_and_its_demands():
    campaign = generate("gen")
    assert Unit.objects.filter(organisation=campaign.organisation).count() == 3
    assert campaign.main_tasks.count() == 4
    assert campaign.demand_categories.count() == 8
    demands = Demand.objects.filter(campaign=campaign)
    assert demands.count() == 50
    assert demands.values("tracking_no").distinct().count() == 50
    assert not demands.filter(tracking_no__isnull=True).exists()
    assert set(demands.values_list("unit__organisation", flat=True)) <= {
        campaign.organisation_id,
        None,
    }


def test_each_demand_is_consistent_with_its_status():
    campaign = generate("gen", demands=300)
    demands = Demand.objects.filter(campaign=campaign)
    assert not demands.filter(dispatched_at__isnull=True, unit__isnull=False).exists()
    assert not demands.filter(dispatched_at__isnull=False, unit__isnull=True).exists()
    for status, before in (
        (DemandStatus.SUBMITTED, "dispatched_at"),
        (DemandStatus.DISPATCHED, "accepted_at"),
        (DemandStatus.ACCEPTED, "replied_at"),
    ):
        assert not demands.filter(status=status, **{f"{before}__isnull": False})
    assert not demands.filter(status=DemandStatus.REOPENED, replied_at__isnull=False)
    assert not demands.filter(status=DemandStatus.REOPENED, reopen_count=0)
    replied = demands.filter(status__in=[DemandStatus.REPLIED, DemandStatus.CLOSED])
    assert not replied.filter(replied_at__isnull=True).exists()
    assert not demands.filter(status=DemandStatus.CLOSED, closed_at__isnull=True)
    assert not demands.exclude(status=DemandStatus.CLOSED).exclude(rating="").exists()
    assert not demands.filter(rating=Rating.UNKNOWN).exists()
    for earlier, later in (
        ("submitted_at", "dispatched_at"),
        ("dispatched_at", "accepted_at"),
        ("accepted_at", "replied_at"),
        ("replied_at", "rated_at"),
    ):
        pairs = demands.exclude(**{f"{later}__isnull": True}).values_list(
            earlier, later
        )
        assert all(a <= b for a, b in pairs), (earlier, later)
    statuses = set(demands.values_list("status", flat=True))
    assert {DemandStatus.CLOSED, DemandStatus.ACCEPTED} <= statuses


def test_the_figures_of_generated_demands_are_plausible():
    campaign = generate("gen", demands=300)
    total = metrics.report(campaign).total
    assert total.received == 300
    for rate in metrics.RATES:
        value = getattr(total, rate)
        assert value is not None and 0 <= value <= 1
    assert (total.response_rate or 0) > 0.5 and (total.satisfaction_rate or 0) > 0.5


def test_the_same_seed_gives_the_same_demands():
    def fingerprint(campaign: Campaign) -> list[tuple[object, ...]]:
        return list(
            Demand.objects.filter(campaign=campaign)
            .order_by("tracking_no")
            .values_list("kind", "urgency", "status", "submitted_at", "rating")
        )

    first, second = generate("one"), generate("two")
    other = generate("three", seed=8)
    assert fingerprint(first) == fingerprint(second)
    assert fingerprint(first) != fingerprint(other)


def test_a_second_run_adds_demands_with_new_numbers():
    campaign = generate("gen", demands=30)
    generate("gen", demands=30, seed=9)
    demands = Demand.objects.filter(campaign=campaign)
    assert demands.count() == 60
    assert demands.values("tracking_no").distinct().count() == 60
    assert Unit.objects.filter(organisation=campaign.organisation).count() == 3


def test_a_second_run_without_until_stays_in_the_campaigns_year():
    campaign = generate("gen", demands=10)
    call_command(
        "generate_demands",
        "--units=3",
        "--demands=10",
        "--campaign=gen",
        "--seed=9",
        stdout=io.StringIO(),
    )
    latest = Demand.objects.filter(campaign=campaign).latest("submitted_at")
    assert timezone.localdate(latest.submitted_at) <= campaign.ends_on


def test_it_refuses_nonsense_sizes():
    with pytest.raises(CommandError):
        call_command("generate_demands", "--campaign=gen", "--units=0")
