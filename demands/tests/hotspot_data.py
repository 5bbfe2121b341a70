"""Weeks of demands for the hotspot tests: a planted matter that rises in the last
week, among steady others, filed through the action and dated back."""

import datetime
from typing import Any

from django.utils import timezone

from demands.models import Demand
from demands.tests.factories import AreaFactory, CategoryFactory, submit_test_demand

# a Wednesday; the last complete week before it is 2026-11-23 to 2026-11-29
TODAY = datetime.date(2026, 12, 2)
LAST_WEEK = datetime.date(2026, 11, 23)
STEADY = [
    ("堤防滲水", "河堤一段滲水，汛期臨近，群眾擔心安全。"),
    ("取水許可", "咨詢取水許可需要哪些材料，辦理時限多長。"),
    ("職稱評審", "咨詢今年職稱評審需要提交的材料和截止時間。"),
    ("報銷太慢", "基層站的經費報銷手續繁瑣，報銷週期太長。"),
]
PLANTED = ("水管爆裂", "天河南二路水管爆裂，路面積水，居民停水，請儘快搶修。")
ENDINGS = ("", "麻煩儘快處理。", "已經不是第一次了。", "希望有人來看看。", "謝謝！")


def file_in_week(
    world: Any, monday: datetime.date, title: str, content: str, **fields: Any
) -> Demand:
    demand = submit_test_demand(world, title=title, content=content, **fields)
    moment = datetime.datetime.combine(
        monday + datetime.timedelta(days=demand.pk % 7),
        datetime.time(10),
        tzinfo=timezone.get_current_timezone(),
    )
    Demand.objects.filter(pk=demand.pk).update(submitted_at=moment)
    return demand


def four_weeks(world: Any, *, planted: tuple[int, ...] = (1, 0, 1, 10)) -> list[Demand]:
    """Returns the planted demands; the steady ones are three a week each, in
    another district."""
    category = CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_b
    )
    tianhe = AreaFactory.create(campaign=world.campaign, name="天河區")
    street = AreaFactory.create(
        campaign=world.campaign, name="天河南街道", district=tianhe
    )
    haizhu = AreaFactory.create(campaign=world.campaign, name="海珠區")
    found = []
    for back in range(4):
        monday = LAST_WEEK - datetime.timedelta(weeks=3 - back)
        for number in range(planted[back]):
            found.append(
                file_in_week(
                    world,
                    monday,
                    PLANTED[0] + "（演示）",
                    PLANTED[1] + ENDINGS[number % len(ENDINGS)],
                    area=street,
                    category=category,
                )
            )
        for title, content in STEADY:
            for number in range(3):
                file_in_week(
                    world,
                    monday,
                    title + "（演示）",
                    content + ENDINGS[number],
                    area=haizhu,
                    category=category,
                )
    return found
