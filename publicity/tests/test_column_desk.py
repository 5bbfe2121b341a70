"""The column's editorial desk: the confidentiality check in both scripts and in
attached files, the notices of each step, and editing a returned article."""

import datetime
import re

import pytest
from django.urls import reverse

from publicity import actions
from publicity.models import ArticlePage
from publicity.tests.conftest import draft, write

pytestmark = pytest.mark.django_db

ORIGINAL = datetime.date(2007, 6, 12)


def url(name, *args):
    return reverse(f"publicity_admin:{name}", args=args)


def returned(world, column, **fields):
    page = write(world, column, **fields)
    actions.submit_article(page, actor=world.liaison_a)
    actions.reject_article(page, actor=world.editor, comment="改標題")
    return page


# -- editing a returned article keeps its date --------------------------------------


def test_the_date_of_a_returned_article_is_offered_in_iso_format(login, world, column):
    page = returned(world, column, published_on=ORIGINAL)
    html = login(world.liaison_a).get(url("submission", page.pk)).content.decode()
    assert 'value="2007-06-12"' in html
    assert "2007/06/12" not in html


def test_resubmitting_the_edit_form_as_a_browser_does_keeps_the_date(
    login, world, column
):
    page = returned(world, column, published_on=ORIGINAL)
    client = login(world.liaison_a)
    html = client.get(url("submission", page.pk)).content.decode()
    field = re.search(r'<input type="date" name="published_on"[^>]*>', html)
    assert field is not None
    value = re.search(r'value="([^"]*)"', field[0])
    # a date input drops a value that is not an ISO date
    date = value[1] if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[1]) else ""
    data = {
        "title": "甲處開展調研活動（修改）",
        "category": "activities",
        "unit": world.unit_a.pk,
        "body": "<p>甲處深入基層。</p>",
        "published_on": date,
        "submit": "1",
    }
    assert client.post(url("submission", page.pk), data).status_code == 302
    actions.approve_article(page, actor=world.editor)
    page.refresh_from_db()
    assert page.live
    assert page.published_on == ORIGINAL


def test_an_edit_without_a_date_keeps_the_articles_date(world, column):
    page = returned(world, column, published_on=ORIGINAL)
    actions.save_draft(
        column,
        draft(published_on=None),
        unit=world.unit_a,
        actor=world.liaison_a,
        page=page,
    )
    page.refresh_from_db()
    assert page.published_on == ORIGINAL
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.published_on == ORIGINAL
