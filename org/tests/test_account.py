"""The account page: a Chinese name in one field, no e-mail needed to change the
interface language."""

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from wagtail.users.models import UserProfile

from org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> Person:
    person = Person.objects.create_user(
        username="liaison", password="x", full_name="陈志华"
    )
    person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return person


def _form(**extra: str) -> dict[str, str]:
    data = {
        "name_email-full_name": "陈志华",
        "name_email-email": "",
        "locale-preferred_language": "en",
        "locale-current_time_zone": "",
        "theme-theme": "system",
        "theme-density": "default",
        "theme-contrast": "system",
        "theme-keyboard_shortcuts": "on",
    }
    data.update(extra)
    return data


def test_a_person_without_name_parts_or_email_changes_the_language(
    person: Person, login: Any
) -> None:
    client = login(person)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    form = page.context["panels_by_tab"]
    fields = {
        name
        for panels in form.values()
        for panel in panels
        for name in panel.get_form().fields
    }
    assert {"full_name", "email"} <= fields
    assert not {"first_name", "last_name"} & fields
    response = client.post("/admin/account/", _form())
    assert response.status_code == 302, response.context and [
        panel.get_form().errors
        for panels in response.context["panels_by_tab"].values()
        for panel in panels
    ]
    assert UserProfile.get_for_user(person).preferred_language == "en"
    person.refresh_from_db()
    assert (person.full_name, person.email) == ("陈志华", "")


def test_the_name_may_not_be_emptied_and_the_email_must_be_one(
    person: Person, login: Any
) -> None:
    client = login(person)
    response = client.post(
        "/admin/account/",
        _form(**{"name_email-full_name": "", "name_email-email": "x"}),
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.full_name == "陈志华"
    assert UserProfile.get_for_user(person).preferred_language != "en"


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/admin/account/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
