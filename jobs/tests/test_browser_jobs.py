"""A unit liaison prepares the problem ledger in the background, watches its bar
reach 100% while the worker runs, and downloads it: in a real browser, with the
database backend and its worker."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from conftest import World, build_world
from jobs.models import Job, JobState
from ledgers.tests.conftest import make_problem
from org.tests.factories import PASSWORD
from sanfu.tests.browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def jobs_world(db: None) -> World:
    # Made before Playwright starts (see the root conftest's browser_page).
    world = build_world("jobs")
    for number in range(3):
        make_problem(world, description=f"問題{number}")
    return world


def test_an_export_prepared_in_the_background_is_followed_and_downloaded(
    jobs_world: World,
    database_tasks: Callable[[], None],
    settings: Any,
    tmp_path: Any,
    browser_page: Page,
) -> None:
    world, page = jobs_world, browser_page
    settings.MEDIA_ROOT = tmp_path
    sign_in(page, world.liaison_a.username, PASSWORD)
    page.goto("/admin/ledgers/")
    page.click("[data-prepare-in-background]")

    row = page.locator("tr[data-job]")
    expect(row).to_have_attribute("data-state", "queued")
    expect(row.locator("progress")).to_have_attribute("value", "0")
    assert Job.objects.get().state == JobState.QUEUED

    # the worker, as `manage.py db_worker` would, while the page polls (in this
    # thread: the worker sets signal handlers)
    database_tasks()

    expect(row).to_have_attribute("data-state", "done", timeout=15_000)
    expect(row.locator("progress")).to_have_attribute("value", "100")
    expect(row.locator("[data-job-percent]")).to_have_text("100%")
    with page.expect_download() as download_info:
        row.locator("[data-job-download]").click()
    path = download_info.value.path()
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None
    assert {sheet[f"F{row}"].value for row in (3, 4, 5)} == {"問題0", "問題1", "問題2"}
