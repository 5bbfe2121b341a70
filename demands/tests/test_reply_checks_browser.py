"""Honest replies in a real browser: the unit sends boilerplate, sees the flags and
sends it anyway; the office sees the flags on the demand and at the return
visit."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Campaign
from demands import actions, sweeps
from demands.models import Category, Demand, DemandKind, DemandStatus, Urgency
from demands.tests.test_office_browser import log_in
from org.models import Person, Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def accepted(transactional_demo: None) -> Demand:
    # Before Playwright starts: its sync API switches contexts, and a database
    # connection opened inside it would outlive the test.
    campaign = Campaign.objects.get(slug="sanfu-2007")
    guihua = Unit.objects.get(organisation=campaign.organisation, name="規劃計劃處")
    category = Category.objects.create(
        campaign=campaign,
        name="渠道疏通",
        main_task=campaign.main_tasks.all()[0],
        default_unit=guihua,
        on_site=True,
    )
    demand, _code = actions.submit_demand(
        campaign,
        kind=DemandKind.HELP,
        title="堤防滲水",
        content="河堤有一段滲水，群眾擔心汛期安全。",
        category=category,
        urgency=Urgency.URGENT,
        submitter_phone="13900001111",
        submitter_name="李四",
    )
    director = Person.objects.get(username="caishangtu")
    demand = actions.dispatch_demand(demand, guihua, actor=director)
    liaison = Person.objects.get(username="guihua_liaison")
    return actions.accept_demand(demand, actor=liaison)


def test_a_flagged_reply_is_sent_after_a_second_look_and_the_office_sees_it(
    accepted, browser_page
):
    page = browser_page
    detail = f"/admin/demands/{accepted.pk}/"
    status = page.locator("dd[data-status]")
    log_in(page, "guihua_liaison")
    page.goto(detail)
    page.fill("textarea[name=reply]", "已處理，詳見答覆。")
    page.check("input[name=solved][value=yes]")
    page.click("button[name=reply_submit]")
    check = page.locator(".demand-reply-check")
    expect(check.locator("[data-flag=boilerplate]")).to_be_visible()
    expect(check.locator("[data-flag=no_photo]")).to_be_visible()
    expect(status).to_have_attribute("data-status", DemandStatus.ACCEPTED)
    page.click("button[name=reply_submit]")  # send it anyway
    expect(status).to_have_attribute("data-status", DemandStatus.REPLIED)
    expect(page.locator(".demand-sent-flags [data-flag=boilerplate]")).to_be_visible()

    sweeps.schedule_return_visits(timezone.now() + datetime.timedelta(days=5))
    log_in(page, "caishangtu")
    page.goto("/admin/demands/follow-up/visits/")
    flags = page.locator(".return-visits .reply-flags")
    expect(flags.locator("[data-flag=boilerplate]")).to_be_visible()
    expect(flags.locator("[data-flag=no_contact_way]")).to_be_visible()
