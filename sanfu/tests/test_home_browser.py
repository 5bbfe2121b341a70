"""The home page in a browser, on a 390 px phone and a 1366 px desktop: the header,
the navigation to every record, the news and the footer are shown, and nothing
makes the page scroll sideways."""

from typing import Any

import pytest

from conftest import World
from sanfu.tests.public_site import PublicSite, build_public_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(world: World) -> PublicSite:
    return build_public_site(world)


@pytest.mark.parametrize("width", [390, 1366])
def test_the_home_page_fits_and_leads_everywhere(
    site: PublicSite, world: World, browser_page: Any, width: int
) -> None:
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    slug = world.campaign.slug
    for selector in (
        ".site-name",
        "form.site-search input[name=q]",
        f".site-nav a[href='/ledgers/{slug}/deeds/']",
        f".site-nav a[href='/ledgers/{slug}/disclosure/']",
        f"#news a[href='{site.article.url}']",
        f"#public-notices a[href='{site.model.url}']",
        f"#briefings a[href='{site.briefing.url}']",
        "#demand-channel a[href='/demands/new/']",
        "footer [data-identity=icp]",
        "footer [data-identity=site-code]",
    ):
        assert page.locator(selector).first.is_visible(), selector
    # the search box in the header leads to the site's search
    page.fill("#site-search-q", "调研")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/column/search/?q=*")
    assert page.locator(f"main a[href='{site.article.url}']").count() == 1
