"""The inbox at /admin/inbox/."""

import pytest
from django.urls import reverse

from notify.actions import notify
from notify.models import Notification

pytestmark = pytest.mark.django_db

INBOX = "/admin/inbox/"


def test_the_inbox_is_at_admin_inbox():
    assert reverse("notify_inbox") == INBOX


def test_the_inbox_lists_the_persons_own_notices_only(world, login):
    notify([world.liaison_a], "甲處的通知", "/admin/demands/1/")
    notify([world.liaison_b], "乙處的通知")
    response = login(world.liaison_a).get(INBOX)
    assert response.status_code == 200
    text = response.content.decode()
    assert "甲處的通知" in text
    assert "乙處的通知" not in text


def test_the_inbox_pins_its_query_count(world, login, django_assert_max_num_queries):
    for number in range(30):
        notify([world.liaison_a], f"通知{number}")
    client = login(world.liaison_a)
    client.get(INBOX)
    with django_assert_max_num_queries(20):
        response = client.get(INBOX)
    assert response.content.decode().count("通知") >= 30


def test_the_menu_shows_the_unread_count(world, login):
    notify([world.liaison_a], "一")
    notify([world.liaison_a], "二")
    response = login(world.liaison_a).get(INBOX, headers={"accept-language": "en"})
    assert "Inbox (2 unread)" in response.content.decode()


def test_marking_all_read_empties_the_unread_count(world, login):
    notify([world.liaison_a, world.liaison_b], "一")
    response = login(world.liaison_a).post(INBOX)
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=world.liaison_a).unread().exists()
    assert Notification.objects.filter(recipient=world.liaison_b).unread().exists()


def test_opening_a_notice_marks_it_read_and_follows_its_link(world, login):
    (notice,) = notify([world.liaison_a], "一", "/admin/demands/1/")
    response = login(world.liaison_a).post(f"/admin/inbox/{notice.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/demands/1/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_with_an_outside_link_leads_back_to_the_inbox(world, login):
    (notice,) = notify([world.liaison_a], "一", "https://evil.example/")
    response = login(world.liaison_a).post(f"/admin/inbox/{notice.pk}/open/")
    assert response["Location"] == INBOX


def test_it_refuses_to_open_someone_elses_notice(world, login):
    (notice,) = notify([world.liaison_b], "乙處的通知")
    response = login(world.liaison_a).post(f"/admin/inbox/{notice.pk}/open/")
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_opening_by_get_changes_nothing(world, login):
    (notice,) = notify([world.liaison_a], "一")
    response = login(world.liaison_a).get(f"/admin/inbox/{notice.pk}/open/")
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is None


def test_it_refuses_the_inbox_to_an_anonymous_visitor(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_it_refuses_the_inbox_to_a_person_without_admin_access(world, login):
    response = login(world.outsider).get(INBOX)
    assert response.status_code in (302, 403)
    assert "甲" not in response.content.decode()


def test_the_inbox_pages_beyond_a_hundred_notices(world, login):
    Notification.objects.bulk_create(
        Notification(recipient=world.liaison_a, message=f"第{number}號")
        for number in range(105)
    )
    client = login(world.liaison_a)
    first = client.get(INBOX).content.decode()
    assert first.count('name="csrfmiddlewaretoken"') >= 100
    assert "?p=2" in first
    second = client.get(INBOX, {"p": 2}).content.decode()
    assert "第0號" in second and "第104號" not in second
