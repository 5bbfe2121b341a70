"""axe-core on every public page and on every back-office screen the demand, ledger
and column flows use, each signed in as the role that uses it: no violation of the
WCAG 2.1 A and AA rules. The public pages are checked in Chinese and in English, in
the standard display and in 长辈模式. (The pages a flow reaches only by acting, such as
a refused form or a receipt, are checked by the browser tests of those flows.)"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from playwright.sync_api import Page

from core.display import COOKIE, ELDER
from sanfu.demo import DEMO_PASSWORD
from sanfu.tests.axe import axe_violations, describe
from sanfu.tests.browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CAMPAIGN = "sanfu-2007"

# A path, or (a list's path, the pattern of the first link on it to follow).
Target = str | tuple[str, str]

PUBLIC: list[Target] = [
    "/",
    "/dangqun/",
    f"/dangqun/{CAMPAIGN}/",
    (f"/dangqun/{CAMPAIGN}/", rf"/dangqun/{CAMPAIGN}/[^/?]+/"),
    f"/dangqun/{CAMPAIGN}/?category=models",
    f"/column/briefings/{CAMPAIGN}/",
    (f"/column/briefings/{CAMPAIGN}/", r"/dangqun/.+/"),
    "/column/search/?q=水利",
    f"/demands/{CAMPAIGN}/new/",
    "/demands/track/",
    "/demands/replied/",
    "/demands/figures/",
    f"/ledgers/{CAMPAIGN}/deeds/",
    f"/ledgers/{CAMPAIGN}/disclosure/",
    "/no-such-page/",
]

# The demo's people and the screens their part of each flow takes them to.
ADMIN: dict[str, list[Target]] = {
    # office director: the demand desk, the ledgers' verification, the figures
    "caishangtu": [
        "/admin/",
        "/admin/cockpit/",
        "/admin/demands/",
        ("/admin/demands/", r"/admin/demands/\d+/"),
        "/admin/demands/new/",
        "/admin/demands/metrics/",
        "/admin/demands/follow-up/visits/",
        "/admin/demands/follow-up/notices/",
        "/admin/demands/follow-up/supervision/",
        "/admin/ledgers/",
        "/admin/ledgers/visits/",
        "/admin/ledgers/deeds/",
        ("/admin/ledgers/deeds/", r"/admin/ledgers/deeds/\d+/"),
        "/admin/ledgers/look-backs/",
        "/admin/ledgers/import/",
        "/admin/column/figures/",
    ],
    # publicity group: the column's review, its advanced models and briefings
    "xuanchuan": [
        "/admin/column/",
        "/admin/column/review/",
        ("/admin/column/review/", r"/admin/column/review/\d+/"),
        "/admin/column/models/",
        ("/admin/column/models/", r"/admin/column/models/\d+/"),
        "/admin/briefings/",
    ],
    # a unit's liaison: its demands, its ledgers, its submissions to the column
    "guihua_liaison": [
        "/admin/demands/",
        ("/admin/demands/", r"/admin/demands/\d+/"),
        "/admin/ledgers/",
        "/admin/ledgers/visits/add/",
        "/admin/ledgers/problems/add/",
        "/admin/ledgers/deeds/add/",
        "/admin/column/",
        ("/admin/column/", r"/admin/column/new/\d+/"),
    ],
}


@pytest.fixture
def demo(transactional_demo: None) -> None:
    cache.clear()  # the public pages' rate limits count in the cache


def visit(page: Page, target: Target) -> str:
    """Open the target (following the first matching link of a list) and answer
    its URL; a page that is not there, or that sends the person elsewhere (as a
    refusal does, to a page that then passes), is a failure of its own."""
    url = target if isinstance(target, str) else first_link(page, *target)
    response = page.goto(url)
    assert response is not None
    assert response.status == (404 if url == "/no-such-page/" else 200), url
    assert urlsplit(page.url).path == urlsplit(url).path, f"{url} led to {page.url}"
    return url


def first_link(page: Page, listing: str, pattern: str) -> str:
    page.goto(listing)
    links = page.eval_on_selector_all(
        "main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    found = [link for link in links if re.fullmatch(pattern, link)]
    assert found, f"no link like {pattern} on {listing}"
    return str(found[0])


def check(page: Page, targets: list[Target], label: str) -> list[str]:
    failures = []
    for target in targets:
        url = visit(page, target)
        violations = axe_violations(page)
        if violations:
            failures.append(f"{label} {url}:\n{describe(violations)}")
    return failures


# (language, display, width, pages): every page in both languages on a desktop, the
# pages that differ most in 长辈模式 and on a phone
VARIANTS = [
    ("zh-hans", "", 1366, PUBLIC),
    ("en", "", 1366, PUBLIC),
    ("zh-hans", "", 390, [PUBLIC[0], PUBLIC[3], PUBLIC[8]]),
    ("zh-hans", ELDER, 1366, [PUBLIC[0], PUBLIC[2], PUBLIC[3], PUBLIC[8], PUBLIC[9]]),
    ("en", ELDER, 390, [PUBLIC[0], PUBLIC[8]]),
]


def test_the_public_pages_break_no_wcag_aa_rule(demo, browser_page, live_server):
    page = browser_page
    failures = []
    for language, display, width, targets in VARIANTS:
        page.context.clear_cookies()
        cookies = [{"name": "django_language", "value": language}]
        if display:
            cookies.append({"name": COOKIE, "value": display})
        page.context.add_cookies(
            [{**cookie, "url": live_server.url} for cookie in cookies]
        )
        page.set_viewport_size({"width": width, "height": 900})
        label = f"[{language} {display or 'standard'} {width}px]"
        failures += check(page, targets, label)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("username", list(ADMIN))
def test_the_back_office_screens_break_no_wcag_aa_rule(demo, browser_page, username):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, username, DEMO_PASSWORD)

    failures = check(page, ADMIN[username], f"[{username}]")

    assert not failures, "\n".join(failures)
