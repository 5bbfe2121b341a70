"""Compiling and publishing briefings: one function per state change, audited."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.actions import record
from core.errors import Conflict
from org.models import Person
from publicity.briefings.access import may_compile
from publicity.briefings.cleaning import clean_rich_text
from publicity.models import (
    BriefingArticle,
    BriefingCounter,
    BriefingPage,
    column_articles,
)


def _check_articles(column: Any, articles: Sequence[Any]) -> None:
    if not articles:
        raise ValidationError(_("Choose at least one article."))
    allowed = set(column_articles(column).values_list("pk", flat=True))
    if any(article.pk not in allowed for article in articles):
        raise ValidationError(_("Choose published articles of this campaign only."))
    if len({article.pk for article in articles}) != len(articles):
        raise ValidationError(_("An article can be chosen only once."))


def _fill(
    page: BriefingPage, *, title: str, text: str, articles: Sequence[Any]
) -> None:
    page.title = title
    page.draft_title = title
    page.text = clean_rich_text(text)
    page.briefing_articles = [  # type: ignore[attr-defined]
        BriefingArticle(article=article, sort_order=position)
        for position, article in enumerate(articles)
    ]


@transaction.atomic
def create_briefing(
    column: Any, *, title: str, text: str, articles: Sequence[Any], actor: Person
) -> BriefingPage:
    """A new draft briefing in a campaign's column; it has no number until published."""
    if not may_compile(actor, column.campaign_id):
        raise PermissionDenied
    _check_articles(column, articles)
    BriefingCounter.objects.get_or_create(campaign_id=column.campaign_id)
    page = BriefingPage(campaign_id=column.campaign_id, live=False, owner=actor)
    _fill(page, title=title, text=text, articles=articles)
    base = slugify(title, allow_unicode=True)[:40] or "briefing"
    page.slug = f"{base}-{BriefingPage.objects.count() + 1}"
    while column.get_children().filter(slug=page.slug).exists():
        page.slug = f"{page.slug}-1"
    column.add_child(instance=page)
    page.save_revision(user=actor, log_action=True)
    record(page, "sanfu.briefing.create", actor=actor, data={"title": title})
    return page


@transaction.atomic
def update_briefing(
    page: BriefingPage,
    *,
    title: str,
    text: str,
    articles: Sequence[Any],
    revision_id: int | None,
    actor: Person,
) -> BriefingPage:
    """Save a new draft revision; refused if someone saved one since the editor read."""
    if not may_compile(actor, page.campaign_id):
        raise PermissionDenied
    locked = BriefingPage.objects.select_for_update().get(pk=page.pk)
    if locked.latest_revision_id != revision_id:
        raise Conflict(_("Someone else changed this briefing; reload and try again."))
    _check_articles(locked.get_parent(), articles)
    draft = locked.get_latest_revision_as_object()
    _fill(draft, title=title, text=text, articles=articles)
    draft.save_revision(user=actor, log_action=True)
    record(locked, "sanfu.briefing.edit", actor=actor, data={"title": title})
    return draft  # type: ignore[no-any-return]


@transaction.atomic
def publish_briefing(
    page: BriefingPage, *, revision_id: int | None, actor: Person
) -> BriefingPage:
    """Publish the latest draft; a first publish gives the campaign's next number."""
    if not may_compile(actor, page.campaign_id):
        raise PermissionDenied
    locked = BriefingPage.objects.select_for_update().get(pk=page.pk)
    revision = locked.latest_revision
    if revision is None or revision.pk != revision_id:
        raise Conflict(_("Someone else changed this briefing; reload and try again."))
    if not locked.get_latest_revision_as_object().chosen_articles():
        raise ValidationError(_("A briefing needs at least one published article."))
    # Our own role check above stands in for Wagtail's page permissions, which
    # come from Django groups that our roles do not use.
    revision.publish(user=actor, skip_permission_checks=True)
    locked.refresh_from_db()
    record(
        locked,
        "sanfu.briefing.publish",
        actor=actor,
        data={"issue": locked.issue_number, "revision": revision.pk},
    )
    return locked
