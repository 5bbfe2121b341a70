"""The public list of replied demands whose submitters allowed publishing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CampaignStatus
from campaigns.tests.factories import CampaignFactory
from demands.models import Category, Demand, DemandKind, DemandStatus
from demands.tests.factories import CategoryFactory
from text.script import to_simplified

pytestmark = pytest.mark.django_db

URL = reverse("demands:replied")
START = datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC)


def replied_demands(world, count, *, start=START, **extra):  # type: ignore[no-untyped-def]
    """Rows as the lifecycle leaves them, made directly: the list only reads them."""
    category = Category.objects.filter(name="供水").first() or (
        CategoryFactory.create(
            campaign=world.campaign, default_unit=world.unit_a, name="供水"
        )
    )
    fields = {
        "campaign": world.campaign,
        "kind": DemandKind.HELP,
        "category": category,
        "content": "內容",
        "submitter_name": "張三豐",
        "submitter_phone": "13812345678",
        "allow_publish": True,
        "status": DemandStatus.REPLIED,
        "unit": world.unit_a,
        "submitted_at": start - datetime.timedelta(days=3),
        "dispatch_due": start,
        "reply": "已經處理完畢。",
        "solved": True,
    }
    fields.update(extra)
    demands = Demand.objects.bulk_create(
        Demand(
            title=f"訴求{i:03d}",
            replied_at=start + datetime.timedelta(hours=i),
            tracking_no=f"T{start:%Y%m%d}{i:05d}{fields['status'][:2]}",
            **fields,
        )
        for i in range(count)
    )
    return demands


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [demand.title for demand in response.context["demands"]]


def test_the_list_shows_published_replies_newest_first(client, world):
    replied_demands(world, 3)
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["訴求002", "訴求001", "訴求000"]
    assert to_simplified("已經處理完畢") in response.text
    assert to_simplified("甲處") in response.text  # the handling unit
    assert to_simplified("供水") in response.text
    assert response.context["next_cursor"] is None


def test_personal_data_is_masked(client, world):
    replied_demands(world, 1)
    response = client.get(URL)
    text = response.text
    assert "13812345678" not in text
    assert "5678" not in text
    assert to_simplified("張三豐") not in text
    assert to_simplified("張**") in text


def test_demands_not_allowed_or_not_replied_are_not_listed(client, world):
    replied_demands(world, 1, allow_publish=False)
    replied_demands(world, 1, status=DemandStatus.REOPENED, start=START.replace(day=2))
    draft = CampaignFactory.create(status=CampaignStatus.DRAFT)
    replied_demands(world, 1, campaign=draft, start=START.replace(day=3))
    closed = replied_demands(
        world, 1, status=DemandStatus.CLOSED, start=START.replace(day=4)
    )
    response = client.get(URL)
    assert [d.pk for d in response.context["demands"]] == [closed[0].pk]


def test_pages_follow_the_before_cursor_without_gaps_or_repeats(client, world):
    made = replied_demands(world, 45)
    # two demands replied in the same instant are told apart by their id
    Demand.objects.filter(pk=made[10].pk).update(replied_at=made[11].replied_at)
    seen: list[int] = []
    url = URL
    pages = 0
    while url:
        response = client.get(url)
        page = [demand.pk for demand in response.context["demands"]]
        assert len(page) <= 20
        seen += page
        pages += 1
        cursor = response.context["next_cursor"]
        url = f"{URL}?before={cursor}" if cursor else ""
    assert pages == 3
    assert len(seen) == len(set(seen)) == 45
    ordered = Demand.objects.filter(pk__in=seen).order_by("-replied_at", "-id")
    assert seen == [demand.pk for demand in ordered]


def test_the_next_page_link_is_in_the_page(client, world):
    replied_demands(world, 21)
    response = client.get(URL)
    assert 'rel="next"' in response.text
    second = client.get(URL, {"before": response.context["next_cursor"]})
    assert titles(second) == ["訴求000"]


def test_a_malformed_cursor_is_not_found(client, world):
    for cursor in ("nonsense", "2026-05-01T09:00:00_x", "2026-05-01T09:00:00_3"):
        assert client.get(URL, {"before": cursor}).status_code == 404


def test_the_list_takes_one_query_however_long_it_is(
    client, world, django_assert_num_queries
):
    replied_demands(world, 2)
    client.get("/demands/track/")  # the site's frame is read once and cached
    with django_assert_num_queries(1):
        client.get(URL)
    replied_demands(world, 30, start=START.replace(day=5))
    with django_assert_num_queries(1):
        response = client.get(URL, {"before": f"{timezone.now().isoformat()}_99999"})
    assert len(response.context["demands"]) == 20


@pytest.mark.parametrize(
    "cursor", ["2024-02-30T00:00:00Z_1", "9999-12-31T23:59:59-12:00_1"]
)
def test_a_malformed_cursor_is_not_found_not_a_crash(client, cursor):
    assert client.get("/demands/replied/", {"before": cursor}).status_code == 404
