"""Keeping the column's cached listing current.

Articles go live from several places: a reviewer's approval, Wagtail's own editor,
and the scheduled publishing command (``publish_scheduled``, which calls no action
of ours). Wagtail's page signals are the one place all of them pass.
"""

from typing import Any

from django.db.models import F
from wagtail.signals import page_published, page_unpublished

from publicity.models import ArticlePage, CampaignPage


def bump_listing_version(sender: Any, instance: Any, **kwargs: Any) -> None:
    CampaignPage.objects.filter(path=instance.path[: -ArticlePage.steplen]).update(
        listing_version=F("listing_version") + 1
    )


def connect() -> None:
    page_published.connect(bump_listing_version, sender=ArticlePage)
    page_unpublished.connect(bump_listing_version, sender=ArticlePage)
