"""Two-step sign-in: turned on with a code from the app, asked for on every admin
page after each sign-in until given, never accepting a code twice."""

import pyotp
import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import ModelLogEntry

from org import two_step
from org.models import Person

pytestmark = pytest.mark.django_db

SETUP = reverse("two_step_setup")
VERIFY = reverse("two_step_verify")
OFF = reverse("two_step_off")
INBOX = "/admin/inbox/"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def next_code(person):
    """A code of the step after the last one accepted: good once, for a minute."""
    person = Person.objects.get(pk=person.pk)
    return pyotp.TOTP(person.totp_secret).generate_otp(person.totp_last_step + 1)


def used_code(person):
    person = Person.objects.get(pk=person.pk)
    return pyotp.TOTP(person.totp_secret).generate_otp(person.totp_last_step)


def turned_on(client, person):
    client.get(SETUP)
    secret = client.session[two_step.PENDING_SECRET_KEY]
    response = client.post(SETUP, {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    return secret


def test_turning_on_needs_a_code_from_the_app(client, world, login):
    login(world.clerk)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "<svg" in page.text  # the QR code, drawn here, not fetched
    secret = client.session[two_step.PENDING_SECRET_KEY]
    assert secret in page.text
    wrong = client.post(SETUP, {"code": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"]
    assert Person.objects.get(pk=world.clerk.pk).totp_secret == ""
    client.post(SETUP, {"code": pyotp.TOTP(secret).now()})
    assert Person.objects.get(pk=world.clerk.pk).totp_secret == secret
    assert ModelLogEntry.objects.filter(
        action="sanfu.account.two_step_on", object_id=str(world.clerk.pk)
    ).exists()


def test_after_signing_in_admin_pages_wait_for_the_code(client, world, login):
    login(world.clerk)
    turned_on(client, world.clerk)
    client.logout()
    login(world.clerk)  # a new sign-in: the password step only
    held = client.get(INBOX)
    assert held.status_code == 302
    assert held["Location"].startswith(VERIFY)
    assert client.get(f"{VERIFY}?next={INBOX}").status_code == 200
    # the code used to turn it on is refused
    refused = client.post(VERIFY, {"code": used_code(world.clerk), "next": INBOX})
    assert refused.status_code == 200
    assert client.get(INBOX).status_code == 302
    # a fresh code goes through, to where the person was going
    passed = client.post(VERIFY, {"code": next_code(world.clerk), "next": INBOX})
    assert passed.status_code == 302
    assert passed["Location"] == INBOX
    assert client.get(INBOX).status_code == 200


def test_the_code_page_sends_nowhere_outside_the_site(client, world, login):
    login(world.clerk)
    turned_on(client, world.clerk)
    client.logout()
    login(world.clerk)
    response = client.post(
        VERIFY, {"code": next_code(world.clerk), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_guessing_codes_is_cut_off(client, world, login, settings):
    login(world.clerk)
    turned_on(client, world.clerk)
    client.logout()
    login(world.clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the message as written
    for _ in range(10):
        client.post(VERIFY, {"code": "123456"})
    response = client.post(VERIFY, {"code": "654321"})
    assert "Too many tries" in str(response.context["form"].errors["code"])


def test_a_person_without_it_is_not_asked(client, world, login):
    login(world.clerk)
    assert client.get(INBOX).status_code == 200


def test_turning_off_needs_a_good_code(client, world, login):
    login(world.clerk)
    secret = turned_on(client, world.clerk)
    refused = client.post(OFF, {"code": "000000"})
    assert refused.status_code == 400
    assert Person.objects.get(pk=world.clerk.pk).totp_secret == secret
    response = client.post(OFF, {"code": next_code(world.clerk)})
    assert response.status_code == 302
    assert Person.objects.get(pk=world.clerk.pk).totp_secret == ""


def test_the_screens_are_for_signed_in_staff_only(client):
    for url in (SETUP, VERIFY):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("wagtailadmin_login") in response["Location"]
    assert client.post(OFF, {"code": "123456"}).status_code == 302
