"""Wagtail's own page editor (for those with page permissions, e.g. a superuser)
keeps the same rules: the campaign's live articles only, a number at publish."""

import pytest

from publicity.models import BriefingPage
from publicity.tests.briefings.conftest import add_article
from publicity.tests.briefings.test_admin_views import rich

pytestmark = pytest.mark.django_db


def editor_post(client, column, article, **extra):
    data = {
        "title": "編輯器裏的簡報",
        "slug": "editor-briefing",
        "text": rich("編者按"),
        "briefing_articles-TOTAL_FORMS": "1",
        "briefing_articles-INITIAL_FORMS": "0",
        "briefing_articles-MIN_NUM_FORMS": "1",
        "briefing_articles-MAX_NUM_FORMS": "1000",
        "briefing_articles-0-article": str(article.pk),
        "briefing_articles-0-ORDER": "1",
        "briefing_articles-0-id": "",
        "briefing_articles-0-DELETE": "",
        **extra,
    }
    url = f"/admin/pages/add/publicity/briefingpage/{column.pk}/"
    return client.post(url, data)


def test_another_campaigns_article_is_refused(
    client, login, world, column, other_column, articles
):
    foreign = add_article(other_column, "別的活動", "<p>內容</p>")
    login(world.superuser)
    response = editor_post(client, column, foreign, **{"action-publish": "1"})
    assert response.status_code == 200
    assert not BriefingPage.objects.exists()


def test_publishing_in_the_editor_numbers_the_briefing(
    client, login, world, column, articles
):
    login(world.superuser)
    response = editor_post(client, column, articles[0], **{"action-publish": "1"})
    assert response.status_code == 302
    page = BriefingPage.objects.get()
    assert page.live
    assert page.campaign_id == world.campaign.pk
    assert page.issue_number == 1
