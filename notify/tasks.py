"""Notices and their e-mail, done by the worker (queue ``sanfu``)."""

from django_tasks import task

from notify.actions import email_notifications, notify_rendered


@task(backend="sanfu", queue_name="sanfu")
def deliver_notices(recipient_ids: list[int], texts: dict[str, str], link: str) -> int:
    return len(notify_rendered(recipient_ids, texts, link))


@task(backend="sanfu", queue_name="sanfu")
def email_notices(notification_ids: list[int]) -> int:
    return email_notifications(notification_ids)
