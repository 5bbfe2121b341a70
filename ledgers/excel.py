"""The ledgers as the offices keep them in Excel (台賬): a title row over the width of
the table, a header row of Chinese column titles, dates in Chinese format, one row
per measure (problems), per finding (visits) or per deed; rows that share a 序號
belong to one problem or visit.

The column titles are the offices' own layout, not interface text: an import finds
its columns by them, so they are fixed Chinese, not translated.

``read_*`` check a whole workbook and return rows ready to store, or raise
``ImportRefused`` listing every bad row by its row number, column and reason;
nothing is stored until every row is good (``ledgers.actions.imports``).
"""

import datetime
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import PurePath
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from campaigns.models import Campaign
from core.progress import Report, counted
from core.spreadsheet import XLSX as XLSX
from core.spreadsheet import write_table
from ledgers.actions.deeds import StageInput
from ledgers.models import (
    DeedClass,
    DeedStatus,
    ProblemSource,
    ProblemStatus,
    Severity,
)
from org.models import Person

CHINESE_DATE = 'yyyy"年"m"月"d"日"'
HEADER_ROW = 2
FIRST_ROW = 3

# stored value → the word the ledger uses
SOURCE_WORDS = {
    ProblemSource.SELF_INSPECTION: "自查",
    ProblemSource.RESEARCH: "調研",
    ProblemSource.DEMAND: "群眾訴求",
    ProblemSource.INSPECTION: "檢查",
    ProblemSource.PUBLIC: "群眾監督",
}
SEVERITY_WORDS = {
    Severity.GENERAL: "一般",
    Severity.SERIOUS: "較重",
    Severity.CRITICAL: "嚴重",
}
PROBLEM_STATUS_WORDS = {
    ProblemStatus.OPEN: "整改中",
    ProblemStatus.APPLIED: "申請銷號",
    ProblemStatus.CONFIRMED: "審核通過",
    ProblemStatus.CLOSED: "已銷號",
    ProblemStatus.RECHECK: "回頭看",
}
CLASS_WORDS = {
    DeedClass.IMMEDIATE: "立即辦",
    DeedClass.TIME_LIMITED: "限時辦",
    DeedClass.STAGED: "分步辦",
}
DEED_STATUS_WORDS = {
    DeedStatus.IN_PROGRESS: "推進中",
    DeedStatus.DONE: "待核實",
    DeedStatus.VERIFIED: "已核實",
}


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    is_date: bool = False
    # the row's key and version: the import's business, not the reader's
    hidden: bool = False


# Every exported row names its problem, visit or deed (and its measure or finding)
# and the audit entry it was exported at, so an import updates what it names and
# sees whether someone changed it meanwhile (``ledgers.roundtrip``); a row added in
# Excel leaves them empty. Hidden: the printed ledger does not show them.
KEY_COLUMNS = (Column("編號", 10, hidden=True), Column("版本", 10, hidden=True))
PROBLEM_COLUMNS = (
    Column("序號", 6),
    Column("責任單位", 16),
    Column("問題來源", 10),
    Column("主要任務", 16),
    Column("嚴重程度", 8),
    Column("問題描述", 40),
    Column("整改措施", 40),
    Column("責任人", 16),
    Column("審核人", 16),
    Column("整改時限", 14, is_date=True),
    Column("整改進度(%)", 10),
    Column("狀態", 10),
    *KEY_COLUMNS,
    Column("措施編號", 10, hidden=True),
)
DEED_COLUMNS = (
    Column("序號", 6),
    Column("責任單位", 16),
    Column("事項名稱", 30),
    Column("類別", 8),
    Column("受益對象", 16),
    Column("目標", 36),
    Column("完成時限", 14, is_date=True),
    Column("進度(%)", 8),
    Column("分步計劃", 30),
    Column("狀態", 8),
    *KEY_COLUMNS,
)
VISIT_COLUMNS = (
    Column("序號", 6),
    Column("調研單位", 16),
    Column("調研日期", 14, is_date=True),
    Column("調研地點", 20),
    Column("參加人員", 20),
    Column("調研主題", 24),
    Column("發現問題", 40),
    *KEY_COLUMNS,
    Column("發現編號", 10, hidden=True),
)


# -- writing -------------------------------------------------------------------------


def _sheet(
    title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> bytes:
    """The ledger as a print-ready workbook (``core.spreadsheet.write_table``):
    the title merged over row 1, the header in row 2, streamed row by row."""
    workbook = Workbook(write_only=True)
    write_table(
        workbook.create_sheet(title[:31]),
        [column.title for column in columns],
        rows,
        title=title,
        title_row=True,
        least_widths=[column.width for column in columns],
        hidden=[column.hidden for column in columns],
        number_formats={
            index: CHINESE_DATE
            for index, column in enumerate(columns)
            if column.is_date
        },
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _person(full_name: str | None, username: str | None) -> str:
    if username is None:
        return ""
    return f"{full_name or username}（{username}）"


# The fields each ledger's export reads, in one query of plain values (no model
# objects): a problem's or visit's row once per measure or finding (a LEFT JOIN,
# so one row with empty measure fields when it has none), a deed's once per stage.
# Each builder also takes the rows' versions (``ledgers.roundtrip.versions``: one
# grouped query beside it, not a subquery per row).
Versions = dict[int, int]
PROBLEM_FIELDS = (
    "pk",
    "unit__name",
    "source",
    "main_task__name",
    "severity",
    "description",
    "status",
    "measures__description",
    "measures__owner__full_name",
    "measures__owner__username",
    "measures__reviewer__full_name",
    "measures__reviewer__username",
    "measures__deadline",
    "measures__progress",
    "measures__id",
)
PROBLEM_ORDER = ("pk", "measures__id")
DEED_FIELDS = (
    "pk",
    "unit__name",
    "title",
    "deed_class",
    "beneficiaries",
    "target",
    "deadline",
    "progress",
    "status",
    "stages__name",
    "stages__due_on",
)
DEED_ORDER = ("pk", "stages__sequence")
VISIT_FIELDS = (
    "pk",
    "unit__name",
    "visited_on",
    "place",
    "participants",
    "topic",
    "findings__text",
    "findings__id",
)
VISIT_ORDER = ("pk", "findings__sequence", "findings__id")


def problems_workbook(
    campaign: Campaign, problems: Iterable[dict[str, Any]], versions: Versions
) -> bytes:
    """``problems``: rows of ``PROBLEM_FIELDS`` in ``PROBLEM_ORDER``."""
    sources = {str(key): word for key, word in SOURCE_WORDS.items()}
    severities = {str(key): word for key, word in SEVERITY_WORDS.items()}
    statuses = {str(key): word for key, word in PROBLEM_STATUS_WORDS.items()}

    def rows() -> Iterable[list[Any]]:
        number, last = 0, None
        for row in problems:
            if row["pk"] != last:
                number, last = number + 1, row["pk"]
            head = [
                number,
                row["unit__name"],
                sources[row["source"]],
                row["main_task__name"] or "",
                severities[row["severity"]],
                row["description"],
            ]
            status = statuses[row["status"]]
            keys = [row["pk"], versions.get(row["pk"], 0)]
            if row["measures__description"] is None:
                yield [*head, "", "", "", None, None, status, *keys, None]
                continue
            yield [
                *head,
                row["measures__description"],
                _person(
                    row["measures__owner__full_name"], row["measures__owner__username"]
                ),
                _person(
                    row["measures__reviewer__full_name"],
                    row["measures__reviewer__username"],
                ),
                row["measures__deadline"],
                row["measures__progress"],
                status,
                *keys,
                row["measures__id"],
            ]

    return _sheet(f"{campaign.name} 問題整改台賬", PROBLEM_COLUMNS, rows())


def deeds_workbook(
    campaign: Campaign, deeds: Iterable[dict[str, Any]], versions: Versions
) -> bytes:
    """``deeds``: rows of ``DEED_FIELDS`` in ``DEED_ORDER``, a deed's stages on
    consecutive rows."""
    classes = {str(key): word for key, word in CLASS_WORDS.items()}
    statuses = {str(key): word for key, word in DEED_STATUS_WORDS.items()}

    def rows() -> Iterable[list[Any]]:
        groups = groupby(deeds, key=itemgetter("pk"))
        for number, (_pk, group) in enumerate(groups, start=1):
            stages = list(group)
            deed = stages[0]
            yield [
                number,
                deed["unit__name"],
                deed["title"],
                classes[deed["deed_class"]],
                deed["beneficiaries"],
                deed["target"],
                deed["deadline"],
                deed["progress"],
                "\n".join(
                    f"{stage['stages__name']}|{stage['stages__due_on'].isoformat()}"
                    for stage in stages
                    if stage["stages__name"] is not None
                ),
                statuses[deed["status"]],
                deed["pk"],
                versions.get(deed["pk"], 0),
            ]

    return _sheet(f"{campaign.name} 辦實事清單", DEED_COLUMNS, rows())


def visits_workbook(
    campaign: Campaign, visits: Iterable[dict[str, Any]], versions: Versions
) -> bytes:
    """``visits``: rows of ``VISIT_FIELDS`` in ``VISIT_ORDER``."""

    def rows() -> Iterable[list[Any]]:
        number, last = 0, None
        for row in visits:
            if row["pk"] != last:
                number, last = number + 1, row["pk"]
            yield [
                number,
                row["unit__name"],
                row["visited_on"],
                row["place"],
                row["participants"],
                row["topic"],
                row["findings__text"] or "",
                row["pk"],
                versions.get(row["pk"], 0),
                row["findings__id"],
            ]

    return _sheet(f"{campaign.name} 調研台賬", VISIT_COLUMNS, rows())


# -- reading -------------------------------------------------------------------------


class ImportRefused(Exception):
    """The workbook cannot be imported; ``errors`` says why, row by row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _rows(upload: IO[bytes], name: str, columns: Sequence[Column]) -> list[tuple]:
    """The data rows of the first sheet, with their Excel row numbers, after
    checking that it is an .xlsx file with the expected header row."""
    expected = "、".join(column.title for column in columns)
    head = upload.read(4)
    upload.seek(0)
    if PurePath(name).suffix.lower() != ".xlsx" or head != b"PK\x03\x04":
        raise ImportRefused(
            [
                _("The file is not an Excel workbook (.xlsx) with the columns: %s.")
                % expected
            ]
        )
    try:
        # calamine (Rust) reads a 50,000-row sheet about ten times faster than
        # openpyxl's read-only mode (bench/results.md)
        sheet = CalamineWorkbook.from_filelike(upload).get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except Exception as error:  # a damaged file raises many kinds
        raise ImportRefused(
            [_("The file could not be read as an .xlsx workbook (%s).") % error]
        ) from error
    found: list[Any] = []
    data: list[tuple] = []
    for number, cells in enumerate(values, start=1):
        if number == HEADER_ROW:
            found = [str(v).strip() if v is not None else "" for v in cells]
        elif number >= FIRST_ROW and any(v not in (None, "") for v in cells):
            data.append((number, tuple(map(_cell, cells))))
    titles = [column.title for column in columns]
    while found and not found[-1]:
        found.pop()
    # a file written before its ledger had keys: every row is a new one
    shown = [column.title for column in columns if not column.hidden]
    if found != titles and found != shown:
        raise ImportRefused(
            [
                _("Row %(row)d must hold the columns %(expected)s; it holds %(found)s.")
                % {
                    "row": HEADER_ROW,
                    "expected": expected,
                    "found": "、".join(found) or _("nothing"),
                }
            ]
        )
    return data


def _cell(value: Any) -> Any:
    """A cell as openpyxl reads it: calamine gives every number as a float and an
    empty cell as ""; a whole number is an int again, an empty cell None."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def _text(value: Any, column: str, *, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise RowError(column, _("is empty"))
    return text


_CHINESE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")


def _date(value: Any, column: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value, column)
    match = _CHINESE_DATE.match(text)
    try:
        if match:
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise RowError(
            column, _("“%s” is not a date (2007年5月10日 or 2007-05-10)") % text
        ) from None


def _percent(value: Any, column: str) -> int:
    if value in (None, ""):
        return 0
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RowError(column, _("“%s” is not a number") % value) from None
    if not number.is_integer() or not 0 <= number <= 100:
        raise RowError(column, _("must be a whole number from 0 to 100"))
    return int(number)


def _choice(value: Any, column: str, words: dict[Any, str]) -> str:
    text = _text(value, column)
    for stored, word in words.items():
        if text == word:
            return str(stored)
    raise RowError(
        column,
        _("“%(value)s” is not one of %(choices)s")
        % {"value": text, "choices": "、".join(words.values())},
    )


_USERNAME = re.compile(r"[（(]\s*([^（）()]+?)\s*[)）]\s*$")


def _username(value: Any, column: str) -> str:
    text = _text(value, column)
    match = _USERNAME.search(text)
    return match.group(1) if match else text


class _Lookups:
    """Names in the sheet → rows of the campaign, each read once."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.units = dict(
            campaign.organisation.units.values_list("name", "pk")  # type: ignore[attr-defined]
        )
        self.tasks = dict(campaign.main_tasks.values_list("name", "pk"))
        self.people: dict[str, int] = {}

    def unit(self, value: Any, column: str) -> int:
        name = _text(value, column)
        if name not in self.units:
            raise RowError(column, _("no unit is named “%s”") % name)
        return self.units[name]

    def task(self, value: Any, column: str) -> int | None:
        name = _text(value, column, required=False)
        if not name:
            return None
        if name not in self.tasks:
            raise RowError(column, _("the campaign has no main task “%s”") % name)
        return self.tasks[name]

    def in_period(self, day: datetime.date, column: str) -> datetime.date:
        if not self.campaign.starts_on <= day <= self.campaign.ends_on:
            raise RowError(
                column,
                _("%(day)s is outside the campaign's period (%(start)s to %(end)s)")
                % {
                    "day": day,
                    "start": self.campaign.starts_on,
                    "end": self.campaign.ends_on,
                },
            )
        return day

    def load_people(self, usernames: set[str]) -> None:
        self.people = dict(
            Person.objects.filter(username__in=usernames, is_active=True).values_list(
                "username", "pk"
            )
        )

    def person(self, username: str, column: str) -> int:
        if username not in self.people:
            raise RowError(
                column, _("no active person has the account “%s”") % username
            )
        return self.people[username]


def _parse_rows(
    data: list[tuple],
    parse: Callable[[int, tuple], Any],
    progress: Report | None = None,
) -> tuple[list[Any], list[str]]:
    """Every row parsed, and every bad one named by its row and column."""
    parsed, errors = [], []
    rows = counted(data, len(data), progress) if progress is not None else data
    for number, values in rows:
        try:
            parsed.append(parse(number, values))
        except RowError as error:
            errors.append(row_error(number, error.column, error.reason))
    if not parsed and not errors:
        errors.append(_("The workbook has no rows to import."))
    return parsed, errors


def row_error(number: int, column: str, reason: str) -> str:
    return _("Row %(row)d, %(column)s: %(reason)s.") % {
        "row": number,
        "column": column,
        "reason": reason,
    }


@dataclass
class MeasureRow:
    description: str
    owner: str
    reviewer: str
    deadline: datetime.date
    progress: int
    owner_id: int = 0
    reviewer_id: int = 0
    row: int = 0
    # the measure's number, empty on a measure added in Excel
    key: int | None = None


@dataclass
class ProblemRow:
    """A problem as its rows give it (one row per measure); ``key`` and
    ``version`` are empty on a problem added in Excel."""

    key: str
    row: int
    unit_id: int
    source: str
    main_task_id: int | None
    severity: str
    description: str
    measures: list[MeasureRow] = field(default_factory=list)
    status: str = ""
    number: int | None = None
    version: int = 0


@dataclass
class Sheet:
    """A ledger's rows read (problems, visits or deeds), and the errors of the
    rows that cannot be read; whether a row may change the ledger is
    ``ledgers.roundtrip``'s question."""

    rows: list[Any]
    errors: list[str]


def _group(
    groups: dict[tuple[str, Any], Any],
    entry: Any,
    key: int | None,
    serial: str,
    head: Sequence[str],
    titles: Sequence[str],
    message: str,
) -> Any:
    """The entry (problem or visit) a row belongs to: the one its key names, or
    for a row added in Excel the one of its 序號; the row must give that entry's
    own values (the columns after 序號, ``head``) as its first row did."""
    group = ("編號", key) if key else ("序號", serial)
    known = groups.setdefault(group, entry)
    for index, attribute in enumerate(head, start=1):
        if getattr(known, attribute) != getattr(entry, attribute):
            if key:
                raise RowError(titles[index], message % {"first": known.row})
            raise RowError(
                titles[0],
                _("row %(first)d has the same 序號 for another entry")
                % {"first": known.row},
            )
    return known


_PROBLEM_HEAD = ("unit_id", "source", "main_task_id", "severity", "description")


def read_problem_sheet(
    campaign: Campaign,
    upload: IO[bytes],
    name: str,
    progress: Report | None = None,
) -> Sheet:
    """The problems of a problem ledger, their measures from consecutive rows:
    rows of one problem share its 編號 (or, added in Excel, its 序號)."""
    data = _rows(upload, name, PROBLEM_COLUMNS)
    lookups = _Lookups(campaign)
    titles = [column.title for column in PROBLEM_COLUMNS]
    usernames: set[str] = set()
    for _number, values in data:
        for index in (7, 8):
            if index < len(values) and values[index] not in (None, ""):
                usernames.add(_username(values[index], titles[index]))
    lookups.load_people(usernames)
    problems: dict[tuple[str, Any], ProblemRow] = {}

    def parse(number: int, values: tuple) -> None:
        values = tuple(values) + (None,) * (len(titles) - len(values))
        key = _text(values[0], titles[0])
        status = _text(values[11], titles[11], required=False)
        problem = ProblemRow(
            key=key,
            row=number,
            unit_id=lookups.unit(values[1], titles[1]),
            source=_choice(values[2], titles[2], SOURCE_WORDS),
            main_task_id=lookups.task(values[3], titles[3]),
            severity=_choice(values[4], titles[4], SEVERITY_WORDS),
            description=_text(values[5], titles[5]),
            status=_choice(status, titles[11], PROBLEM_STATUS_WORDS) if status else "",
            number=_key(values[12], titles[12]),
            version=_key(values[13], titles[13]) or 0,
        )
        known = _group(
            problems,
            problem,
            problem.number,
            key,
            _PROBLEM_HEAD,
            titles,
            _("row %(first)d gives this problem another value"),
        )
        measure_key = _key(values[14], titles[14])
        measure_text = _text(values[6], titles[6], required=measure_key is not None)
        if not measure_text:
            return
        owner = _username(values[7], titles[7]) if values[7] else ""
        if not owner:
            raise RowError(titles[7], _("a measure needs a responsible person"))
        reviewer = _username(values[8], titles[8]) if values[8] else ""
        if not reviewer:
            raise RowError(titles[8], _("a measure needs a reviewer"))
        if owner == reviewer:
            raise RowError(
                titles[8], _("the reviewer must not be the responsible person")
            )
        known.measures.append(
            MeasureRow(
                description=measure_text,
                owner=owner,
                reviewer=reviewer,
                owner_id=lookups.person(owner, titles[7]),
                reviewer_id=lookups.person(reviewer, titles[8]),
                deadline=lookups.in_period(_date(values[9], titles[9]), titles[9]),
                progress=_percent(values[10], titles[10]),
                row=number,
                key=measure_key,
            )
        )

    _parsed, errors = _parse_rows(data, parse, progress)
    return Sheet(list(problems.values()), errors)


def read_problems(
    campaign: Campaign,
    upload: IO[bytes],
    name: str,
    progress: Report | None = None,
) -> list[ProblemRow]:
    """The problems of a problem ledger, or ``ImportRefused`` naming every row that
    cannot be read."""
    sheet = read_problem_sheet(campaign, upload, name, progress)
    if sheet.errors:
        raise ImportRefused(sheet.errors)
    return list(sheet.rows)


@dataclass
class FindingRow:
    text: str
    row: int
    key: int | None = None


@dataclass
class VisitRow:
    """A research visit as its rows give it (one row per finding)."""

    row: int
    unit_id: int
    visited_on: datetime.date
    place: str
    participants: str
    topic: str
    findings: list[FindingRow] = field(default_factory=list)
    key: int | None = None
    version: int = 0


_VISIT_HEAD = ("unit_id", "visited_on", "place", "participants", "topic")


def read_visits(
    campaign: Campaign,
    upload: IO[bytes],
    name: str,
    progress: Report | None = None,
) -> Sheet:
    """The research visits of a visits ledger, their findings from consecutive
    rows: rows of one visit share its 編號 (or, added in Excel, its 序號)."""
    data = _rows(upload, name, VISIT_COLUMNS)
    lookups = _Lookups(campaign)
    titles = [column.title for column in VISIT_COLUMNS]
    visits: dict[tuple[str, Any], VisitRow] = {}

    def parse(number: int, values: tuple) -> None:
        values = tuple(values) + (None,) * (len(titles) - len(values))
        serial = _text(values[0], titles[0])
        visit = VisitRow(
            row=number,
            unit_id=lookups.unit(values[1], titles[1]),
            visited_on=lookups.in_period(_date(values[2], titles[2]), titles[2]),
            place=_text(values[3], titles[3]),
            participants=_text(values[4], titles[4]),
            topic=_text(values[5], titles[5]),
            key=_key(values[7], titles[7]),
            version=_key(values[8], titles[8]) or 0,
        )
        known = _group(
            visits,
            visit,
            visit.key,
            serial,
            _VISIT_HEAD,
            titles,
            _("row %(first)d gives this visit another value"),
        )
        finding_key = _key(values[9], titles[9])
        text = _text(values[6], titles[6], required=finding_key is not None)
        if text:
            known.findings.append(FindingRow(text, number, finding_key))

    _parsed, errors = _parse_rows(data, parse, progress)
    return Sheet(list(visits.values()), errors)


@dataclass
class DeedRow:
    """One row of a deed list as written, before it is compared with the ledger:
    ``key`` and ``version`` are empty on a row added in Excel."""

    row: int
    unit_id: int
    title: str
    deed_class: str
    beneficiaries: str
    target: str
    deadline: datetime.date
    progress: int
    stages: list[StageInput]
    status: str = DeedStatus.IN_PROGRESS
    key: int | None = None
    version: int = 0


DeedSheet = Sheet


def _key(value: Any, column: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RowError(column, _("“%s” is not a number") % value) from None
    if not number.is_integer() or number < 0:
        raise RowError(column, _("“%s” is not a number") % value)
    return int(number)


def read_deeds(
    campaign: Campaign,
    upload: IO[bytes],
    name: str,
    progress: Report | None = None,
) -> DeedSheet:
    """The rows of a deed list and the errors of the rows that cannot be read;
    whether a row may change the ledger is ``ledgers.roundtrip``'s question."""
    data = _rows(upload, name, DEED_COLUMNS)
    lookups = _Lookups(campaign)
    titles = [column.title for column in DEED_COLUMNS]

    def parse(number: int, values: tuple) -> DeedRow:
        values = tuple(values) + (None,) * (len(titles) - len(values))
        _text(values[0], titles[0])
        status = _text(values[9], titles[9], required=False)
        deed_class = _choice(values[3], titles[3], CLASS_WORDS)
        deadline = _date(values[6], titles[6])
        stages = []
        for line in _text(values[8], titles[8], required=False).splitlines():
            if not line.strip():
                continue
            stage, _sep, day = line.rpartition("|")
            if not stage.strip():
                raise RowError(titles[8], _("“%s” is not “name|date”") % line)
            stages.append(StageInput(stage.strip(), _date(day.strip(), titles[8])))
        if (deed_class == DeedClass.STAGED) != bool(stages):
            raise RowError(
                titles[8],
                _("a deed in stages (分步辦), and only such, lists its stages"),
            )
        return DeedRow(
            row=number,
            unit_id=lookups.unit(values[1], titles[1]),
            title=_text(values[2], titles[2]),
            deed_class=deed_class,
            beneficiaries=_text(values[4], titles[4]),
            target=_text(values[5], titles[5]),
            deadline=deadline,
            progress=_percent(values[7], titles[7]),
            stages=stages,
            status=_choice(status, titles[9], DEED_STATUS_WORDS)
            if status
            else DeedStatus.IN_PROGRESS,
            key=_key(values[10], titles[10]),
            version=_key(values[11], titles[11]) or 0,
        )

    rows, errors = _parse_rows(data, parse, progress)
    return DeedSheet(rows, errors)


TEMPLATES = {
    "problems": ("問題整改台賬", PROBLEM_COLUMNS),
    "visits": ("調研台賬", VISIT_COLUMNS),
    "deeds": ("辦實事清單", DEED_COLUMNS),
}


def template_workbook(ledger: str) -> bytes:
    title, columns = TEMPLATES[ledger]
    return _sheet(title, columns, [])
