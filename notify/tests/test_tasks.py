"""Notices and their e-mail go through the task worker once the caller commits."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult
from wagtail.users.models import UserProfile

from notify.actions import email_notifications, notify_on_commit
from notify.models import Notification
from org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_notice_is_queued_on_commit_in_each_recipients_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    english, chinese = PersonFactory.create_batch(2)
    UserProfile.objects.create(user=english, preferred_language="en")
    UserProfile.objects.create(user=chinese, preferred_language="zh-hans")
    message = format_lazy("{0} 20250930", gettext_lazy("Enter a valid value."))
    with django_capture_on_commit_callbacks(execute=True):
        notify_on_commit([english, chinese.pk, english], message, "/admin/x/")
        assert not Notification.objects.exists()
    assert Notification.objects.get(recipient=english).message == (
        "Enter a valid value. 20250930"
    )
    chinese_text = Notification.objects.get(recipient=chinese).message
    assert chinese_text.endswith("20250930") and "valid" not in chinese_text
    assert Notification.objects.count() == 2


def test_a_transition_that_rolls_back_tells_nobody(
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = PersonFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify_on_commit([person], "請查收")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Notification.objects.exists()


def test_each_notice_is_emailed_once_to_a_recipient_with_an_address(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with_address = PersonFactory.create(email="a@example.org")
    without = PersonFactory.create(email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify_on_commit([with_address, without], "請查收", "/admin/x/")
    assert [message.to for message in mail.outbox] == [["a@example.org"]]
    assert "請查收" in mail.outbox[0].subject
    assert mail.outbox[0].body.endswith("/admin/x/")
    notice = Notification.objects.get(recipient=with_address)
    assert notice.emailed_at is not None
    # a task delivered twice sends nothing the second time
    assert email_notifications([notice.pk]) == 0
    assert len(mail.outbox) == 1


# Committed for real: the worker closes and reopens its connection between tasks
# (on PostgreSQL that would end a test wrapped in one transaction).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_database_backend_the_worker_delivers_the_notice(
    database_tasks: Callable[[str], None], django_capture_on_commit_callbacks: Any
) -> None:
    person = PersonFactory.create(email="b@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify_on_commit([person], "請查收")
    waiting = DBTaskResult.objects.get()
    assert (waiting.backend_name, waiting.queue_name) == ("sanfu", "sanfu")
    assert not Notification.objects.exists()
    for _round in range(2):  # the notice, then its e-mail, queued as the first commits
        with django_capture_on_commit_callbacks(execute=True):
            database_tasks("sanfu")
    assert Notification.objects.get(recipient=person).message == "請查收"
    assert [message.to for message in mail.outbox] == [["b@example.org"]]
