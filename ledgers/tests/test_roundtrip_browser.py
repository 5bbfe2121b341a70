"""A liaison exports the deed list, edits two rows and adds one in Excel, imports it,
reads the preview and confirms; the office's audit trail names the three deeds; the
same file imported again changes nothing: in a real browser."""

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from wagtail.models import ModelLogEntry

from conftest import World, build_world
from ledgers.actions.deeds import report_deed_progress
from ledgers.models import PracticalDeed
from ledgers.tests.conftest import make_deed
from ledgers.tests.test_ledger_walk_browser import log_in
from sanfu.tests.browser import shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def deeds_world(db: None) -> World:
    # Made before Playwright starts (see the root conftest's browser_page).
    world = build_world("trip")
    for title in ("修繕職工宿舍", "開通諮詢熱線", "整治河道垃圾"):
        deed = make_deed(world, title=title)
        report_deed_progress(
            deed, percent=40, on=datetime.date(2007, 5, 10), actor=world.liaison_a
        )
    return world


def _import(page: Page, world: World, path: Path) -> None:
    page.goto("/admin/ledgers/import/")
    page.select_option("select[name=campaign]", str(world.campaign.pk))
    page.set_input_files("input[name=file]", str(path))
    page.click("button[value=deeds]")
    expect(page.locator("[data-import-summary]")).to_be_visible()


def test_a_liaison_round_trips_the_deed_list(
    deeds_world: World, tmp_path: Any, settings: Any, browser_page: Page
) -> None:
    world, page = deeds_world, browser_page
    settings.MEDIA_ROOT = tmp_path
    before = dict(PracticalDeed.objects.values_list("title", "pk"))
    log_in(page, world.liaison_a.username)
    page.goto("/admin/ledgers/deeds/")
    # the export is a job: the jobs screen offers its file when it is made
    page.click("[data-prepare-in-background]")
    page.wait_for_url("**/admin/jobs/")
    with page.expect_download() as download:
        page.click("[data-job-download]")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book.worksheets[0]
    rows = {sheet.cell(row=r, column=3).value: r for r in range(3, sheet.max_row + 1)}
    sheet.cell(row=rows["修繕職工宿舍"], column=8, value=60)
    sheet.cell(row=rows["開通諮詢熱線"], column=6, value="七月起熱線全天接聽")
    sheet.append(
        [
            4,
            world.unit_a.name,
            "為退休職工體檢",
            "限時辦",
            "退休職工",
            "九月前完成體檢",
            datetime.date(2007, 9, 1),
            0,
            None,
            "推進中",
        ]
    )
    edited = tmp_path / "deeds.xlsx"
    book.save(edited)

    _import(page, world, edited)
    summary = page.locator("[data-import-summary]")
    expect(summary).to_contain_text("1")
    changed = page.locator("[data-import-changed] tbody tr")
    expect(changed).to_have_count(2)
    expect(changed.nth(0)).to_contain_text("進度(%)")
    expect(changed.nth(0)).to_contain_text("60")
    expect(changed.nth(1)).to_contain_text("七月起熱線全天接聽")
    expect(page.locator("[data-import-new] tbody tr")).to_have_count(1)
    shot(page, "roundtrip-preview")
    assert PracticalDeed.objects.count() == 3  # nothing written before confirming
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[data-confirm]")
    expect(page.locator("[data-import-new] tbody tr")).to_have_count(1)

    after = {d.title: d for d in PracticalDeed.objects.all()}
    assert len(after) == 4
    assert after["修繕職工宿舍"].progress == 60
    assert after["開通諮詢熱線"].target == "七月起熱線全天接聽"
    assert after["整治河道垃圾"].pk == before["整治河道垃圾"]
    assert {t: after[t].pk for t in before} == before

    changes = ModelLogEntry.objects.filter(action="sanfu.deed.import_change")
    assert sorted(changes.values_list("label", flat=True)) == [
        "修繕職工宿舍",
        "開通諮詢熱線",
    ]
    creations = ModelLogEntry.objects.filter(action="sanfu.deed.import_create")
    assert list(creations.values_list("label", flat=True)) == ["為退休職工體檢"]
    log_in(page, world.clerk.username)
    page.goto("/admin/audit/")
    shown = page.locator("table tbody tr")
    expect(
        shown.filter(has_text="修繕職工宿舍").filter(has_text="40 → 60")
    ).to_have_count(1)
    expect(
        shown.filter(has_text="開通諮詢熱線").filter(has_text="七月起熱線全天接聽")
    ).to_have_count(1)
    expect(shown.filter(has_text="為退休職工體檢").first).to_be_visible()
    shot(page, "roundtrip-audit")

    log_in(page, world.liaison_a.username)
    _import(page, world, edited)
    expect(page.locator("[data-import-changed]")).to_have_count(0)
    expect(page.locator("[data-import-new]")).to_have_count(0)
    expect(page.locator("button[data-confirm]")).to_have_count(0)
    assert PracticalDeed.objects.count() == 4
