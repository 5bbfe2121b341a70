"""The office director, in a real browser, dispatches a demand, supervises it,
reassigns it to another unit and recalls it, and finds each step in the demand's
history and on the audit page (in the interface's language, zh-Hans)."""

from dataclasses import dataclass

import pytest
from django.utils import translation
from playwright.sync_api import expect

from audit.actions import ACTIONS
from campaigns.models import Campaign
from demands import actions
from demands.models import Category, DemandKind, Urgency
from org.models import Unit
from sanfu.demo import CAMPAIGN_SLUG, DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STEPS = (
    "sanfu.demand.dispatch",
    "sanfu.demand.supervise",
    "sanfu.demand.reassign",
    "sanfu.demand.recall",
)


@dataclass
class Scene:
    pk: int
    tracking_no: str
    first: Unit
    second: Unit
    # each step's words in the history and its name on the audit page, in zh-Hans
    messages: list[str]
    labels: list[str]


@pytest.fixture
def scene(transactional_demo: None) -> Scene:
    # Before Playwright starts: its sync API switches contexts, and a database
    # connection opened inside it would outlive the test.
    campaign = Campaign.objects.get(slug=CAMPAIGN_SLUG)
    category = Category.objects.filter(campaign=campaign).order_by("sequence")[0]
    demand, _code = actions.submit_demand(
        campaign,
        kind=DemandKind.HELP,
        title="堤防巡查道路破損",
        content="堤頂道路多處坑窪，雨天無法通行。",
        urgency=Urgency.NORMAL,
        category=category,
    )
    first = category.default_unit
    assert first is not None
    second = (
        Unit.objects.filter(organisation=campaign.organisation)
        .exclude(pk=first.pk)
        .order_by("path")[0]
    )
    with translation.override("zh-hans"):
        messages = [str(ACTIONS[step][1]) for step in STEPS]
        labels = [str(ACTIONS[step][0]) for step in STEPS]
    assert demand.tracking_no is not None
    return Scene(demand.pk, demand.tracking_no, first, second, messages, labels)


def test_the_office_director_dispatches_supervises_reassigns_and_recalls(
    scene, browser_page
):
    page = browser_page
    asked: list[str] = []

    def accept(dialog):  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.goto("/admin/")
    page.fill("input[name=username]", "caishangtu")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    detail = f"/admin/demands/{scene.pk}/"
    page.goto(detail)

    # dispatch to the catalogue's unit
    page.select_option("#step-dispatch select[name=unit]", str(scene.first.pk))
    page.click("#step-dispatch button[name=dispatch]")
    expect(page.locator("dd[data-status]")).to_have_attribute(
        "data-status", "dispatched"
    )

    # supervise, with a deadline of two working days
    page.fill("#step-supervise textarea[name=note]", "請兩個工作日內簽收辦理")
    page.fill("#step-supervise input[name=days]", "2")
    page.click("#step-supervise button[name=supervise]")
    expect(page.locator(".demand-history")).to_contain_text("請兩個工作日內簽收辦理")

    # reassign to another unit (asked first)
    page.select_option("#step-reassign select[name=unit]", str(scene.second.pk))
    page.fill("#step-reassign textarea[name=reason]", "屬另一處室職責")
    page.click("#step-reassign button[name=reassign]")
    expect(page.locator(".demand-facts")).to_contain_text(scene.second.name)

    # recall to the dispatch queue (asked first)
    page.fill("#step-recall textarea[name=reason]", "該處室尚未開通賬號")
    page.click("#step-recall button[name=recall]")
    expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "returned")
    assert len(asked) == 2  # the reassignment and the recall were confirmed

    history = page.locator(".demand-history")
    for message in scene.messages:
        expect(history).to_contain_text(message)
    for text in ("屬另一處室職責", "該處室尚未開通賬號", scene.first.name):
        expect(history).to_contain_text(text)
    expect(history).to_contain_text("蔡尚途")

    # the supervision screen lists it
    page.goto("/admin/demands/follow-up/supervision/")
    expect(page.locator(".demand-supervision")).to_contain_text(scene.tracking_no)

    # and the audit page names each step
    page.goto(f"/admin/audit/?q={scene.tracking_no}")
    audit = page.locator("main")
    for label in scene.labels:
        expect(audit).to_contain_text(label)
    expect(audit).to_contain_text("該處室尚未開通賬號")
