"""The sources of the other apps: absent, they say so; present, they are read."""

import sys
import types
from typing import Any

import pytest

from evaluation import sources

pytestmark = pytest.mark.django_db


def fake_module(name: str, **functions: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    vars(module).update(functions)
    return module


def test_an_absent_module_is_reported_by_name(world, monkeypatch):
    monkeypatch.setitem(sys.modules, "ledgers.metrics", None)
    with pytest.raises(sources.SourceUnavailable, match=r"ledgers\.metrics"):
        sources.compute("ledgers.deeds_done", world.campaign)


def test_the_ledgers_and_the_column_are_read_once_installed(world, monkeypatch):
    a, b = world.unit_a.pk, world.unit_b.pk
    ledgers = fake_module(
        "ledgers.metrics",
        on_time_rectification=lambda c, s, e: {a: (3, 4)},
        deeds_done=lambda c, s, e: {a: (1, 2), b: (0, 0)},
    )
    publicity = fake_module(
        "publicity.metrics", published_submissions=lambda c, s, e: {b: 5}
    )
    monkeypatch.setitem(sys.modules, "ledgers.metrics", ledgers)
    monkeypatch.setitem(sys.modules, "publicity.metrics", publicity)
    campaign = world.campaign
    assert sources.compute("ledgers.on_time_rectification", campaign) == {a: 0.75}
    # nothing due: no figure, not 0 %
    assert sources.compute("ledgers.deeds_done", campaign) == {a: 0.5}
    assert sources.compute("publicity.published_submissions", campaign) == {b: 5}


def test_the_cockpit_shows_them_once_installed(login, world, monkeypatch):
    ledgers = fake_module(
        "ledgers.metrics",
        on_time_rectification=lambda c, s, e: {world.unit_a.pk: (3, 4)},
        deeds_done=lambda c, s, e: {},
    )
    monkeypatch.setitem(sys.modules, "ledgers.metrics", ledgers)
    page = login(world.leader).get("/admin/cockpit/").content.decode()
    assert "3 / 4" in page
