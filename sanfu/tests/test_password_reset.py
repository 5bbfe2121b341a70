"""Password reset by e-mail is throttled per address and per account, and the page
answers the same whether a mail went, was held back or had nowhere to go."""

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

NOW = 1_800_000_000.0  # a 15-minute window's start, eight hours into a day's


@pytest.fixture(autouse=True)
def clock(rate_limit_clock):
    """The rate limit's clock at a window's start (conftest holds it still)."""
    cache.clear()
    rate_limit_clock.value = NOW
    yield rate_limit_clock
    cache.clear()


def ask(client, address):
    return client.post(reverse("wagtailadmin_password_reset"), {"email": address})


def test_three_requests_for_one_address_send_one_mail(client, world, mailoutbox):
    world.clerk.email = "clerk@example.org"
    world.clerk.save(update_fields=["email"])
    answers = [ask(client, "clerk@example.org") for _ in range(3)]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["clerk@example.org"]
    # the same answer each time: the page does not tell a held-back mail apart
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("wagtailadmin_password_reset_done"))
    }


def test_an_unknown_address_gets_the_same_answer(client, world, mailoutbox):
    answer = ask(client, "nobody@example.org")
    assert (answer.status_code, answer["Location"]) == (
        302,
        reverse("wagtailadmin_password_reset_done"),
    )
    assert mailoutbox == []


def test_another_address_of_the_same_account_is_throttled_too(
    client, world, mailoutbox
):
    world.clerk.email = "clerk@example.org"
    world.clerk.save(update_fields=["email"])
    ask(client, "clerk@example.org")
    world.clerk.email = "clerk.new@example.org"
    world.clerk.save(update_fields=["email"])
    ask(client, "clerk.new@example.org")
    ask(client, "CLERK.NEW@example.org")
    assert len(mailoutbox) == 1


def test_an_address_gets_a_mail_a_quarter_hour_and_three_a_day(
    client, world, mailoutbox, clock
):
    world.clerk.email = "clerk@example.org"
    world.clerk.save(update_fields=["email"])
    for _ in range(5):
        ask(client, "clerk@example.org")
        ask(client, "clerk@example.org")
        clock.value += 15 * 60
    assert len(mailoutbox) == 3
    # another account is not held back by the clerk's
    world.director.email = "director@example.org"
    world.director.save(update_fields=["email"])
    ask(client, "director@example.org")
    assert len(mailoutbox) == 4
