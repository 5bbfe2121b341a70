"""The routing suggestion: the model, its training on the catalogue and on confirmed
dispatches (a return and re-dispatch teach it), the office's dispatch step, the
automatic dispatch a campaign may switch on, and ``evaluate_routing``."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from demands import actions
from demands.models import DemandStatus, RoutingModel, RoutingSuggestion
from demands.routing import actions as routing
from demands.routing.engine import Example, Router
from demands.tests.factories import CategoryFactory, submit_test_demand

pytestmark = pytest.mark.django_db


def _catalogue(world: Any) -> tuple[Any, Any]:
    supply = CategoryFactory.create(
        campaign=world.campaign,
        name="供水與水費",
        keywords="停水 水壓 水費 水表 自來水",
        default_unit=world.unit_a,
    )
    drains = CategoryFactory.create(
        campaign=world.campaign,
        name="排水與內澇",
        keywords="下水道 井蓋 積水 內澇 排水",
        default_unit=world.unit_b,
    )
    return supply, drains


def _file(world: Any, title: str, content: str, category: Any) -> Any:
    return submit_test_demand(world, title=title, content=content, category=category)


def test_the_model_reads_both_scripts_alike_and_names_its_words() -> None:
    router = Router.train(
        [
            Example("小区停水了 水压很低", "supply"),
            Example("自来水发黄 停水没通知", "supply"),
            Example("下水道堵了 污水冒出来", "drains"),
            Example("井盖不见了 路上积水", "drains"),
        ]
    )
    simplified = router.suggest("下水道又堵了")
    assert simplified[0].label == "drains"
    assert "下水道" in simplified[0].words
    assert router.suggest("我們這裡停水三天了")[0].label == "supply"
    # 井蓋 is 井盖: the same features, the same guess
    assert router.suggest("井蓋不見了") == router.suggest("井盖不见了")
    assert Router.loads(router.dumps()).suggest("井蓋")[0].label == "drains"


def test_a_new_demand_gets_a_suggestion_from_the_catalogue(world: Any) -> None:
    supply, _drains = _catalogue(world)
    # filed under the wrong category: the text, not the submitter's choice, decides
    demand = _file(world, "路口井蓋不見了", "晚上很危險，下水道口黑乎乎的", supply)
    suggestion = routing.suggest_routing(demand)
    assert suggestion is not None
    first = suggestion.choices[0]
    assert first["unit"] == world.unit_b.pk
    # the words as the demand writes them, in its own script
    assert "井蓋" in first["words"]
    assert suggestion.model.version == 1
    assert suggestion.model.source == "catalogue"
    # one suggestion per demand and model version
    assert routing.suggest_routing(demand) == suggestion
    assert RoutingSuggestion.objects.filter(demand=demand).count() == 1


def test_a_return_and_re_dispatch_teach_the_next_model(world: Any) -> None:
    supply, _drains = _catalogue(world)
    text = "小區門口的消防栓一直漏水，地上一大攤"
    first = _file(world, "消防栓漏水", text, supply)
    before = routing.suggest_routing(first)
    assert before is not None
    assert before.choices[0]["unit"] == world.unit_a.pk  # 水 leans to supply
    actions.dispatch_demand(first, world.unit_a, actor=world.director)
    actions.return_demand(first, reason="消防栓不歸我們", actor=world.liaison_a)
    first.refresh_from_db()
    actions.dispatch_demand(first, world.unit_b, actor=world.director)
    first.refresh_from_db()
    actions.accept_demand(first, actor=world.liaison_b)

    model = routing.retrain_campaign(world.campaign)
    assert model is not None
    assert (model.version, model.examples, model.corrections) == (2, 1, 1)
    similar = _file(world, "消防栓在漏水", "街角的消防栓漏水好幾天了", supply)
    after = routing.suggest_routing(similar)
    assert after is not None
    assert after.model == model
    assert after.choices[0]["unit"] == world.unit_b.pk
    assert "消防栓" in after.choices[0]["words"]
    # nothing new to learn: no new version
    assert routing.retrain_campaign(world.campaign) is None
    assert RoutingModel.objects.filter(campaign=world.campaign).count() == 2


def test_the_clock_retrains_once_the_interval_has_passed(world: Any) -> None:
    _catalogue(world)
    out = StringIO()
    call_command("retrain_routing", stdout=out)
    assert RoutingModel.objects.filter(campaign=world.campaign).count() == 1
    CategoryFactory.create(
        campaign=world.campaign, keywords="招聘 工資", default_unit=world.unit_a
    )
    call_command("retrain_routing", stdout=out)  # the newest is too recent
    assert RoutingModel.objects.filter(campaign=world.campaign).count() == 1
    RoutingModel.objects.update(trained_at="2020-01-01T00:00Z")
    call_command("retrain_routing", stdout=out)
    assert RoutingModel.objects.filter(campaign=world.campaign).count() == 2


def test_nothing_is_dispatched_automatically_by_default(world: Any) -> None:
    supply, _drains = _catalogue(world)
    demand = _file(world, "停水", "停水了 停水 水壓低 自來水 水費", supply)
    routing.suggest_routing(demand)
    demand.refresh_from_db()
    assert demand.status == DemandStatus.SUBMITTED


def test_above_the_office_threshold_the_demand_is_dispatched_automatically(
    world: Any, client: Any, login: Any
) -> None:
    supply, _drains = _catalogue(world)
    world.campaign.auto_dispatch_percent = 50
    world.campaign.save(update_fields=["auto_dispatch_percent"])
    demand = _file(world, "停水", "停水了 停水 水壓低 自來水 水費 水表", supply)
    suggestion = routing.suggest_routing(demand)
    demand.refresh_from_db()
    assert suggestion is not None and suggestion.automatic
    assert (demand.status, demand.unit) == (DemandStatus.DISPATCHED, world.unit_a)
    entry = ModelLogEntry.objects.get(
        object_id=str(demand.pk), action="sanfu.demand.dispatch"
    )
    assert entry.user is None and entry.data["automatic"] is True
    page = login(world.director).get(reverse("demands_office:detail", args=[demand.pk]))
    assert page.content.decode().count("data-automatic") == 1
    figures = login(world.director).get(reverse("demands_metrics:index"))
    assert 'data-automatic-dispatches="1"' in figures.content.decode()


def test_with_a_threshold_a_demand_is_dispatched_as_it_is_filed(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supply, _drains = _catalogue(world)
    world.campaign.auto_dispatch_percent = 50
    world.campaign.save(update_fields=["auto_dispatch_percent"])
    with django_capture_on_commit_callbacks(execute=True):
        demand = _file(world, "井蓋", "下水道 井蓋 積水 內澇 排水 井蓋壞了", supply)
    demand.refresh_from_db()
    assert (demand.status, demand.unit) == (DemandStatus.DISPATCHED, world.unit_b)


def test_below_the_threshold_the_office_dispatches(world: Any) -> None:
    supply, _drains = _catalogue(world)
    world.campaign.auto_dispatch_percent = 100
    world.campaign.save(update_fields=["auto_dispatch_percent"])
    demand = _file(world, "停水", "停水了", supply)
    suggestion = routing.suggest_routing(demand)
    demand.refresh_from_db()
    assert suggestion is not None and not suggestion.automatic
    assert demand.status == DemandStatus.SUBMITTED


def test_the_office_sees_the_suggestion_and_dispatches_in_one_click(
    world: Any, login: Any
) -> None:
    supply, _drains = _catalogue(world)
    demand = _file(world, "下水道堵了", "小區下水道堵了，污水漫到路上", supply)
    client = login(world.clerk)
    url = reverse("demands_office:detail", args=[demand.pk])
    page = client.get(url).content.decode()
    assert f'data-suggested-unit="{world.unit_b.pk}"' in page
    assert page.index(f'data-suggested-unit="{world.unit_b.pk}"') < page.index(
        f'data-suggested-unit="{world.unit_a.pk}"'
    )
    assert 'data-routing-version="1"' in page
    response = client.post(
        reverse("demands_office:dispatch", args=[demand.pk]),
        {"unit": world.unit_b.pk, "suggested": "1"},
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert (demand.status, demand.unit) == (DemandStatus.DISPATCHED, world.unit_b)


def test_the_handling_unit_is_shown_no_suggestion(world: Any, login: Any) -> None:
    supply, _drains = _catalogue(world)
    demand = _file(world, "停水", "停水了", supply)
    actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    page = login(world.liaison_a).get(
        reverse("demands_office:detail", args=[demand.pk])
    )
    assert "data-suggested-unit" not in page.content.decode()


def test_evaluate_routing_runs_on_a_small_file(tmp_path: Path) -> None:
    rows = ["text,unit"]
    for i in range(6):
        rows.append(f"第{i}號樓停水了，水壓也低,供水")
        rows.append(f"第{i}條路的下水道堵了，井蓋也壞了,排水")
        rows.append(f"第{i}次招聘考試的成績什麼時候出,人事")
    data = tmp_path / "demands.csv"
    data.write_text("\n".join(rows), encoding="utf-8")
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "unit,category,keywords\n供水,供水,停水 水壓\n排水,排水,下水道 井蓋\n"
        "人事,人事,招聘 考試\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("evaluate_routing", str(data), catalogue=str(catalogue), stdout=out)
    text = out.getvalue()
    assert "18 demands, 3 units" in text
    assert "accuracy@1: 100.0%" in text
    assert "accuracy@3: 100.0%" in text
    assert "keyword matching on the catalogue (baseline), accuracy@1: 100.0%" in text
    assert "排水" in text and "precision" in text


def test_evaluate_routing_refuses_a_file_without_the_header(tmp_path: Path) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("words,label\n停水,供水\n", encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="text,unit"):
        call_command("evaluate_routing", str(data), stdout=StringIO())
