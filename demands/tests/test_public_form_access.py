"""The public demand form for everyone: fields that say what they hold, a summary of
what to correct, and the shorter form of 长辈模式."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse

from core.display import COOKIE, ELDER
from demands.models import Demand, Urgency
from sanfu.tests.soup import one

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def submit_url(world) -> str:  # type: ignore[no-untyped-def]
    return reverse("demands:submit", kwargs={"campaign_slug": world.campaign.slug})


def form(client, world) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    response = client.get(submit_url(world))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_name_and_phone_fields_say_what_they_hold(client, world):
    page = form(client, world)

    assert one(page, "input[name=submitter_name]")["autocomplete"] == "name"
    assert one(page, "input[name=submitter_phone]")["autocomplete"] == "tel"


def test_a_refused_form_opens_with_a_summary_that_leads_to_each_field(client, world):
    response = client.post(submit_url(world), {"kind": "help", "urgency": "normal"})

    page = BeautifulSoup(response.content, "html.parser")
    summary = one(page, "[data-error-summary]")
    # the summary comes before the fields and takes the focus on load
    assert summary.find_next("fieldset") is not None
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    targets = [str(link["href"]) for link in summary.select("a")]
    assert targets == ["#id_title", "#id_content"]
    for target in targets:
        assert page.select_one(target) is not None


def test_a_form_without_errors_has_no_summary(client, world):
    assert form(client, world).select_one("[data-error-summary]") is None


def test_elder_mode_shows_the_fields_a_demand_needs_and_no_more(client, world):
    standard = {
        field["name"] for field in form(client, world).select("form.demand-form [name]")
    }
    client.cookies[COOKIE] = ELDER
    elder = form(client, world)
    shown = {
        field["name"]
        for field in elder.select("form.demand-form :is(input, select, textarea)[name]")
        if field.get("type") != "hidden"
    }

    assert shown == {
        "kind",
        "title",
        "content",
        "submitter_name",
        "submitter_phone",
    }
    assert {"category", "location", "attachments", "allow_publish"} <= standard
    assert one(elder, "input[type=hidden][name=urgency]")["value"] == "normal"


def test_a_demand_filed_in_elder_mode_keeps_the_defaults(client, world):
    client.cookies[COOKIE] = ELDER
    response = client.post(
        submit_url(world),
        {
            "kind": "help",
            "urgency": "normal",
            "title": "路灯不亮",
            "content": "小区门口的路灯坏了一个月。",
        },
    )

    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.urgency == Urgency.NORMAL
    assert demand.category is None and not demand.allow_publish
