"""The public monthly figures: received, replied, closed and satisfaction."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CampaignStatus
from campaigns.tests.factories import CampaignFactory
from demands.models import Demand, DemandKind, DemandStatus, Rating

pytestmark = pytest.mark.django_db

URL = reverse("demands:figures")
TZ = timezone.get_fixed_timezone(8 * 60)
_serial = iter(range(1, 10_000))


def at(month: int, day: int = 10, year: int = 2025) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, tzinfo=TZ)


def demand(campaign, submitted, *, replied=None, closed=None, rating=""):  # type: ignore[no-untyped-def]
    status = DemandStatus.SUBMITTED
    if replied:
        status = DemandStatus.REPLIED
    if closed:
        status = DemandStatus.CLOSED
    return Demand(
        campaign=campaign,
        tracking_no=f"F{next(_serial):08d}",
        kind=DemandKind.HELP,
        title="訴求",
        content="內容",
        status=status,
        unit=campaign.organisation.units.first() if replied else None,
        submitted_at=submitted,
        dispatch_due=submitted,
        replied_at=replied,
        closed_at=closed,
        rating=rating,
        rated_at=closed if rating else None,
    )


@pytest.fixture
def year_2025(world):  # type: ignore[no-untyped-def]
    c = world.campaign
    Demand.objects.bulk_create(
        [
            demand(c, at(1)),
            demand(c, at(1), replied=at(2)),
            demand(c, at(1), replied=at(2), closed=at(3), rating=Rating.SATISFIED),
            demand(
                c, at(2), replied=at(3), closed=at(3), rating=Rating.BASICALLY_SATISFIED
            ),
            demand(c, at(2), replied=at(3), closed=at(3), rating=Rating.UNSATISFIED),
            demand(c, at(2), replied=at(3), closed=at(3), rating=Rating.UNKNOWN),
            # closed without a rating
            demand(c, at(3), replied=at(3), closed=at(4)),
            # another year
            demand(c, at(12, year=2024), replied=at(1), closed=at(1)),
        ]
    )
    draft = CampaignFactory.create(status=CampaignStatus.DRAFT)
    Demand.objects.bulk_create([demand(draft, at(1)) for _ in range(5)])


def month(response, number: int) -> dict:  # type: ignore[type-arg]
    return response.context["months"][number - 1]


def test_the_figures_count_each_month_by_its_own_date(client, year_2025):
    response = client.get(URL, {"year": "2025"})
    assert response.status_code == 200
    assert response.context["year"] == 2025
    assert len(response.context["months"]) == 12
    assert [month(response, m)["received"] for m in (1, 2, 3, 4)] == [3, 3, 1, 0]
    assert [month(response, m)["replied"] for m in (1, 2, 3, 4)] == [1, 2, 4, 0]
    assert [month(response, m)["closed"] for m in (1, 2, 3, 4)] == [1, 0, 4, 1]


def test_the_satisfaction_rate_leaves_cannot_say_out(client, year_2025):
    response = client.get(URL, {"year": "2025"})
    march = month(response, 3)
    # satisfied, basically satisfied, unsatisfied rated; "cannot say" is not
    assert march["rated"] == 3
    assert march["satisfaction"] == pytest.approx(2 / 3)
    assert "67%" in response.text
    assert month(response, 2)["satisfaction"] is None
    assert month(response, 1)["rated"] == 0


def test_another_year_has_its_own_figures(client, year_2025):
    response = client.get(URL, {"year": "2024"})
    assert month(response, 12)["received"] == 1
    assert sum(row["received"] for row in response.context["months"]) == 1


def test_without_a_year_the_current_one_is_shown(client, world):
    response = client.get(URL)
    assert response.context["year"] == timezone.localdate().year
    assert response.context["next_year"] is None


@pytest.mark.parametrize("year", ["abc", "1999", "20250", "-1"])
def test_a_year_that_makes_no_sense_is_not_found(client, world, year):
    assert client.get(URL, {"year": year}).status_code == 404


def test_the_figures_take_five_queries(client, year_2025, django_assert_num_queries):
    client.get("/demands/track/")  # the site's frame is read once and cached
    with django_assert_num_queries(5):
        client.get(URL, {"year": "2025"})


def test_a_year_before_the_first_campaign_is_not_found(client, world):
    # the world's campaign starts in March 2007
    assert client.get(URL, {"year": "2000"}).status_code == 404
    assert client.get(URL, {"year": "2006"}).status_code == 404
    assert client.get(URL, {"year": "2007"}).status_code == 200


def test_a_year_after_this_one_is_not_found(client, world):
    next_year = timezone.localdate().year + 1
    assert client.get(URL, {"year": str(next_year)}).status_code == 404


def test_the_first_year_does_not_link_to_the_one_before(client, world):
    response = client.get(URL, {"year": "2007"})
    assert response.context["previous_year"] is None
    assert "?year=2006" not in response.text
    assert "?year=2008" in response.text


def test_every_year_the_pager_links_to_is_found(client, world):
    response = client.get(URL, {"year": "2008"})
    for year in (response.context["previous_year"], response.context["next_year"]):
        assert client.get(URL, {"year": str(year)}).status_code == 200


def test_without_a_public_campaign_only_this_year_is_shown(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["previous_year"] is None
    assert client.get(URL, {"year": "2007"}).status_code == 404
