"""The production Content-Security-Policy in a real browser: the public demand form
and the cockpit's charts work with no violation reported, and a script slipped
into a public page does not run."""

from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from demands import actions as demand_actions
from demands.tests.factories import CategoryFactory, submit_test_demand
from org.tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def production_policy(settings: Any) -> None:
    settings.CONTENT_SECURITY_POLICY = settings.DEFAULT_CSP.format(media="")
    settings.CONTENT_SECURITY_POLICY_ADMIN = settings.CONTENT_SECURITY_POLICY.replace(
        "script-src 'self'", "script-src 'self' 'unsafe-inline' 'unsafe-eval'"
    )


@pytest.fixture
def data(world: Any) -> dict[str, Any]:
    # Before Playwright starts: its sync API switches contexts, and a database
    # connection opened inside it would outlive the test.
    cache.clear()
    category = CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a, name="水利設施"
    )
    demand = submit_test_demand(world, title="河堤護欄損壞")
    demand_actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    return {"category": category}


def violations(page: Any) -> list[str]:
    """Every message of the console: chromium reports each refusal there."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text))
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def csp_messages(seen: list[str]) -> list[str]:
    return [text for text in seen if "Content Security Policy" in text]


def test_the_public_demand_form_works_and_an_injected_script_does_not_run(
    production_policy: None, data: dict[str, Any], browser_page: Any
) -> None:
    page = browser_page
    seen = violations(page)
    response = page.goto("/demands/new/")
    policy = response.headers["content-security-policy"]
    assert "'nonce-" in policy and "'unsafe-inline'" not in policy.split(";")[1]
    page.select_option("select[name=kind]", "help")
    page.select_option("select[name=category]", str(data["category"].pk))
    page.fill("input[name=title]", "村口水渠堵塞")
    page.fill("textarea[name=content]", "雨季將至，村口水渠堵塞，請幫助疏通。")
    page.fill("input[name=submitter_phone]", "13812345678")
    page.click("main button[type=submit]")
    expect(page.locator(".tracking-no")).to_be_visible()
    assert csp_messages(seen) == []

    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            return window.injected === true;
        }"""
    )
    assert not ran
    for _ in range(20):  # the console message arrives a moment later
        if csp_messages(seen):
            break
        page.wait_for_timeout(100)
    assert csp_messages(seen), "chromium reported no refusal of the injected script"


def test_the_cockpits_charts_draw_under_the_back_offices_policy(
    production_policy: None, world: Any, data: dict[str, Any], browser_page: Any
) -> None:
    page = browser_page
    seen = violations(page)
    page.goto("/admin/login/")
    page.fill("input[name=username]", world.leader.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#cockpit-panel-heading")).to_be_visible()
    response = page.goto("/admin/cockpit/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("#chart-units svg")).to_have_count(1)
    expect(page.locator("#chart-tasks svg")).to_have_count(1)
    assert csp_messages(seen) == []
