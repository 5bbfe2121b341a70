import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.topics import hot_topics
from demands.models import Demand
from demands.tests.factories import submit_test_demand

pytestmark = pytest.mark.django_db


def test_topics_are_counted_per_demand_with_their_trend(world):
    today = timezone.localdate()
    for title in ["河道垃圾清理", "河道垃圾堆積", "河道清淤"]:
        submit_test_demand(world, title=title)
    old = submit_test_demand(world, title="河道清淤")
    Demand.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=10)
    )
    topics = {
        t.word: t
        for t in hot_topics(world.campaign, today - datetime.timedelta(days=6), today)
    }
    # folded to simplified characters
    assert topics["河道"].count == 3
    assert topics["河道"].previous == 1
    assert topics["河道"].rising
    assert topics["垃圾"].count == 2
    assert "清理" in topics


def test_a_topic_drills_down_to_its_demands_in_either_script(login, world):
    wanted = submit_test_demand(world, title="河道垃圾清理")
    other = submit_test_demand(world, title="路燈不亮")
    page = login(world.leader).get(reverse("demands_office:index"), {"q": "垃圾清理"})
    body = page.content.decode()
    assert wanted.tracking_no in body
    assert other.tracking_no not in body
    # a simplified word finds a traditional title
    page = login(world.leader).get(reverse("demands_office:index"), {"q": "路灯"})
    assert other.tracking_no in page.content.decode()


def test_the_cockpit_links_each_topic_to_its_demands(login, world):
    submit_test_demand(world, title="河道垃圾清理")
    page = login(world.leader).get("/admin/cockpit/").content.decode()
    # the cockpit's campaign and period, and the word (河道)
    assert f"/admin/demands/?campaign={world.campaign.pk}&amp;start=" in page
    assert "&amp;q=%E6%B2%B3%E9%81%93" in page
