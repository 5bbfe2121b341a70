"""A person reaches their own notices and nobody else's."""

from typing import Any

from django.http import Http404

from notify.models import Notification, NotificationQuerySet


def notifications_for_user(user: Any) -> NotificationQuerySet:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def get_notification_for_user(user: Any, pk: int) -> Notification:
    notification = notifications_for_user(user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification
