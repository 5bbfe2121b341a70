"""Sending and reading notices.

``notify`` is called from other apps' actions inside ``transaction.on_commit``, so a
transition that rolls back tells nobody. The message may be lazy (``format_lazy``
over a ``gettext_lazy`` string); it is rendered in each recipient's own language.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.functional import Promise

from notify.models import Notification


def _language(person: Any) -> str:
    profile = getattr(person, "wagtail_userprofile", None)
    return (profile and profile.preferred_language) or settings.LANGUAGE_CODE


def notify(
    recipients: Iterable[Any], message: str | Promise, link: str = ""
) -> list[Notification]:
    """One notice to each active recipient (each person once, however often named)."""
    ids = {getattr(person, "pk", person) for person in recipients}
    people = (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .select_related("wagtail_userprofile")
        .order_by("pk")
    )
    now = timezone.now()
    notices = []
    for person in people:
        with translation.override(_language(person)):
            text = str(message)
        notices.append(
            Notification(recipient=person, message=text, link=link, created_at=now)
        )
    return Notification.objects.bulk_create(notices)


def mark_read(recipient: Any, ids: Sequence[int] | None = None) -> int:
    """Mark the recipient's notices read (all of them, or those in ``ids``); a
    notice of someone else is left alone. Returns how many changed."""
    notices = Notification.objects.filter(recipient=recipient).unread()
    if ids is not None:
        notices = notices.filter(pk__in=ids)
    return notices.update(read_at=timezone.now())
