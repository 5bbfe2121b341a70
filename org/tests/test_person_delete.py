"""A person whose name is on records is made inactive, not deleted: Wagtail's delete
would fail on the protected keys, so the superuser is told why instead."""

import pytest
from django.urls import reverse

from ledgers.tests.conftest import make_problem
from org.models import Person

pytestmark = pytest.mark.django_db


def test_a_person_on_a_ledger_is_not_deleted(login, world, in_english):
    make_problem(world)  # created by unit A's liaison
    client = login(world.superuser)
    url = reverse("wagtailusers_users:delete", args=[world.liaison_a.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert Person.objects.filter(pk=world.liaison_a.pk).exists()
    page = client.get(response.url, follow=True).content.decode()
    assert "cannot be deleted: 1 record still refers to it" in page


def test_a_person_with_no_records_is_deleted(login, world):
    client = login(world.superuser)
    url = reverse("wagtailusers_users:delete", args=[world.outsider.pk])
    assert client.post(url).status_code == 302
    assert not Person.objects.filter(pk=world.outsider.pk).exists()
