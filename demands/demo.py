"""The seed demo's dispatch catalogue: what the masses of a river basin commission
write about, each with the unit that handles it by default and the main task it
serves. The article names no catalogue, so each entry is marked as demo data; with
it the public form and Open311 offer real services."""

import datetime
import random

from django.utils import timezone

from campaigns.models import Campaign
from demands.actions import submit_demand
from demands.models import Area, Category, Channel, Demand, DemandKind, Urgency
from text.demo_mark import DEMO_MARK

# (name, default unit, main task, keywords for the routing suggestion)
CATALOGUE = [
    (
        "防洪排澇與水利工程",
        "建設與管理處",
        "服務基層",
        "防汛 堤防 水庫 內澇 水閘 工程 施工",
    ),
    ("取水許可與水資源管理", "水政水資源處", "促進發展", "取水 許可 地下水 水井 節水"),
    ("河道採砂與水事違法", "水政水資源處", "服務群眾", "採砂 違建 偷排 河道 填河 執法"),
    ("水土流失與生態保護", "水土保持處", "促進發展", "水土流失 泥沙 棄土 邊坡 山體"),
    ("水利規劃與項目前期", "規劃計劃處", "服務基層", "規劃 立項 項目 前期 可研"),
    (
        "科研成果與技術諮詢",
        "珠江水利科學研究院",
        "服務基層",
        "科研 技術 諮詢 試驗 模型",
    ),
    ("職工權益與勞動人事", "人事勞動處", "促進和諧", "招聘 工資 職稱 退休 社保"),
    ("經費與財務", "財務處", "促進和諧", "經費 報銷 財務 撥款 發票"),
    ("機關作風與辦事效率", "辦公室", "服務群眾", "態度 效率 推諉 作風 熱線"),
]


def build_catalogue(campaign: Campaign) -> list[Category]:
    """The catalogue's entries, in the order the public form lists them."""
    units = {unit.name: unit for unit in campaign.organisation.units.all()}
    tasks = {task.name: task for task in campaign.main_tasks.all()}
    return [
        Category.objects.create(
            campaign=campaign,
            name=name + DEMO_MARK,
            keywords=keywords,
            default_unit=units[unit],
            main_task=tasks[task],
            sequence=sequence,
        )
        for sequence, (name, unit, task, keywords) in enumerate(CATALOGUE, start=1)
    ]


# Districts of Guangzhou, where the commission sits, and a few streets of each
# (2007 boundaries: 東山區 had just been merged into 越秀區): real names, so they
# carry no demo mark; the office edits the list in the admin.
AREAS = [
    ("天河區", ["天河南街道", "沙河街道", "五山街道", "林和街道"]),
    ("越秀區", ["北京街道", "農林街道", "大東街道", "黃花崗街道"]),
    ("海珠區", ["濱江街道", "江南中街道", "南華西街道", "赤崗街道"]),
    ("荔灣區", ["沙面街道", "逢源街道", "華林街道"]),
    ("白雲區", ["三元里街道", "同和街道", "石井街道"]),
    ("黃埔區", ["黃埔街道", "魚珠街道", "大沙街道"]),
    ("番禺區", ["市橋街道", "大石街道", "南村鎮"]),
]


def build_areas(campaign: Campaign) -> list[Area]:
    """The districts and their streets, in the order the demand forms list them."""
    made = []
    for sequence, (district_name, streets) in enumerate(AREAS, start=1):
        district = Area.objects.create(
            campaign=campaign, name=district_name, sequence=sequence
        )
        made.append(district)
        made += [
            Area.objects.create(
                campaign=campaign, district=district, name=street, sequence=number
            )
            for number, street in enumerate(streets, start=1)
        ]
    return made


# What the masses of the demo write in, four weeks of it, and two matters that
# rise in the last week (a burst water main in 天河南街道, sand dredging at night
# off 濱江街道) for the hotspots to find. Invented, so marked as demo.
# (title, content, catalogue index, street, demands in each of the four weeks)
DEMANDS = [
    (
        "天河南街道水管爆裂",
        "天河南二路水管爆裂，路面積水，居民停水，請儘快搶修。",
        0,
        "天河南街道",
        (1, 0, 2, 12),
    ),
    (
        "濱江路夜間採砂噪音",
        "濱江街道江邊夜間有採砂船作業，噪音很大，懷疑偷採河砂。",
        2,
        "濱江街道",
        (0, 1, 1, 9),
    ),
    (
        "沙河涌堤防滲水",
        "沙河涌一段堤防滲水，汛期臨近，群眾擔心安全。",
        0,
        "沙河街道",
        (3, 3, 2, 3),
    ),
    (
        "取水許可辦理流程",
        "想咨詢取水許可需要哪些材料，辦理時限多長。",
        1,
        "北京街道",
        (3, 2, 3, 2),
    ),
    (
        "山坡開挖水土流失",
        "同和街道山坡開挖後下雨泥沙沖到路上，請查處。",
        3,
        "同和街道",
        (2, 3, 2, 2),
    ),
    (
        "水利項目立項進度",
        "村裡的水利項目前期工作遲遲沒有立項，請告知進度。",
        4,
        "市橋街道",
        (2, 2, 2, 2),
    ),
    (
        "職稱評審材料",
        "咨詢今年職稱評審需要提交的材料和截止時間。",
        6,
        "五山街道",
        (2, 2, 3, 2),
    ),
    (
        "經費報銷太慢",
        "基層站的經費報銷手續繁瑣，報銷週期太長。",
        7,
        "魚珠街道",
        (2, 3, 2, 2),
    ),
    (
        "熱線無人接聽",
        "打了幾次熱線電話都沒有人接，辦事效率太低。",
        8,
        "農林街道",
        (3, 2, 2, 3),
    ),
]


def build_demands(campaign: Campaign, today: datetime.date) -> list[Demand]:
    """The demo's demands, filed through the action and then dated back into the
    four weeks that end with the last complete week before ``today`` (a demo of a
    hotspot needs weeks of demands; the action files a demand now)."""
    categories = list(Category.objects.filter(campaign=campaign).order_by("sequence"))
    streets = {area.name: area for area in Area.objects.filter(campaign=campaign)}
    last = today - datetime.timedelta(days=today.weekday() + 7)
    rng = random.Random(2007)
    made: list[Demand] = []
    dates: dict[int, datetime.datetime] = {}
    tz = timezone.get_current_timezone()
    for title, content, entry, street, weekly in DEMANDS:
        for index, count in enumerate(weekly):
            monday = last - datetime.timedelta(weeks=len(weekly) - 1 - index)
            for number in range(count):
                demand, _code = submit_demand(
                    campaign,
                    kind=DemandKind.HELP
                    if entry in (0, 2, 3)
                    else DemandKind.CONSULTATION,
                    title=title + DEMO_MARK,
                    content=_reworded(content, number),
                    urgency=Urgency.NORMAL,
                    channel=Channel.PHONE if number % 2 else Channel.WEB,
                    category=categories[entry],
                    area=streets[street],
                    submitter_name=rng.choice("王李張劉陳楊黃趙") + "先生" + DEMO_MARK,
                    submitter_phone=f"1380000{rng.randrange(10_000):04d}",
                )
                day = monday + datetime.timedelta(days=rng.randrange(7))
                dates[demand.pk] = datetime.datetime.combine(
                    day, datetime.time(8 + rng.randrange(10)), tzinfo=tz
                )
                made.append(demand)
    for demand in made:
        moment = dates[demand.pk]
        Demand.objects.filter(pk=demand.pk).update(
            submitted_at=moment,
            dispatch_due=moment + (demand.dispatch_due - demand.submitted_at),
        )
    return made


# how the same matter is told by different people
_ENDINGS = ("", "麻煩儘快處理。", "已經不是第一次了。", "希望有人來看看。", "謝謝！")


def _reworded(content: str, number: int) -> str:
    return content + _ENDINGS[number % len(_ENDINGS)]
