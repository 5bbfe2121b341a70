"""Wagtail's site history is not scoped to Sanfu's roles, so only superusers open it."""

import pytest
from django.urls import reverse

from audit.actions import record

pytestmark = pytest.mark.django_db

URLS = (
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
)


@pytest.mark.parametrize("persona", ["liaison_a", "director", "leader"])
@pytest.mark.parametrize("name", URLS)
def test_other_roles_cannot_open_the_site_history(login, world, persona, name):
    record(world.unit_b, "sanfu.unit.create", actor=world.director)
    response = login(getattr(world, persona)).get(reverse(name))
    assert response.status_code == 403
    assert world.unit_b.name not in response.content.decode()


def test_the_csv_export_is_refused_too(login, world):
    url = reverse("wagtailadmin_reports:site_history") + "?export=csv"
    assert login(world.liaison_a).get(url).status_code == 403


def test_a_superuser_opens_it(login, world):
    record(world.unit_b, "sanfu.unit.create", actor=world.director)
    response = login(world.superuser).get(reverse(URLS[0]))
    assert response.status_code == 200
    assert world.unit_b.name in response.content.decode()


def test_the_reports_menu_hides_it_from_other_roles(login, world):
    page = login(world.director).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(URLS[0]) not in page


@pytest.mark.parametrize("name", URLS)
def test_a_visitor_not_signed_in_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
