"""Keeping the cached public pages and the column's cached listing current.

A submission's unit is told when it goes live, whichever of these published it.

Pages go live and come down from several places: a reviewer's approval, Wagtail's
own editor, the advanced models' pipeline and the scheduled publishing command
(``publish_scheduled``, which calls no action of ours). Wagtail's page signals and
the models' save and delete signals are the one place all of them pass. The column
page also shows its campaign (phases, tasks, requirements, bodies and the people in
them, meetings), written by the campaigns app's own screens.
"""

from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from campaigns.models import (
    Body,
    Campaign,
    MainTask,
    Meeting,
    Phase,
    Position,
    Requirement,
)
from org.models import Person, Unit
from publicity import notices
from publicity.models import (
    AdvancedModelPage,
    ArticlePage,
    BriefingPage,
    CampaignPage,
)
from publicity.page_cache import bump_version
from publicity.site_identity import SiteIdentity

# Shown on public pages: a save or a deletion of one changes them.
SHOWN_MODELS = (Campaign, Phase, MainTask, Requirement, Body, Position, Meeting, Unit)
SHOWN_PERSON_FIELDS = {"username", "first_name", "last_name", "full_name"}


def bump_listing_version(sender: Any, instance: Any, **kwargs: Any) -> None:
    CampaignPage.objects.filter(path=instance.path[: -ArticlePage.steplen]).update(
        listing_version=F("listing_version") + 1
    )


def pages_changed(sender: Any, **kwargs: Any) -> None:
    bump_version()


def page_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    # A live page changed in place (an advanced model's vote, a page added live by
    # an import); drafts of pages not live show nowhere.
    if isinstance(instance, Page) and instance.live:
        bump_version()


def page_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        bump_version()


def person_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Signing in saves last_login: not a change of anything shown.
    fields = kwargs.get("update_fields")
    if fields is None or SHOWN_PERSON_FIELDS & set(fields):
        bump_version()


def article_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Tell a submission's unit when it first goes live: on approval, or later by
    its schedule."""
    # Wagtail sends the signal for a revision only scheduled, too: not live yet
    first = instance.first_published_at
    if (
        instance.live
        and instance.submitted_by_id
        and first == instance.last_published_at
    ):
        notices.published(instance)


def briefing_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Make a briefing's files ahead, in every language, as it goes live (also when
    a schedule publishes it). Asked once the publish has committed: its issue
    number is given after this signal."""
    from django.db import transaction

    from publicity.briefings import files

    pk = instance.pk
    transaction.on_commit(lambda: files.make_ahead(pk))


def connect() -> None:
    page_published.connect(briefing_published, sender=BriefingPage)
    page_published.connect(bump_listing_version, sender=ArticlePage)
    page_published.connect(article_published, sender=ArticlePage)
    page_unpublished.connect(bump_listing_version, sender=ArticlePage)
    # the column lists its advanced models on notice and awarded
    page_published.connect(bump_listing_version, sender=AdvancedModelPage)
    page_unpublished.connect(bump_listing_version, sender=AdvancedModelPage)
    page_published.connect(pages_changed)
    page_unpublished.connect(pages_changed)
    post_page_move.connect(pages_changed)
    post_save.connect(page_saved)
    post_delete.connect(page_deleted)
    for model in (*SHOWN_MODELS, Site, SiteIdentity):
        post_save.connect(pages_changed, sender=model)
        post_delete.connect(pages_changed, sender=model)
    post_save.connect(person_saved, sender=Person)
    post_delete.connect(pages_changed, sender=Person)
