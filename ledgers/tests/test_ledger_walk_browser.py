"""A unit records a research visit, turns a finding into a problem with a measure,
reports progress with evidence and applies for closure; the reviewer confirms, the
office verifies and publishes, and the public disclosure page shows it closed: in a
real browser."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import World, build_world
from ledgers.tests.conftest import PNG
from org.tests.factories import PASSWORD
from sanfu.tests.browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def walk_world(db: None) -> World:
    # Made before Playwright starts (see the root conftest's browser_page).
    return build_world("walk")


def log_in(page: Page, username: str) -> None:
    sign_in(page, username, PASSWORD)


def test_a_finding_becomes_a_problem_that_the_office_closes_in_public(
    walk_world: World, tmp_path: Any, settings: Any, browser_page: Page
) -> None:
    world, page = walk_world, browser_page
    settings.MEDIA_ROOT = tmp_path
    evidence = tmp_path / "after.png"
    evidence.write_bytes(PNG)
    status = page.locator("dd[data-status]")

    log_in(page, world.liaison_a.username)
    page.goto("/admin/ledgers/visits/add/")
    page.select_option("select[name=campaign]", str(world.campaign.pk))
    page.select_option("select[name=unit]", str(world.unit_a.pk))
    page.fill("input[name=visited_on]", "2007-04-12")
    page.fill("input[name=place]", "西江水文站")
    page.fill("textarea[name=participants]", "甲處處長、聯絡員")
    page.fill("input[name=topic]", "基層站所工作條件")
    page.fill("textarea[name=findings]", "職工宿舍漏雨")
    page.click("button[name=save]")
    page.select_option("select[name=severity]", "serious")
    page.click("button[name=to_problem]")
    expect(status).to_have_attribute("data-status", "open")

    page.fill("textarea[name=description]", "維修宿舍屋面")
    page.select_option("select[name=owner]", str(world.staff_a.pk))
    page.select_option("select[name=reviewer]", str(world.head_a.pk))
    page.fill("input[name=deadline]", "2007-05-31")
    page.click("button[name=add_measure]")
    page.fill("input[name=percent]", "100")
    page.set_input_files("input[name=after]", str(evidence))
    page.click("button[name=report]")
    expect(page.locator(".measure-progress")).to_have_text("100%")
    problem_url = page.url
    page.click("button[name=apply]")
    expect(status).to_have_attribute("data-status", "applied")

    log_in(page, world.head_a.username)
    page.goto(problem_url)
    page.click("button[name=confirm]")
    expect(status).to_have_attribute("data-status", "confirmed")

    log_in(page, world.clerk.username)
    page.goto(problem_url)
    page.click("button[name=verify]")
    expect(status).to_have_attribute("data-status", "closed")
    page.click("button[name=publish]")

    page.context.clear_cookies()
    page.goto(f"/ledgers/{world.campaign.slug}/disclosure/")
    expect(page.locator(".ledger-problem")).to_have_attribute("data-status", "closed")
