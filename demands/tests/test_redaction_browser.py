"""A member of the public files a demand with their name and mobile in its title, in
a real browser; once it is answered, every public page shows the title masked."""

import json
import threading

import pytest
from django.core.cache import cache
from django.db import connections
from playwright.sync_api import expect

from demands import actions
from demands.models import Demand
from demands.tests.factories import CategoryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "陈志华13600001111反映江南大道168号水管漏水"
MASKED_TITLE = "陈**136****1111反映江南大道168号水管漏水"


@pytest.fixture
def category(world):  # type: ignore[no-untyped-def]
    # Before Playwright starts: its sync API switches contexts, and a database
    # connection opened inside it would outlive the test.
    cache.clear()
    return CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a, name="供水"
    )


def answer(world, tracking_no: str) -> None:  # type: ignore[no-untyped-def]
    """The office dispatches, the unit accepts and replies; in a thread of its own,
    whose database connection is closed when it is done (see ``browser_page``)."""
    failures: list[BaseException] = []

    def steps() -> None:
        try:
            demand = Demand.objects.get(tracking_no=tracking_no)
            demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
            demand = actions.accept_demand(demand, actor=world.liaison_a)
            actions.reply_demand(
                demand,
                reply="已联系陈志华先生（13600001111），水管已修复。",
                solved=True,
                actor=world.liaison_a,
            )
        except BaseException as error:  # raised again in the test's thread
            failures.append(error)
        finally:
            connections.close_all()

    worker = threading.Thread(target=steps)
    worker.start()
    worker.join()
    if failures:
        raise failures[0]


def test_a_phone_number_in_a_title_is_masked_on_every_public_page(
    world, category, browser_page
):
    page = browser_page
    page.goto(f"/demands/{world.campaign.slug}/new/")
    page.select_option("select[name=kind]", "help")
    page.select_option("select[name=category]", str(category.pk))
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=content]", "水管漏水三天了，请尽快维修。")
    page.fill("input[name=submitter_name]", "陈志华")
    page.fill("input[name=submitter_phone]", "13600001111")
    page.check("input[name=allow_publish]")
    page.click("main button[type=submit]")
    tracking_no = page.locator(".tracking-no").inner_text()
    code = page.locator(".query-code").inner_text()

    answer(world, tracking_no)

    page.goto("/demands/replied/")
    expect(page.locator(".demand-card h2")).to_have_text(MASKED_TITLE)
    expect(page.locator(".reply-text")).to_contain_text("陈**先生（136****1111）")
    assert "13600001111" not in page.content()
    assert "志华" not in page.content()

    for url in (
        "/open311/v2/requests.json",
        f"/open311/v2/requests/{tracking_no}.json",
    ):
        response = page.goto(url)
        assert response is not None and response.ok
        body = response.text()
        (request,) = json.loads(body)
        assert request["description"] == MASKED_TITLE
        assert "13600001111" not in body
        assert "志华" not in body

    # the submitter, with the number and the code, reads their own title as typed
    page.goto("/demands/track/")
    page.fill("input[name=tracking_no]", tracking_no)
    page.fill("input[name=query_code]", code)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text(TITLE)
