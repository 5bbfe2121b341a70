"""An import reports its progress while it stores, not only while it checks (issue
24: a 50,000-row import sat at 100% for the whole of its store), and stores the
same rows whichever way it stores them."""

import datetime
import io
from typing import Any

import pytest
from openpyxl import Workbook

from conftest import World
from core.progress import part
from ledgers import excel
from ledgers.actions import imports as ledger_imports
from ledgers.actions.imports import import_problems
from ledgers.models import Problem, ProgressUpdate

pytestmark = pytest.mark.django_db


def _problems(world: World, count: int) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["台賬"])
    sheet.append([column.title for column in excel.PROBLEM_COLUMNS])
    for number in range(1, count + 1):
        sheet.append(
            [
                number,
                world.unit_a.name,
                "自查",
                "",
                "一般",
                f"問題{number}",
                "措施",
                world.staff_a.username,
                world.head_a.username,
                datetime.date(2007, 6, 1),
                number * 10,
                "整改中",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_storing_problems_reports_after_each_batch(
    world: World, monkeypatch: Any
) -> None:
    monkeypatch.setattr(ledger_imports, "IMPORT_BATCH", 2)
    rows = excel.read_problems(
        world.campaign, io.BytesIO(_problems(world, 5)), "a.xlsx"
    )
    heard: list[tuple[int, int]] = []
    keys = import_problems(
        world.campaign,
        rows,
        actor=world.clerk,
        progress=lambda done, total: heard.append((done, total)),
    )
    assert heard == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert len(keys) == 5
    stored = Problem.objects.filter(pk__in=keys).order_by("pk")
    assert [p.description for p in stored] == [f"問題{n}" for n in range(1, 6)]
    assert [p.created_by_id for p in stored] == [world.clerk.pk] * 5
    measures = [p.measures.get() for p in stored]
    assert [m.progress for m in measures] == [10, 20, 30, 40, 50]
    assert [m.owner_id for m in measures] == [world.staff_a.pk] * 5
    updates = ProgressUpdate.objects.filter(measure__in=measures).order_by("pk")
    assert [u.percent for u in updates] == [10, 20, 30, 40, 50]


def test_a_job_in_two_steps_runs_its_bar_once_through_both() -> None:
    heard: list[tuple[int, int]] = []
    report = lambda done, total: heard.append((done, total))  # noqa: E731
    part(report, 0, 2)(50, 100)
    part(report, 0, 2)(100, 100)
    part(report, 1, 2)(0, 7)
    part(report, 1, 2)(7, 7)
    part(report, 1, 2)(0, 0)
    assert heard == [
        (500, 2000),
        (1000, 2000),
        (1000, 2000),
        (2000, 2000),
        (2000, 2000),
    ]
