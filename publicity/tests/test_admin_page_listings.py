"""The back office's page listings (the page chooser's browse and search, the bulk
actions' confirmation screens) show only the pages the person may view: live pages
to everyone signed in, a draft to its own unit, its campaign's publicity group and
those who may edit it."""

import datetime
import json

import pytest

from publicity.tests.conftest import publish_plain, write
from text.script import to_simplified

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "甲處尚未發布的調研草稿"
LIVE_TITLE = "乙處已經發布的走訪文章"
BULK_ACTIONS = ("delete", "move", "publish", "unpublish")


@pytest.fixture
def pages(world, column):
    draft = write(world, column, title=DRAFT_TITLE)
    live = publish_plain(column, LIVE_TITLE, on=datetime.date(2007, 4, 2))
    return column, draft, live


def shown(response) -> str:
    """The text of a response, a modal's JSON decoded, in both scripts' terms."""
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(response.json(), ensure_ascii=False)
    return text


def lists(response, title: str) -> bool:
    assert response.status_code == 200
    text = shown(response)
    return title in text or to_simplified(title) in text


def browse(client, column):
    return client.get(f"/admin/choose-page/{column.pk}/")


def search(client, title=DRAFT_TITLE):
    return client.get("/admin/choose-page/search/", {"q": title})


def bulk(client, action, *pages):
    return client.get(
        f"/admin/bulk/wagtailcore/page/{action}/", {"id": [p.pk for p in pages]}
    )


def test_another_units_liaison_does_not_see_the_draft_in_the_chooser(
    client, login, world, pages
):
    column, _draft, _live = pages
    login(world.liaison_b)
    listing = browse(client, column)
    assert not lists(listing, DRAFT_TITLE)
    assert lists(listing, LIVE_TITLE)
    assert not lists(search(client), DRAFT_TITLE)
    assert lists(search(client, LIVE_TITLE), LIVE_TITLE)


@pytest.mark.parametrize("action", BULK_ACTIONS)
def test_another_units_liaison_does_not_see_the_drafts_title_in_bulk_actions(
    client, login, world, pages, action
):
    _column, draft, live = pages
    login(world.liaison_b)
    response = bulk(client, action, draft, live)
    assert not lists(response, DRAFT_TITLE)


def test_bulk_actions_on_all_of_a_listing_leave_the_draft_out(
    client, login, world, pages
):
    column, _draft, _live = pages
    login(world.liaison_b)
    response = client.get(
        "/admin/bulk/wagtailcore/page/delete/", {"id": "all", "childOf": column.pk}
    )
    assert not lists(response, DRAFT_TITLE)


@pytest.mark.parametrize("persona", ["liaison_a", "editor", "superuser"])
def test_its_unit_its_reviewers_and_superusers_see_the_draft(
    client, login, world, pages, persona
):
    column, _draft, _live = pages
    login(getattr(world, persona))
    assert lists(browse(client, column), DRAFT_TITLE)
    assert lists(search(client), DRAFT_TITLE)


def test_the_chooser_refuses_to_open_a_draft_of_another_unit(
    client, login, world, pages
):
    _column, draft, _live = pages
    login(world.liaison_b)
    response = client.get(f"/admin/choose-page/{draft.pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/{column}/",
        "/admin/pages/search/?q={title}",
        "/admin/pages/usage/publicity/articlepage/",
        "/admin/api/main/pages/?child_of={column}&for_explorer=1",
        "/admin/reports/aging-pages/",
        "/admin/reports/page-types-usage/",
    ],
)
def test_no_other_admin_listing_shows_another_units_draft(
    client, login, world, pages, url
):
    column, _draft, _live = pages
    login(world.liaison_b)
    response = client.get(url.format(column=column.pk, title=DRAFT_TITLE))
    if response.status_code == 200:
        assert not lists(response, DRAFT_TITLE)
    else:
        assert response.status_code in (302, 400, 403, 404)
