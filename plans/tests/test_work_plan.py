"""The work plan: versions drafted by the office, approved by the leading group; one
approved current version, earlier ones kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.datastructures import MultiValueDict

from core.errors import Conflict
from notify.models import Notification
from plans import actions
from plans.forms import WorkPlanForm
from plans.models import PlanStatus, WorkPlanVersion

pytestmark = pytest.mark.django_db
PDF_TYPE = "application/pdf"


def draft(world, text="<p>第一稿</p>"):
    return actions.draft_work_plan(
        world.campaign, title="工作方案", body=text, actor=world.clerk
    )


def test_an_approved_version_supersedes_the_one_before(
    world, django_capture_on_commit_callbacks
):
    first = draft(world)
    actions.submit_work_plan(first, actor=world.clerk)
    actions.approve_work_plan(first, actor=world.leader)
    second = draft(world, "<p>第二稿</p>")
    assert second.number == 2
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_work_plan(second, actor=world.director)
    assert Notification.objects.filter(recipient=world.leader).exists()
    actions.approve_work_plan(second, actor=world.leader)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED
    assert second.status == PlanStatus.APPROVED
    assert list(
        WorkPlanVersion.objects.filter(status=PlanStatus.APPROVED).values_list(
            "number", flat=True
        )
    ) == [2]


def test_the_database_holds_one_approved_version_per_campaign(world):
    first, second = draft(world), draft(world)
    WorkPlanVersion.objects.filter(pk=first.pk).update(status=PlanStatus.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkPlanVersion.objects.filter(pk=second.pk).update(status=PlanStatus.APPROVED)


def test_the_text_is_sanitised(world):
    version = draft(
        world, '<p onclick="x()">方案</p><script>alert(1)</script><a href="j">鏈</a>'
    )
    assert version.body == "<p>方案</p>鏈"


def test_an_empty_text_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        draft(world, "<script>alert(1)</script>")
    assert "body" in refused.value.error_dict
    assert not WorkPlanVersion.objects.exists()


@pytest.mark.parametrize("who", ["director", "clerk", "liaison_a"])
def test_only_the_leader_or_deputy_approves(world, who):
    version = draft(world)
    actions.submit_work_plan(version, actor=world.clerk)
    with pytest.raises(PermissionDenied):
        actions.approve_work_plan(version, actor=getattr(world, who))


@pytest.mark.parametrize("who", ["leader", "editor", "liaison_a", "outsider"])
def test_only_the_office_drafts(world, who):
    with pytest.raises(PermissionDenied):
        actions.draft_work_plan(
            world.campaign, title="x", body="<p>x</p>", actor=getattr(world, who)
        )


def test_a_return_needs_a_comment_and_the_returned_version_can_be_resubmitted(world):
    version = draft(world)
    actions.submit_work_plan(version, actor=world.clerk)
    with pytest.raises(ValidationError):
        actions.return_work_plan(version, comment="", actor=world.leader)
    actions.return_work_plan(version, comment="補充進度安排", actor=world.leader)
    version.refresh_from_db()
    assert (version.status, version.comment) == (PlanStatus.RETURNED, "補充進度安排")
    actions.submit_work_plan(version, actor=world.clerk)
    with pytest.raises(Conflict):
        actions.submit_work_plan(version, actor=world.clerk)


def test_an_attachment_must_be_what_its_name_says():
    form = WorkPlanForm(
        {"title": "方案", "body": "<p>x</p>"},
        MultiValueDict(
            {"attachment": [SimpleUploadedFile("plan.pdf", b"MZ not a pdf", PDF_TYPE)]}
        ),
    )
    assert not form.is_valid()
    assert "attachment" in form.errors


def test_a_valid_attachment_is_kept_with_the_version(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = WorkPlanForm(
        {"title": "方案", "body": "<p>x</p>"},
        MultiValueDict(
            {"attachment": [SimpleUploadedFile("方案.pdf", b"%PDF-1.4", PDF_TYPE)]}
        ),
    )
    assert form.is_valid(), form.errors
    version = actions.draft_work_plan(
        world.campaign, actor=world.clerk, **form.cleaned_data
    )
    assert version.attachment_name == "方案.pdf"
    with version.attachment.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")
