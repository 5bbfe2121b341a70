"""The automatic indicators' figures: a registry of named sources.

A source is ``function(campaign, start, end) -> {unit_id: value}``, the value a rate
in 0..1 (``kind="rate"``) or a count (``kind="count"``; a count may also be a mapping
kind → count, scored through the indicator's points table). A unit without a figure
is simply missing from the mapping. The indicator's points rule turns the value into
points (``evaluation.scoring``).

The demand sources read the rollup (month and day rows) through ``demands.metrics``; the
ledgers' rectification and deeds come from ``ledgers.metrics``, the column's
submissions from ``publicity.metrics``. A period left open on either side is the
campaign's own.
"""

import contextlib
import datetime
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from demands import metrics
from ledgers import metrics as ledger_metrics
from publicity import metrics as column_metrics

Value = float | int | Mapping[str, int]
SourceFunction = Callable[
    [Campaign, datetime.date | None, datetime.date | None], dict[int, Value]
]


@dataclass(frozen=True)
class Source:
    name: str
    label: Any
    kind: str  # "rate" or "count"
    function: SourceFunction


REGISTRY: dict[str, Source] = {}


def register(name: str, label: Any, kind: str) -> Callable[[SourceFunction], Any]:
    def decorator(function: SourceFunction) -> SourceFunction:
        REGISTRY[name] = Source(name, label, kind, function)
        return function

    return decorator


def choices() -> list[tuple[str, Any]]:
    return [(source.name, source.label) for source in REGISTRY.values()]


def compute(
    name: str,
    campaign: Campaign,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[int, Value]:
    return REGISTRY[name].function(campaign, start, end)


# -- demands (from the rollup) -------------------------------------------------------

_reports: ContextVar[dict[Any, metrics.Report] | None] = ContextVar(
    "sanfu_demand_reports", default=None
)


@contextlib.contextmanager
def shared_reports() -> Iterator[None]:
    """Within this block the five demand sources (and the cockpit) share one
    ``metrics.report`` per campaign and period instead of asking for it each. A
    block inside another shares the outer one's (the cockpit's ranking reads the
    report the cockpit has read)."""
    if _reports.get() is not None:
        yield
        return
    token = _reports.set({})
    try:
        yield
    finally:
        _reports.reset(token)


def demand_report(
    campaign: Campaign, start: datetime.date | None, end: datetime.date | None
) -> metrics.Report:
    memo = _reports.get()
    key = (campaign.pk, start, end)
    if memo is not None and key in memo:
        return memo[key]
    report = metrics.report(campaign, period=metrics.Period(start, end))
    if memo is not None:
        memo[key] = report
    return report


def _demand_rate(rate: str) -> SourceFunction:
    def function(
        campaign: Campaign, start: datetime.date | None, end: datetime.date | None
    ) -> dict[int, Value]:
        report = demand_report(campaign, start, end)
        return {
            row.key: value
            for row in report.by_unit
            if row.key is not None and (value := getattr(row, rate)) is not None
        }

    return function


for _name, _label in (
    ("response_rate", _("Demands: response rate")),
    ("on_time_reply_rate", _("Demands: on-time reply rate")),
    ("resolution_rate", _("Demands: resolution rate")),
    ("satisfaction_rate", _("Demands: satisfaction rate")),
    ("reopen_rate", _("Demands: reopen rate (lower is better)")),
):
    register(f"demands.{_name}", _label, "rate")(_demand_rate(_name))


# -- the ledgers and the column ------------------------------------------------------


def _pairs_as_rates(pairs: Mapping[int, tuple[int, int]]) -> dict[int, Value]:
    return {unit: done / total for unit, (done, total) in pairs.items() if total}


@register(
    "publicity.published_submissions", _("Column: published submissions"), "count"
)
def published_submissions(
    campaign: Campaign, start: datetime.date | None, end: datetime.date | None
) -> dict[int, Value]:
    return dict(
        column_metrics.published_submissions(
            campaign, start or campaign.starts_on, end or campaign.ends_on
        )
    )


@register(
    "ledgers.on_time_rectification", _("Ledgers: on-time rectification rate"), "rate"
)
def on_time_rectification(
    campaign: Campaign, start: datetime.date | None, end: datetime.date | None
) -> dict[int, Value]:
    return _pairs_as_rates(ledger_metrics.on_time_rectification(campaign, start, end))


@register("ledgers.deeds_done", _("Ledgers: practical deeds done"), "rate")
def deeds_done(
    campaign: Campaign, start: datetime.date | None, end: datetime.date | None
) -> dict[int, Value]:
    return _pairs_as_rates(ledger_metrics.deeds_done(campaign, start, end))
