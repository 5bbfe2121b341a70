"""A demand filed on the public form shows its suggested unit to the office, which
dispatches it in one click; the unit returns it, the office sends it elsewhere, and
the next retraining suggests that unit for a similar demand, in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from campaigns.models import Campaign
from demands.models import Demand, DemandStatus
from demands.routing.actions import retrain_campaign
from demands.tests.test_office_browser import log_in
from org.models import Unit, UnitRole
from org.tests.factories import MembershipFactory, PersonFactory
from sanfu.demo import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def campaign(transactional_demo: None) -> Campaign:
    # Before Playwright starts: its sync API switches contexts, and a database
    # connection opened inside it would outlive the test.
    campaign = Campaign.objects.get(slug="sanfu-2007")
    # a liaison for every unit, whichever the model suggests first
    for unit in Unit.objects.filter(organisation=campaign.organisation):
        person = PersonFactory.create(username=f"routing_{unit.pk}")
        person.set_password(DEMO_PASSWORD)
        person.save()
        MembershipFactory.create(person=person, unit=unit, role=UnitRole.LIAISON)
    return campaign


def file_publicly(page: Page, title: str, content: str) -> str:
    page.context.clear_cookies()
    page.goto("/demands/sanfu-2007/new/")
    page.select_option("select[name=kind]", "help")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=content]", content)
    page.fill("input[name=submitter_phone]", "13812345678")
    page.click("main button[type=submit]")
    return page.locator(".tracking-no").inner_text()


def first_suggestion(page: Page, tracking_no: str) -> int:
    demand = Demand.objects.get(tracking_no=tracking_no)
    page.goto(f"/admin/demands/{demand.pk}/")
    first = page.locator("[data-suggested-unit]").first
    expect(first).to_be_visible()
    return int(first.get_attribute("data-suggested-unit") or 0)


def test_the_office_dispatches_on_the_suggestion_and_a_return_teaches_it(
    campaign, browser_page
):
    page = browser_page
    status = page.locator("[data-status]")
    number = file_publicly(
        page, "消防栓漏水", "小區門口的消防栓一直漏水，地上一大攤水。"
    )

    log_in(page, "caishangtu")
    suggested = first_suggestion(page, number)
    expect(page.locator(".demand-routing")).to_have_attribute(
        "data-routing-version", "1"
    )
    page.locator("button[name=dispatch_suggested]").first.click()
    expect(status).to_have_attribute("data-status", DemandStatus.DISPATCHED)
    demand = Demand.objects.get(tracking_no=number)
    assert demand.unit_id == suggested

    log_in(page, f"routing_{suggested}")
    page.goto(f"/admin/demands/{demand.pk}/")
    page.fill("#step-return textarea[name=reason]", "消防栓不歸本處管。")
    page.click("button[name=return]")

    other = (
        Unit.objects.filter(organisation=campaign.organisation)
        .exclude(pk=suggested)
        .order_by("path")
        .first()
    )
    log_in(page, "caishangtu")
    page.goto(f"/admin/demands/{demand.pk}/")
    page.select_option("#step-dispatch select[name=unit]", str(other.pk))
    page.click("button[name=dispatch]")
    expect(status).to_have_attribute("data-status", DemandStatus.DISPATCHED)

    log_in(page, f"routing_{other.pk}")
    page.goto(f"/admin/demands/{demand.pk}/")
    page.click("button[name=accept]")
    expect(status).to_have_attribute("data-status", DemandStatus.ACCEPTED)

    # the clock's next round
    model = retrain_campaign(campaign)
    assert model is not None and model.corrections == 1

    similar = file_publicly(
        page, "消防栓又漏水", "街角的消防栓漏水好幾天了，沒人來修。"
    )
    log_in(page, "caishangtu")
    assert first_suggestion(page, similar) == other.pk
    expect(page.locator(".demand-routing")).to_have_attribute(
        "data-routing-version", str(model.version)
    )
    expect(page.locator(".demand-routing-word").first).to_be_visible()
    expect(page.locator(".demand-routing li").first).to_contain_text("消防栓")
