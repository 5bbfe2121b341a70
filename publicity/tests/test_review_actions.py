"""Submitting, rejecting, resubmitting and approving articles, and who may."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import PageLogEntry, WorkflowState

from core.errors import Conflict
from publicity import actions, metrics
from publicity.models import ArticlePage, SensitiveWord, SubmissionMonthStat
from publicity.tests.conftest import bring_schedule_forward, draft, write

pytestmark = pytest.mark.django_db


def test_a_liaison_writes_a_draft_that_is_not_live(world, column):
    page = write(world, column)
    assert not page.live
    assert page.source_unit == world.unit_a
    assert page.submitted_by == world.liaison_a
    assert page.get_parent().pk == column.pk


def test_a_liaison_cannot_write_for_another_unit(world, column):
    with pytest.raises(PermissionDenied):
        actions.save_draft(column, draft(), unit=world.unit_b, actor=world.liaison_a)


def test_someone_without_a_unit_cannot_write(world, column):
    for person in (world.outsider, world.editor, world.clerk):
        with pytest.raises(PermissionDenied):
            actions.save_draft(column, draft(), unit=world.unit_a, actor=person)


def test_another_organisations_liaison_cannot_write_in_this_column(
    world, other_world, column
):
    with pytest.raises(PermissionDenied):
        actions.save_draft(
            column, draft(), unit=other_world.unit_a, actor=other_world.liaison_a
        )


def test_reject_then_resubmit_then_approve_publishes_the_article(world, column):
    page = write(world, column)
    actions.submit_article(page, actor=world.liaison_a)
    actions.reject_article(page, actor=world.editor, comment="請補充成效數據")
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "請補充成效數據"

    actions.save_draft(
        column,
        draft(body="<p>甲處走訪群眾120戶。</p>"),
        unit=world.unit_a,
        actor=world.liaison_a,
        page=page,
    )
    actions.submit_article(page, actor=world.liaison_a)
    actions.approve_article(page, actor=world.editor)

    page.refresh_from_db()
    assert page.live
    assert "120" in page.body
    actions_logged = set(
        PageLogEntry.objects.filter(page=page).values_list("action", flat=True)
    )
    assert {
        "sanfu.article.draft",
        "sanfu.article.submit",
        "sanfu.article.reject",
        "sanfu.article.resubmit",
        "sanfu.article.approve",
        "wagtail.publish",
    } <= actions_logged
    stat = SubmissionMonthStat.objects.get(unit=world.unit_a)
    assert (stat.submitted, stat.rejected, stat.published) == (1, 1, 1)
    day = page.published_on  # the article's own date
    assert metrics.published_submissions(world.campaign, day, day) == {
        world.unit_a.pk: 1
    }


def test_rejecting_without_a_comment_is_refused(world, column):
    page = write(world, column)
    actions.submit_article(page, actor=world.liaison_a)
    with pytest.raises(ValidationError):
        actions.reject_article(page, actor=world.editor, comment="  ")
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


@pytest.mark.parametrize(
    "persona", ["liaison_a", "head_a", "clerk", "director", "leader", "outsider"]
)
def test_only_the_publicity_group_approves(world, column, persona):
    page = write(world, column)
    actions.submit_article(page, actor=world.liaison_a)
    with pytest.raises(PermissionDenied):
        actions.approve_article(page, actor=getattr(world, persona))
    with pytest.raises(PermissionDenied):
        actions.reject_article(page, actor=getattr(world, persona), comment="x")
    page.refresh_from_db()
    assert not page.live


def test_another_campaigns_publicity_group_cannot_approve(world, other_world, column):
    page = write(world, column)
    actions.submit_article(page, actor=world.liaison_a)
    with pytest.raises(PermissionDenied):
        actions.approve_article(page, actor=other_world.editor)


def test_an_article_under_review_cannot_be_changed_or_submitted_twice(world, column):
    page = write(world, column)
    actions.submit_article(page, actor=world.liaison_a)
    with pytest.raises(Conflict):
        actions.submit_article(page, actor=world.liaison_a)
    with pytest.raises(Conflict):
        actions.save_draft(
            column, draft(), unit=world.unit_a, actor=world.liaison_a, page=page
        )


def test_an_article_not_submitted_cannot_be_approved(world, column):
    page = write(world, column)
    with pytest.raises(Conflict):
        actions.approve_article(page, actor=world.editor)


def test_unit_b_cannot_submit_unit_as_article(world, column):
    page = write(world, column)
    with pytest.raises(PermissionDenied):
        actions.submit_article(page, actor=world.liaison_b)


def test_a_finding_blocks_approval_until_it_is_dismissed_with_a_reason(world, column):
    SensitiveWord.objects.create(campaign=world.campaign, word="内部资料")
    page = write(
        world,
        column,
        body="<p>联系人电话 13812345678，内部资料。</p>",
        title="甲處工作",
    )
    actions.submit_article(page, actor=world.liaison_a)
    with pytest.raises(ValidationError):
        actions.approve_article(page, actor=world.editor)
    with pytest.raises(ValidationError):
        actions.dismiss_finding(
            page, kind="phone", text="13812345678", reason=" ", actor=world.editor
        )
    with pytest.raises(PermissionDenied):
        actions.dismiss_finding(
            page, kind="phone", text="13812345678", reason="x", actor=world.liaison_a
        )
    actions.dismiss_finding(
        page,
        kind="phone",
        text="13812345678",
        reason="单位公开的服务热线",
        actor=world.editor,
    )
    with pytest.raises(ValidationError):
        actions.approve_article(page, actor=world.editor)
    actions.dismiss_finding(
        page, kind="word", text="内部资料", reason="书名", actor=world.editor
    )
    actions.approve_article(page, actor=world.editor)
    page.refresh_from_db()
    assert page.live
    entry = PageLogEntry.objects.filter(
        page=page, action="sanfu.article.finding_dismiss"
    ).first()
    assert entry is not None
    assert "13812345678" not in str(entry.data)


def test_editing_a_finding_out_resolves_it(world, column):
    page = write(world, column, body="<p>身份证 11010519491231002X。</p>")
    actions.submit_article(page, actor=world.liaison_a)
    actions.reject_article(page, actor=world.editor, comment="删去身份证号")
    actions.save_draft(
        column, draft(), unit=world.unit_a, actor=world.liaison_a, page=page
    )
    actions.submit_article(page, actor=world.liaison_a)
    actions.approve_article(page, actor=world.editor)
    assert ArticlePage.objects.get(pk=page.pk).live


def test_a_scheduled_article_goes_live_with_the_periodic_command(world, column):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    soon = timezone.now() + datetime.timedelta(hours=1)
    page = write(world, column, go_live_at=soon)
    actions.submit_article(page, actor=world.liaison_a)
    actions.approve_article(page, actor=world.editor)
    page.refresh_from_db()
    assert not page.live
    assert page.approved_schedule
    bring_schedule_forward(page)
    call_command("run_periodic", "--once", stdout=None)
    page.refresh_from_db()
    assert page.live


def approved(world, column):
    page = write(world, column)
    actions.submit_article(page, actor=world.liaison_a)
    actions.approve_article(page, actor=world.editor)
    page.refresh_from_db()
    return page


def test_a_submission_counts_on_its_own_date_not_when_it_went_live(world, column):
    """An article dated 31 March, reviewed and published on 10 April (23:30 UTC on
    31 March would already be 1 April in Shanghai): it counts for March, by the
    date it carries, whenever it went live."""
    page = approved(world, column)
    moment = datetime.datetime(2025, 4, 10, 9, 0, tzinfo=datetime.UTC)
    ArticlePage.objects.filter(pk=page.pk).update(
        published_on=datetime.date(2025, 3, 31), first_published_at=moment
    )
    march = (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    april = (datetime.date(2025, 4, 1), datetime.date(2025, 4, 30))
    assert metrics.published_submissions(world.campaign, *march) == {world.unit_a.pk: 1}
    assert metrics.published_submissions(world.campaign, *april) == {}


def test_an_unpublished_submission_leaves_the_figure_but_not_the_month_counter(
    world, column
):
    """Why the figure does not read SubmissionMonthStat: the counter records the
    approval and is never taken back; the figure counts what is live."""
    page = approved(world, column)
    day = page.published_on
    page.unpublish()
    assert metrics.published_submissions(world.campaign, day, day) == {}
    assert SubmissionMonthStat.objects.get(unit=world.unit_a).published == 1
