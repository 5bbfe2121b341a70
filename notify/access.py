"""A person reaches their own notices and nobody else's."""

from typing import TYPE_CHECKING

from django.http import Http404

from notify.models import Notification, NotificationQuerySet

if TYPE_CHECKING:  # notify sits below org: the name only, for the checker
    from org.actors import Viewer


def notifications_for_user(user: "Viewer") -> NotificationQuerySet:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def get_notification_for_user(user: "Viewer", pk: int) -> Notification:
    notification = notifications_for_user(user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification
