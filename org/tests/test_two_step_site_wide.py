"""Two-step sign-in holds for the whole site, not only for the back office: a
session that gave the password but not yet the code is treated as not signed in
everywhere but on the code page and the sign-out."""

import pyotp
import pytest
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from org.models import Person
from sanfu.tests.authz import walk
from sanfu.tests.authz_params import fill
from sanfu.tests.matrix_objects import build_things

pytestmark = pytest.mark.django_db

VERIFY = reverse("two_step_verify")

# signed-in views outside the page tree that the office director opens: the office's
# demand screens, the ledgers, the evaluation, the dashboard and a job's file
DIRECTORS_VIEWS = [
    "demands_office:index",
    "demands_office:detail",
    "demands_office:attachment",
    "ledgers_admin:problems",
    "ledgers_admin:problem",
    "ledgers_admin:evidence",
    "evaluation_admin:index",
    "evaluation_admin:sheet",
    "dashboard:cockpit",
    "notify_inbox",
    "jobs_list",
    "jobs_download",
]


@pytest.fixture(autouse=True)
def fresh_limits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


@pytest.fixture
def things(world):
    return build_things(world, column_slug="column")


def with_two_step(person):
    """Turn two-step sign-in on for ``person``; the secret of their app."""
    secret = pyotp.random_base32()
    Person.objects.filter(pk=person.pk).update(totp_secret=secret, totp_last_step=0)
    return secret


def give_code(client, secret):
    response = client.post(VERIFY, {"code": pyotp.TOTP(secret).now(), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def url_of(name, things):
    url = next(url for url in walk() if url.name == name)
    return reverse(name, kwargs=fill(url, things))


def get(client, url):
    """The response, its file closed (without the handler that would close the
    test's database connection, as the test client's close does)."""
    response = client.get(url)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response


def refused(response):
    if response.status_code == 302:
        location = response["Location"]
        return location.startswith(VERIFY) or location.startswith(
            reverse("wagtailadmin_login")
        )
    return response.status_code in (401, 403, 404)


def test_a_password_only_session_does_not_download_a_draft_briefing(
    client, login, world, things
):
    secret = with_two_step(world.director)
    login(world.director)
    draft = reverse(
        "publicity:briefing_export", kwargs={"pk": things.briefing.pk, "kind": "docx"}
    )
    assert client.get(f"{draft}?draft=1").status_code == 404
    give_code(client, secret)
    response = client.get(f"{draft}?draft=1")
    assert response.status_code == 202  # asked for: the worker makes it
    assert response.content


def test_a_password_only_session_opens_no_signed_in_view(client, login, world, things):
    secret = with_two_step(world.director)
    login(world.director)
    urls = [url_of(name, things) for name in DIRECTORS_VIEWS]
    held = [url for url in urls if not refused(get(client, url))]
    assert held == []
    give_code(client, secret)
    failed = [url for url in urls if get(client, url).status_code != 200]
    assert failed == []


def test_a_password_only_session_gets_no_json_but_a_refusal(
    client, login, world, things
):
    secret = with_two_step(world.liaison_a)
    login(world.liaison_a)
    status = url_of("jobs_status", things)
    response = client.get(status, headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json()["code"] == "two_step_required"
    give_code(client, secret)
    response = client.get(status, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json()["id"] == things.job.pk


def test_a_password_only_session_sees_public_pages_as_a_visitor(client, login, world):
    secret = with_two_step(world.director)
    login(world.director)
    response = client.get(reverse("demands:replied"))
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    give_code(client, secret)
    response = client.get(reverse("demands:replied"))
    assert response.wsgi_request.user == world.director


def test_the_api_takes_no_password_only_session(client, login, world):
    secret = with_two_step(world.director)
    login(world.director)
    demands = reverse("api-v1:list_demands")
    assert client.get(demands).status_code == 401
    give_code(client, secret)
    # the API takes bearer tokens only, never the session, code or not
    assert client.get(demands).status_code == 401


def test_signing_out_works_without_the_code(client, login, world):
    with_two_step(world.director)
    login(world.director)
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
