"""Sign-in lockout (django-axes): repeated wrong passwords for one account from one
address lock that pair out for a while; the right password, before that, clears
the count."""

import pytest
from django.urls import reverse

from org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, person, password, address="203.0.113.7"):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": person.username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_account_for_that_address(
    client, world, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = sign_in(client, world.clerk, "wrong-password")
        assert response.status_code == 200  # the form again, with its error
    locked = sign_in(client, world.clerk, "wrong-password")
    assert locked.status_code == 429
    assert "sanfu/locked_out.html" in [t.name for t in locked.templates]
    # now even the right password is refused from there, and no session is made
    again = sign_in(client, world.clerk, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    # the same account from another address, and another account, still sign in
    other_address = sign_in(client, world.clerk, PASSWORD, address="198.51.100.2")
    assert other_address.status_code == 302
    client.logout()
    other_account = sign_in(client, world.director, PASSWORD)
    assert other_account.status_code == 302


def test_a_good_sign_in_clears_the_count(client, world):
    for _ in range(4):
        sign_in(client, world.clerk, "wrong-password")
    assert sign_in(client, world.clerk, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, world.clerk, "wrong-password").status_code == 200
    assert sign_in(client, world.clerk, PASSWORD).status_code == 302


def test_the_lockout_page_speaks_the_sites_language(client, world):
    for _ in range(5):
        sign_in(client, world.clerk, "wrong-password")
    page = sign_in(client, world.clerk, PASSWORD).content.decode()
    assert "登录已锁定" in page  # zh-Hans, the site's default
    client.cookies["django_language"] = "zh-hant"
    assert "登錄已鎖定" in sign_in(client, world.clerk, PASSWORD).content.decode()
