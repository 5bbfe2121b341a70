"""Reading the State Council's yearly holiday notice into days off and make-up days."""

import datetime

import chinese_calendar
import pytest

from core.holiday_notice import NoticeDay, NoticeError, parse_notice

D = datetime.date

# The notice for 2026 (国办发明电〔2025〕7号), as published
NOTICE_2026 = """\
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。\
2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
"""


def test_the_2026_notice_reads_as_the_calendar_package_has_it():
    days = parse_notice(NOTICE_2026, 2026)
    assert len(days) == 33 + 6
    for entry in days:
        assert chinese_calendar.is_workday(entry.day) == entry.is_workday, entry
    assert NoticeDay(D(2026, 1, 4), True, "元旦") in days
    assert NoticeDay(D(2026, 2, 23), False, "春节") in days


def test_a_range_over_new_year_starts_in_the_year_before():
    days = parse_notice("一、元旦：12月31日（周四）至1月2日（周六）放假，共3天。", 2027)
    assert [d.day for d in days] == [D(2026, 12, 31), D(2027, 1, 1), D(2027, 1, 2)]


def test_years_written_out_are_kept():
    days = parse_notice("元旦：2024年12月30日至2025年1月1日放假调休，共3天。", 2025)
    assert [d.day for d in days] == [D(2024, 12, 30), D(2024, 12, 31), D(2025, 1, 1)]


def test_new_years_december_make_up_day_is_the_year_before():
    days = parse_notice(
        "一、元旦：1月1日至3日放假调休，共3天。12月27日（周日）上班。", 2027
    )
    assert NoticeDay(D(2026, 12, 27), True, "元旦") in days


def test_days_can_be_entered_one_a_line():
    days = parse_notice("2027-02-20 上班 春节调休\n\n2027-01-01 放假", 2027)
    assert days == [
        NoticeDay(D(2027, 1, 1), False, ""),
        NoticeDay(D(2027, 2, 20), True, "春节调休"),
    ]


@pytest.mark.parametrize(
    "text", ["", "今年不放假", "2月30日放假", "1月1日至2月20日放假", "2027-13-01 放假"]
)
def test_text_without_a_valid_day_is_refused(text):
    with pytest.raises(NoticeError):
        parse_notice(text, 2027)
