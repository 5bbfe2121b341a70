"""The seed demo's dispatch catalogue: what the masses of a river basin commission
write about, each with the unit that handles it by default and the main task it
serves. The article names no catalogue, so each entry is marked as demo data; with
it the public form and Open311 offer real services."""

from campaigns.demo import DEMO_MARK
from campaigns.models import Campaign
from demands.models import Area, Category

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
