"""The breach-risk backtest, on a small generated year."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demands.management.commands.generate_demands import HABITS, habit

pytestmark = pytest.mark.django_db


def test_a_units_habit_is_the_same_in_every_run():
    assert habit(3, 5) == habit(3, 5)
    assert habit(3, 5) in [kept for _share, kept in HABITS]


def test_it_reports_precision_and_recall_at_the_lists_thresholds():
    call_command(
        "generate_demands",
        "--units=12",
        "--demands=2500",
        "--campaign=risk",
        "--until=2025-06-30",
        "--habits",
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    call_command("backtest_breach_risk", "--campaign=risk", "--days=60", stdout=out)
    text = out.getvalue()
    assert "held:" in text and "before the yellow card:" in text
    found = re.search(r"held: (\d+) scored, (\d+) late", text)
    assert found is not None and int(found[1]) > int(found[2]) > 0
    precision = re.search(r"≥ 50%: warned \d+, precision ([\d.]+)%", text)
    assert precision is not None
    # better than warning at random
    base = int(found[2]) / int(found[1])
    assert float(precision[1]) / 100 > base


def test_it_refuses_an_unknown_campaign():
    with pytest.raises(CommandError):
        call_command("backtest_breach_risk", "--campaign=nowhere")
