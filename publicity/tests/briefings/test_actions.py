"""The briefing actions check role, campaign and articles, and sanitise the text."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import PageLogEntry

from publicity.briefings import actions
from publicity.models import BriefingPage
from publicity.tests.briefings.conftest import add_article, publish

pytestmark = pytest.mark.django_db


def create(column, articles, actor, text="<p>編者按</p>"):
    return actions.create_briefing(
        column, title="簡報", text=text, articles=articles, actor=actor
    )


@pytest.mark.parametrize("persona", ["liaison_a", "staff_a", "leader", "clerk"])
def test_only_the_publicity_group_and_director_compile(
    world, column, articles, draft, persona
):
    actor = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        create(column, articles, actor)
    with pytest.raises(PermissionDenied):
        actions.publish_briefing(
            draft, revision_id=draft.latest_revision_id, actor=actor
        )
    with pytest.raises(PermissionDenied):
        actions.update_briefing(
            draft,
            title="x",
            text="",
            articles=articles,
            revision_id=draft.latest_revision_id,
            actor=actor,
        )
    draft.refresh_from_db()
    assert not draft.live


def test_another_campaigns_editor_is_refused(world, other_world, column, articles):
    with pytest.raises(PermissionDenied):
        create(column, articles, other_world.editor)


def test_articles_must_be_live_ones_of_this_campaign(
    world, column, other_column, articles
):
    unpublished = add_article(column, "未發布", "<p>草稿</p>", live=False)
    foreign = add_article(other_column, "別的活動", "<p>內容</p>")
    for chosen in ([unpublished], [foreign], [], [articles[0], articles[0]]):
        with pytest.raises(ValidationError):
            create(column, chosen, world.editor)
    assert not BriefingPage.objects.exists()


def test_the_editors_text_is_sanitised(world, column, articles):
    page = create(
        column,
        articles,
        world.editor,
        text='<p onclick="steal()">好<script>alert(1)</script>'
        '<a href="javascript:alert(1)">鏈接</a><a href="https://example.org/">外</a></p>',
    )
    assert "script" not in page.text
    assert "onclick" not in page.text
    assert "javascript" not in page.text
    assert 'href="https://example.org/"' in page.text


def test_a_briefing_whose_articles_were_all_withdrawn_is_not_published(
    world, draft, articles
):
    for article in articles:
        article.unpublish()
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        publish(draft, world.editor)
    draft.refresh_from_db()
    assert draft.issue_number is None


def test_each_step_is_in_the_pages_history(world, draft):
    publish(draft, world.editor)
    actions_logged = set(
        PageLogEntry.objects.filter(page=draft).values_list("action", flat=True)
    )
    assert {
        "sanfu.briefing.create",
        "sanfu.briefing.publish",
        "sanfu.briefing.number",
        "wagtail.publish",
    } <= actions_logged
