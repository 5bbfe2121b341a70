"""Sending and reading notices.

Other apps' actions call ``notify_on_commit``: once their transaction commits, the
notice goes to the worker as a task (``notify.tasks.deliver_notices``), so a
transition that rolls back tells nobody and a slow mail server holds up no request.
The message may be lazy (``format_lazy`` over a ``gettext_lazy`` string); it is
rendered in each of the site's languages when the task is queued and each recipient
reads it in their own. Each notice is also e-mailed to a recipient with an address
(``notify.tasks.email_notices``).
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from notify.models import Notification


def language_of(person: Any) -> str:
    profile = getattr(person, "wagtail_userprofile", None)
    return (profile and profile.preferred_language) or settings.LANGUAGE_CODE


def _send(
    recipients: Iterable[Any], render: Callable[[str], str], link: str
) -> list[Notification]:
    ids = {getattr(person, "pk", person) for person in recipients}
    people = (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .select_related("wagtail_userprofile")
        .order_by("pk")
    )
    now = timezone.now()
    notices = [
        Notification(
            recipient=person,
            message=render(language_of(person)),
            link=link,
            created_at=now,
        )
        for person in people
    ]
    created = Notification.objects.bulk_create(notices)
    emailed = [notice.pk for notice in created if notice.recipient.email]
    if emailed:
        from notify.tasks import email_notices

        transaction.on_commit(lambda: email_notices.enqueue(emailed))
    return created


def notify(
    recipients: Iterable[Any], message: str | Promise, link: str = ""
) -> list[Notification]:
    """One notice to each active recipient (each person once, however often named)."""

    def render(language: str) -> str:
        with translation.override(language):
            return str(message)

    return _send(recipients, render, link)


def notify_rendered(
    recipient_ids: Iterable[int], texts: dict[str, str], link: str = ""
) -> list[Notification]:
    """``notify`` with the message already rendered in each language (``texts``:
    language code → text), as a task carries it."""
    fallback = texts.get(settings.LANGUAGE_CODE) or next(iter(texts.values()), "")
    return _send(recipient_ids, lambda language: texts.get(language, fallback), link)


def notify_on_commit(
    recipients: Iterable[Any], message: str | Promise, link: str = ""
) -> None:
    """Queue the notice once the caller's transaction commits (recipients are
    chosen now, inside it)."""
    ids = sorted({getattr(person, "pk", person) for person in recipients if person})
    if not ids:
        return

    def queue() -> None:
        from notify.tasks import deliver_notices

        texts = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                texts[code] = str(message)
        deliver_notices.enqueue(ids, texts, link)

    transaction.on_commit(queue)


def email_notifications(ids: Sequence[int]) -> int:
    """E-mail each notice not yet e-mailed to its recipient's address; returns how
    many went. A notice is marked before its mail goes, so a retry sends none twice."""
    sent = 0
    with mail.get_connection() as connection:
        for notice_id in ids:
            with transaction.atomic():
                notice = (
                    Notification.objects.select_for_update()
                    .select_related("recipient")
                    .filter(pk=notice_id, emailed_at__isnull=True)
                    .first()
                )
                if notice is None or not notice.recipient.email:
                    continue
                notice.emailed_at = timezone.now()
                notice.save(update_fields=["emailed_at"])
            link = f"{settings.SITE_URL}{notice.link}" if notice.link else ""
            mail.EmailMessage(
                subject=f"[{settings.WAGTAIL_SITE_NAME}] {notice.message[:60]}",
                body="\n\n".join(filter(None, [notice.message, link])),
                to=[notice.recipient.email],
                connection=connection,
            ).send()
            sent += 1
    return sent


def rewrite_notices(link: str, message: str | Promise) -> int:
    """Replace the text of every notice pointing at ``link`` with ``message`` (in
    each recipient's language): a demand's erasure takes its title and the rest of
    its text out of the inbox too. Returns how many changed."""
    if not link:
        return 0
    notices = (
        Notification.objects.select_for_update(of=("self",))
        .filter(link=link)
        .select_related("recipient__wagtail_userprofile")
    )
    changed = []
    for notice in notices:
        with translation.override(language_of(notice.recipient)):
            notice.message = str(message)
        changed.append(notice)
    return Notification.objects.bulk_update(changed, ["message"])


def mark_read(recipient: Any, ids: Sequence[int] | None = None) -> int:
    """Mark the recipient's notices read (all of them, or those in ``ids``); a
    notice of someone else is left alone. Returns how many changed."""
    notices = Notification.objects.filter(recipient=recipient).unread()
    if ids is not None:
        notices = notices.filter(pk__in=ids)
    return notices.update(read_at=timezone.now())
