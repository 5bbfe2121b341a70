"""Reading the State Council's yearly holiday notice (国务院办公厅关于某年部分节假日
安排的通知) into days off and make-up working days (调休).

The notice names each holiday in one clause::

    一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月4日（周一）上班。

the days off as a range before 放假, the make-up working days as a list before
上班. The office may instead enter days one a line: ``2027-02-20 上班`` or
``2027-01-01 放假``.
"""

import datetime
import re
from dataclasses import dataclass

# 1月1日, 2026年12月31日, or a bare 3日 closing a range within the same month;
# a weekday or lunar date in brackets may follow.
_DAY = (
    r"(?:(?P<{p}year>\d{{4}})年)?(?:(?P<{p}month>\d{{1,2}})月)?(?P<{p}day>\d{{1,2}})日"
)
_NOTE = r"(?:[（(][^）)]*[）)])?"
_RANGE = re.compile(
    _DAY.format(p="a") + _NOTE + r"(?:\s*[至到\-—~～]\s*" + _DAY.format(p="b") + ")?"
)
_LINE = re.compile(
    r"^\s*(?P<date>\d{4}-\d{1,2}-\d{1,2})\s+(?P<kind>放假|休息?|上班|班)\s*(?P<note>.*)$"
)
_CLAUSE = re.compile(
    r"^\s*[一二三四五六七八九十]+、\s*(?P<name>[^：:]+)[：:](?P<body>.*)$"
)
_WORK_WORDS = ("上班", "班")


class NoticeError(ValueError):
    """The text names no day, or a day that does not exist."""


@dataclass(frozen=True)
class NoticeDay:
    day: datetime.date
    is_workday: bool
    note: str


def parse_notice(text: str, year: int) -> list[NoticeDay]:
    """The days ``text`` makes days off or working days, in date order; a day the
    text names twice keeps its last meaning. Dates without a year are in
    ``year``; a range that runs over New Year (12月31日至1月2日) starts the year
    before. Raises ``NoticeError`` when nothing can be read or a date is invalid."""
    days: dict[datetime.date, NoticeDay] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        entered = _LINE.match(line)
        if entered:
            day = _date(entered["date"])
            is_workday = entered["kind"] in _WORK_WORDS
            days[day] = NoticeDay(day, is_workday, entered["note"].strip())
            continue
        clause = _CLAUSE.match(line)
        name = clause["name"].strip() if clause else ""
        body = clause["body"] if clause else line
        # 元旦's December days (a make-up Sunday, New Year's Eve) are the year before
        december_before = "元旦" in name
        for sentence in re.split(r"[。；;]", body):
            for day, is_workday in _sentence_days(sentence, year, december_before):
                days[day] = NoticeDay(day, is_workday, name)
    if not days:
        raise NoticeError("no dates")
    return sorted(days.values(), key=lambda d: d.day)


def _sentence_days(
    sentence: str, year: int, december_before: bool
) -> list[tuple[datetime.date, bool]]:
    if "上班" in sentence:
        is_workday = True
    elif "放假" in sentence or "休息" in sentence:
        is_workday = False
    else:
        return []
    return [
        (day, is_workday)
        for match in _RANGE.finditer(sentence)
        for day in _span(match, year, december_before)
    ]


def _span(
    match: re.Match[str], year: int, december_before: bool
) -> list[datetime.date]:
    if match["amonth"] is None:
        return []  # a bare day (共3天 is not one) names nothing without its month
    month = int(match["amonth"])
    end_month = int(match["bmonth"] or month)
    crosses = end_month < month  # 12月31日至1月2日
    start_year = int(match["ayear"] or year)
    if match["ayear"] is None and month == 12 and (december_before or crosses):
        start_year -= 1
    start = _make(start_year, month, int(match["aday"]))
    if match["bday"] is None:
        return [start]
    end_year = int(match["byear"] or start_year + crosses)
    end = _make(end_year, end_month, int(match["bday"]))
    if end < start or (end - start).days > 31:
        raise NoticeError(f"{match.group(0)}: not a holiday range")
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _make(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise NoticeError(f"{year}-{month}-{day}: {error}") from error


def _date(text: str) -> datetime.date:
    year, month, day = (int(part) for part in text.split("-"))
    return _make(year, month, day)
