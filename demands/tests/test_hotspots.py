"""The weekly hotspot job: the clustering finds a planted matter and its rise,
keeps the demo mark out of what it reads, and runs once per campaign and week."""

import datetime
import random

import pytest

from demands.hotspots import actions as hotspots
from demands.hotspots.engine import Item, find_clusters
from demands.models import Hotspot, HotspotRun
from demands.tests.hotspot_data import LAST_WEEK, TODAY, four_weeks

NOISE = [
    "河堤滲水，汛期擔心安全",
    "自來水發黃，請檢測水質",
    "咨詢取水許可辦理流程",
    "山坡開挖水土流失嚴重",
    "灌區放水時間不合理",
    "審批多次往返效率低",
    "工作人員熱情周到表揚",
    "小區停水三天沒人管",
]
BURST = [
    "天河南街道水管爆裂，馬路成河",
    "水管爆了，街上全是水",
    "天河南水管破裂漏水嚴重",
]


def test_it_finds_a_planted_matter_in_its_place_among_others():
    rng = random.Random(7)
    items = [
        Item(n, rng.choice(NOISE) + rng.choice(["", "，麻煩了", "。謝謝"]), n % 5)
        for n in range(300)
    ]
    items += [Item(1000 + n, rng.choice(BURST), 9) for n in range(30)]
    items += [Item(2000 + n, rng.choice(BURST), 3) for n in range(2)]  # elsewhere

    clusters = find_clusters(items)

    planted = [c for c in clusters if c.place == 9]
    assert len(planted) == 1
    assert set(planted[0].keys) == {1000 + n for n in range(30)}
    assert "水管" in planted[0].words
    assert all(c.place != 9 or c is planted[0] for c in clusters)


def test_the_demo_mark_alone_groups_nothing():
    texts = [
        "堤防滲水", "取水許可", "職稱評審", "報銷太慢", "熱線無人接聽", "山體滑坡",
        "水質發黃", "路燈不亮", "垃圾清運", "噪音擾民", "停車難", "樹木倒伏",
    ]  # fmt: skip
    items = [Item(n, text + "（演示）", None) for n, text in enumerate(texts)]

    assert find_clusters(items) == []


@pytest.fixture
def clock(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(TODAY, tick=False)


def test_the_weekly_job_stores_the_rising_matter_with_its_demands(world, clock):
    planted = four_weeks(world)

    made = hotspots.find_weekly()

    assert made == 1
    run = HotspotRun.objects.get(campaign=world.campaign)
    assert run.week == LAST_WEEK
    rising = list(run.hotspots.filter(rising=True))
    assert len(rising) == 1
    hotspot = rising[0]
    assert hotspot.counts == [1, 0, 1, 10]
    assert set(hotspot.demands.values_list("pk", flat=True)) == {d.pk for d in planted}
    assert hotspot.area is not None and hotspot.area.name == "天河區"
    assert "水管" in hotspot.label
    assert "演示" not in hotspot.label
    steady = run.hotspots.filter(rising=False)
    assert steady.exists()
    assert all(h.counts == [3, 3, 3, 3] for h in steady)


def test_the_job_runs_once_a_week(world, clock):
    four_weeks(world)
    hotspots.find_weekly()
    first = list(Hotspot.objects.values_list("label", "size", "counts"))

    assert hotspots.find_weekly() == 0
    assert hotspots.find_hotspots(world.campaign, LAST_WEEK) is None
    assert HotspotRun.objects.count() == 1
    assert list(Hotspot.objects.values_list("label", "size", "counts")) == first


def test_the_same_matter_next_week_keeps_its_lineage(world, clock):
    four_weeks(world)
    hotspots.find_weekly()
    before = Hotspot.objects.get(rising=True)

    later = hotspots.find_hotspots(
        world.campaign, LAST_WEEK + datetime.timedelta(weeks=1)
    )

    assert later is not None
    again = later.hotspots.get(label=before.label)
    assert again.lineage == before.lineage
    assert again.counts == [0, 1, 10, 0]
    assert not again.rising
