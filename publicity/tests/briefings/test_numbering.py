"""Issue numbers: given at first publish, consecutive per campaign, kept after."""

import pytest

from publicity.briefings import actions
from publicity.models import BriefingCounter, BriefingPage
from publicity.tests.briefings.conftest import publish

pytestmark = pytest.mark.django_db


def second_briefing(world, column, articles):
    return actions.create_briefing(
        column, title="第二份", text="", articles=articles[:1], actor=world.editor
    )


def test_a_draft_has_no_number(draft):
    draft.refresh_from_db()
    assert draft.issue_number is None
    assert not draft.live


def test_the_first_publish_gives_number_one(world, draft):
    page = publish(draft, world.editor)
    assert page.live
    assert page.issue_number == 1
    assert page.issue_label == "Issue 1"
    assert BriefingCounter.objects.get(campaign=world.campaign).last_issue == 1


def test_briefings_of_a_campaign_take_consecutive_numbers(world, column, articles):
    first = publish(second_briefing(world, column, articles), world.editor)
    second = publish(second_briefing(world, column, articles), world.director)
    assert (first.issue_number, second.issue_number) == (1, 2)


def test_a_briefing_keeps_its_number_when_republished(world, column, articles, draft):
    page = publish(draft, world.editor)
    other = publish(second_briefing(world, column, articles), world.editor)
    actions.update_briefing(
        page,
        title="改過的標題",
        text="<p>新</p>",
        articles=articles,
        revision_id=page.latest_revision_id,
        actor=world.editor,
    )
    page = publish(page, world.editor)
    assert page.issue_number == 1
    assert page.title == "改過的標題"
    page.unpublish()
    page = publish(page, world.editor)
    assert page.issue_number == 1
    assert other.issue_number == 2
    assert BriefingCounter.objects.get(campaign=world.campaign).last_issue == 2


def test_a_draft_saved_before_publishing_does_not_wipe_the_number(world, draft):
    page = publish(draft, world.editor)
    page.save_revision(user=world.editor)  # revision content still has no number
    page.refresh_from_db()
    page.get_latest_revision().publish(user=world.editor, skip_permission_checks=True)
    assert BriefingPage.objects.get(pk=page.pk).issue_number == 1


def test_each_campaign_counts_on_its_own(
    world, other_world, column, other_column, articles, draft
):
    from publicity.tests.briefings.conftest import add_article

    publish(draft, world.editor)
    theirs = add_article(other_column, "他們的文章", "<p>內容</p>")
    page = actions.create_briefing(
        other_column,
        title="他們的簡報",
        text="",
        articles=[theirs],
        actor=other_world.editor,
    )
    assert publish(page, other_world.editor).issue_number == 1


def test_a_copy_gets_its_own_number(world, column, draft):
    page = publish(draft, world.editor)
    copy = page.copy(
        update_attrs={"slug": "copy", "title": "副本"}, keep_live=False
    ).specific
    assert copy.issue_number is None
    copy.save_revision().publish()
    copy.refresh_from_db()
    assert copy.issue_number == 2
