"""The sources of the other apps: the ledgers' and the column's figures, as rates or
counts per unit."""

import pytest

from demands import metrics
from evaluation import sources

pytestmark = pytest.mark.django_db


def test_the_ledgers_and_the_column_are_read_as_rates_and_counts(world, monkeypatch):
    a, b = world.unit_a.pk, world.unit_b.pk
    monkeypatch.setattr(
        "ledgers.metrics.on_time_rectification", lambda c, s, e: {a: (3, 4)}
    )
    monkeypatch.setattr(
        "ledgers.metrics.deeds_done", lambda c, s, e: {a: (1, 2), b: (0, 0)}
    )
    monkeypatch.setattr(
        "publicity.metrics.published_submissions", lambda c, s, e: {b: 5}
    )
    campaign = world.campaign
    assert sources.compute("ledgers.on_time_rectification", campaign) == {a: 0.75}
    # nothing due: no figure, not 0 %
    assert sources.compute("ledgers.deeds_done", campaign) == {a: 0.5}
    assert sources.compute("publicity.published_submissions", campaign) == {b: 5}


def test_an_open_period_is_the_campaigns_own_for_the_column(world, monkeypatch):
    asked = []

    def published_submissions(campaign, start, end):  # type: ignore[no-untyped-def]
        asked.append((start, end))
        return {}

    monkeypatch.setattr(
        "publicity.metrics.published_submissions", published_submissions
    )
    sources.compute("publicity.published_submissions", world.campaign)
    assert asked == [(world.campaign.starts_on, world.campaign.ends_on)]


def test_the_cockpit_shows_them(login, world, monkeypatch):
    monkeypatch.setattr(
        "ledgers.metrics.on_time_rectification",
        lambda c, s, e: {world.unit_a.pk: (3, 4)},
    )
    page = login(world.leader).get("/admin/cockpit/").content.decode()
    assert "3 / 4" in page


def test_a_block_inside_another_shares_its_demands_report(world, monkeypatch):
    # the cockpit reads the report, then its ranking reads the rates: one report
    calls = []
    real = metrics.report

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(metrics, "report", counted)
    with sources.shared_reports():
        sources.demand_report(world.campaign, None, None)
        with sources.shared_reports():
            sources.compute("demands.response_rate", world.campaign)
            sources.compute("demands.satisfaction_rate", world.campaign)
    assert len(calls) == 1
    sources.compute("demands.response_rate", world.campaign)  # outside: afresh
    assert len(calls) == 2
