"""The one door through which the column's drafts, reviews and figures reach views.

A unit's liaison or staff member writes and submits articles for their own unit, in
the columns of campaigns of their unit's organisation; the publicity group (宣傳組) of
a campaign reviews that campaign's submissions; the office sees the figures and keeps
the sensitive words. The public reaches live pages only, through Wagtail.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.models import Page, TaskState
from wagtail.permissions import page_permission_policy

from campaigns.models import Campaign
from campaigns.seats import (
    OBJECTION_READERS,
    PUBLICITY_DESK,
    PUBLICITY_REVIEWERS,
    UNIT_MEMBERS,
    UNIT_WRITERS,
    VOTERS,
    campaigns_where,
    holds,
    seats_of,
)
from org.actors import Viewer
from org.models import Unit
from publicity.briefings.access import briefings_for_user
from publicity.models import (
    AdvancedModelPage,
    ArticlePage,
    CampaignPage,
    SensitiveWord,
)


def _active(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active)


def submitter_units(user: Viewer) -> QuerySet[Unit]:
    """Units a person may write articles for: their own."""
    if not _active(user):
        return Unit.objects.none()
    return Unit.objects.filter(pk__in=seats_of(user).unit_ids(UNIT_MEMBERS))


def columns_for_submitter(user: Viewer) -> QuerySet[CampaignPage]:
    """Columns of campaigns run by the organisation of one of the person's units."""
    if not _active(user):
        return CampaignPage.objects.none()
    organisations = submitter_units(user).values("organisation")
    return CampaignPage.objects.filter(campaign__organisation__in=organisations)


def reviewer_campaigns(user: Viewer) -> QuerySet[Campaign]:
    return campaigns_where(user, PUBLICITY_REVIEWERS)


def desk_campaigns(user: Viewer) -> QuerySet[Campaign]:
    """Campaigns whose column figures and sensitive words the person keeps."""
    return campaigns_where(user, PUBLICITY_DESK)


def column_of(page: Page) -> CampaignPage | None:
    parent = page.get_parent()
    return None if parent is None else CampaignPage.objects.filter(pk=parent.pk).first()


def is_reviewer(user: Viewer, page: Page) -> bool:
    """Whether the person reviews submissions to this page's column."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    column = column_of(page)
    return column is not None and holds(user, column.campaign_id, PUBLICITY_REVIEWERS)


def submissions_for_user(user: Viewer) -> QuerySet[ArticlePage]:
    """Articles a person wrote or may edit: those of their own units."""
    if not _active(user):
        return ArticlePage.objects.none()
    return ArticlePage.objects.filter(
        source_unit__in=submitter_units(user), submitted_by__isnull=False
    )


def get_submission_for_user(user: Viewer, pk: int) -> ArticlePage:
    page = submissions_for_user(user).filter(pk=pk).first()
    if page is None:
        raise Http404
    return page


def reviewable_articles(user: Viewer) -> QuerySet[ArticlePage]:
    """Articles in the columns of campaigns where the person is in the publicity
    group (submitted or not)."""
    if not _active(user):
        return ArticlePage.objects.none()
    columns = CampaignPage.objects.filter(campaign__in=reviewer_campaigns(user))
    articles = ArticlePage.objects.none()
    for column in columns.only("path", "depth"):
        articles = articles | ArticlePage.objects.child_of(column)
    return articles


def get_reviewable_article(user: Viewer, pk: int) -> ArticlePage:
    page = reviewable_articles(user).filter(pk=pk).first()
    if page is None:
        raise Http404
    return page


def pages_for_user(user: Viewer) -> QuerySet[Page]:
    """Pages the back office may list to a person (choosers, bulk actions, the
    explorer): live public pages for anyone signed in; a page not live only for
    those who may edit or publish it by Wagtail's page permissions, its column's
    publicity group, its own unit (submissions and nominations) and, for a briefing,
    those who compile it."""
    if not _active(user):
        return Page.objects.none()
    if user.is_superuser:
        return Page.objects.all()
    editable = page_permission_policy.instances_user_has_any_permission_for(
        user, {"change", "publish"}
    )
    return Page.objects.filter(
        Q(pk__in=Page.objects.live().public().values("pk"))
        | Q(pk__in=editable.values("pk"))
        | Q(pk__in=reviewable_articles(user).values("pk"))
        | Q(pk__in=submissions_for_user(user).values("pk"))
        | Q(pk__in=nominations_for_user(user).values("pk"))
        | Q(pk__in=briefings_for_user(user, write=True).values("pk"))
    )


def review_task_states_for_user(user: Viewer, task: Any) -> QuerySet[TaskState]:
    pages = reviewable_articles(user).values_list("pk", flat=True)
    return task.task_states.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__object_id__in=[str(pk) for pk in pages],
    )


def sensitive_words_for_user(user: Viewer, *, write: bool = False) -> QuerySet[Any]:
    return SensitiveWord.objects.filter(campaign__in=desk_campaigns(user))


def nominations_for_user(user: Viewer, *, write: bool = False) -> QuerySet[Any]:
    """Advanced models: the voting bodies see their campaign's; a unit its own."""
    if not _active(user):
        return AdvancedModelPage.objects.none()
    pages = AdvancedModelPage.objects.none()
    for column in CampaignPage.objects.filter(
        campaign__in=campaigns_where(user, VOTERS)
    ):
        pages = pages | AdvancedModelPage.objects.child_of(column)
    if not write:
        pages = pages | AdvancedModelPage.objects.filter(
            nominating_unit__in=seats_of(user).unit_ids(UNIT_WRITERS)
        )
    return pages


def may_see_objection_contacts(user: Viewer, page: AdvancedModelPage) -> bool:
    """Who reads objectors' names and phones, to follow an objection up: the
    publicity group and the office's directors. The leading group reads the
    objections masked."""
    column = column_of(page)
    if column is None:
        return False
    return holds(user, column.campaign_id, OBJECTION_READERS)


def model_screen_columns(user: Viewer) -> QuerySet[CampaignPage]:
    """Columns whose advanced models the person nominates to or votes on."""
    voting = campaigns_where(user, VOTERS)
    return CampaignPage.objects.filter(
        pk__in=columns_for_submitter(user).values("pk")
    ) | CampaignPage.objects.filter(campaign__in=voting)


def is_public_document(document: Any) -> bool:
    """A document is public once a live page anyone may read attaches it; until then
    (a draft's attachment, a file uploaded but not yet used) it is private."""
    pages = ArticlePage.objects.live().filter(attachments__document=document)
    return any(not page.get_view_restrictions().exists() for page in pages)


def may_download_document(user: Viewer, document: Any) -> bool:
    """Whether Wagtail's document view may hand ``document`` to ``user``: anyone
    for a public document; else the article's own unit, its reviewers, and those
    who manage documents in the back office."""
    if is_public_document(document):
        return True
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    pages = ArticlePage.objects.filter(attachments__document=document)
    if pages.filter(pk__in=submissions_for_user(user).values("pk")).exists():
        return True
    if pages.filter(pk__in=reviewable_articles(user).values("pk")).exists():
        return True
    from wagtail.documents.permissions import permission_policy

    return bool(
        permission_policy.user_has_any_permission_for_instance(
            user, ["change", "choose"], document
        )
    )
