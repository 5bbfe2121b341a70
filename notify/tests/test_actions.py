import pytest
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from wagtail.users.models import UserProfile

from notify.actions import mark_read, notify
from notify.models import Notification
from org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_each_recipient_gets_one_notice_however_often_named():
    alice, bob = PersonFactory.create_batch(2)
    notify([alice, bob, alice, bob.pk], "請查收", "/admin/x/")
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert Notification.objects.filter(recipient=bob).count() == 1
    assert Notification.objects.get(recipient=alice).link == "/admin/x/"


def test_an_inactive_person_gets_no_notice():
    dormant = PersonFactory.create(is_active=False)
    assert notify([dormant], "請查收") == []


def test_a_lazy_message_is_rendered_in_each_recipients_language():
    english, chinese = PersonFactory.create_batch(2)
    UserProfile.objects.create(user=english, preferred_language="en")
    UserProfile.objects.create(user=chinese, preferred_language="zh-hans")
    # a message Django's own catalogue translates
    message = format_lazy("{0} 20250930", gettext_lazy("Enter a valid value."))
    with translation.override("en"):
        notify([english, chinese], message)
    assert (
        Notification.objects.get(recipient=english).message
        == "Enter a valid value. 20250930"
    )
    chinese_text = Notification.objects.get(recipient=chinese).message
    assert chinese_text.endswith("20250930") and "valid" not in chinese_text


def test_mark_read_marks_only_the_recipients_own_notices():
    alice, bob = PersonFactory.create_batch(2)
    notify([alice, bob], "一")
    notify([alice], "二")
    theirs = Notification.objects.get(recipient=bob)
    first = Notification.objects.filter(recipient=alice).order_by("pk").first()
    assert first is not None
    assert mark_read(alice, [first.pk, theirs.pk]) == 1
    assert Notification.objects.filter(recipient=alice).unread().count() == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert mark_read(alice) == 1
    assert mark_read(alice) == 0
