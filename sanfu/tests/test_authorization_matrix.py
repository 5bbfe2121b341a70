"""Every URL × every role answers as the authorization matrix says.

The matrix (``authz_matrix.py``) has a row for each URL of the project, found by
walking the running URL configuration (``get_resolver()``, recursively: the apps'
pages, their Wagtail admin screens and viewsets, the JSON API and Open311); Wagtail's
and Django's own URLs are classed by prefix, each rule with its reason. A URL without
a row fails ``test_every_url_has_a_row``, so a new view cannot ship unclassified.

Each role's walk is one test with one database set up (``world`` and one object of
everything, ``matrix_objects.py``): a GET of each URL, then a POST inside a savepoint
rolled back after it. A refused POST must leave the audit trail and the objects it
names as they were.

As the roles whose screens ``test_admin_words`` reads, the walk also reads each
admin page it gets in the site's language for the words no screen may show
(``admin_words``): the crawl there would ask the same pages again.
"""

import datetime
import json
import os
from typing import Any

import pytest
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.db.models.functions import JSONArray
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from api.access import may_hold_token
from api.actions import issue_token
from api.models import ApiToken, TokenScope, hash_key, new_key
from demands.views.public import TRACKED_KEY
from org.models import Person
from sanfu.tests import admin_words
from sanfu.tests.authz import LOGIN, REFUSALS, ROLES, Url, outcome, walk
from sanfu.tests.authz_matrix import EXACT_RULES, MATRIX, PREFIX_RULES, UNWALKED, Row
from sanfu.tests.authz_params import BODIES, HEADERS, PARAMS, body, fill
from sanfu.tests.authz_params import headers as headers_for
from sanfu.tests.matrix_objects import Things, build_things

# AUTHZ_RECORD=<file>: write what each role got instead of comparing (to review a
# change of the matrix as a diff, never to accept one unread).
RECORD = os.environ.get("AUTHZ_RECORD", "")
# AUTHZ_ONLY=<name>,<name>: walk only these rows (while working on them).
ONLY = set(filter(None, os.environ.get("AUTHZ_ONLY", "").split(",")))


def project_urls() -> list[Url]:
    return [url for url in walk() if url.is_project]


def other_urls() -> list[Url]:
    return [url for url in walk() if not url.is_project]


def _rule_for(url: Url) -> Any:
    if url.route in EXACT_RULES:
        return (url.route, *EXACT_RULES[url.route])
    return next((rule for rule in PREFIX_RULES if url.route.startswith(rule[0])), None)


def test_every_url_has_a_row() -> None:
    unclassified = [
        f"{url.name} ({url.route})" for url in project_urls() if url.name not in MATRIX
    ]
    assert not unclassified, f"URLs without a row in the matrix: {unclassified}"
    outside = [url.route for url in other_urls() if _rule_for(url) is None]
    assert not outside, f"Wagtail or Django URLs without a prefix rule: {outside}"


def test_every_row_names_a_url() -> None:
    names = {url.name for url in project_urls()}
    assert not set(MATRIX) - names, "rows of URLs that are gone"
    assert not set(PARAMS) - names, "parameters of URLs that are gone"
    assert not set(BODIES) - names, "bodies of URLs that are gone"
    assert not set(HEADERS) - names, "headers of URLs that are gone"


def _client(role: str, things: Things) -> tuple[Client, dict[str, str]]:
    client = Client()
    if role == "anonymous":
        return client, {}
    if role == "submitter":
        # what the tracking form leaves after the number and the code were given
        session = client.session
        session[TRACKED_KEY] = things.demand.pk
        session.save()
        return client, {}
    person = getattr(things.world, role)
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    if may_hold_token(person):
        _token, key = issue_token(
            person, name="matrix", scope=TokenScope.ACT, actor=person
        )
    else:
        # a token written before the role rule: refused like none
        key = new_key()
        ApiToken.objects.create(
            user=person,
            name="matrix",
            key_hash=hash_key(key),
            prefix=key[:10],
            scope=TokenScope.ACT,
            expires_at=timezone.now() + datetime.timedelta(days=1),
        )
    return client, {"Authorization": f"Bearer {key}"}


def _close(response: Any) -> None:
    """Close a file download's file, without the request_finished handler that
    would close the test's database connection (as the test client does)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def _manager(obj: Any) -> Any:
    return type(obj)._default_manager


def _row_text(model: Any) -> Any:
    """One value for a whole row of ``model``: its concrete fields (inherited ones
    too) as one JSON array."""
    return JSONArray(*(F(field.attname) for field in model._meta.concrete_fields))


class Fingerprint:
    """The audit trail's length and the state of the objects a write could touch,
    read once before the walk and after each refused request, in one SQL statement
    compiled once per walk: one round trip instead of one per object (on
    PostgreSQL, 36 round trips a request took most of a cheap request's walk), and
    no ORM compilation at each read."""

    def __init__(self, things: Things) -> None:
        watched = (
            things.demand,
            things.problem,
            things.deed,
            things.article,
            things.model_page,
            things.briefing,
            things.unit_plan,
            things.work_plan,
            things.survey,
            things.inspection_round,
            things.milestone,
            things.decision,
            things.look_back_item,
            things.score,
            things.job,
            things.failed_job,
        )
        counted = [
            queryset.values_list("pk").query.sql_with_params()
            for queryset in (ModelLogEntry.objects.all(), PageLogEntry.objects.all())
        ]
        states = [
            _manager(obj)
            .filter(pk=obj.pk)
            .annotate(fingerprint=_row_text(type(obj)))
            .values_list("fingerprint")
            .query.sql_with_params()
            for obj in watched
        ]
        columns = [f"(SELECT COUNT(*) FROM ({sql}) AS counted)" for sql, _ in counted]
        columns += [f"({sql})" for sql, _ in states]
        self.sql = "SELECT " + ", ".join(columns)
        self.params = tuple(param for _, params in counted + states for param in params)

    def read(self) -> tuple[Any, ...]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return tuple(cursor.fetchone())


def _request(
    client: Client, url: Url, path: str, method: str, body: Any, headers: Any
) -> Any:
    if url.route.startswith("api/"):
        if method == "get":
            return client.get(path, body or {}, headers=headers)
        return client.post(
            path,
            json.dumps(body or {}),
            content_type="application/json",
            headers=headers,
        )
    return getattr(client, method)(path, body or {}, headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_url_answers_the_role_as_the_matrix_says(
    role: str, world: Any, settings: Any, tmp_path: Any
) -> None:
    if role in UNWALKED and not RECORD:
        pytest.skip("not yet classified: see UNWALKED in authz_matrix.py")
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # rate limits: each role's walk is a client of its own
    things = build_things(world, column_slug="column")
    things.by_model[Person] = world.liaison_a
    client, token = _client(role, things)
    reading = None
    if role in admin_words.ROLES:
        admin_words.prefer(getattr(world, role), admin_words.MATRIX_LANGUAGE)
        reading = admin_words.Reading(admin_words.MATRIX_LANGUAGE)
    index = ROLES.index(role)
    fingerprint = Fingerprint(things)
    # each request is rolled back to a savepoint: every one starts from this
    untouched = fingerprint.read()
    got: dict[str, list[str]] = {}
    wrong: list[str] = []
    for url in project_urls():
        if ONLY and url.name not in ONLY:
            continue
        row: Row | None = MATRIX.get(url.name)
        unnamed = url.name == url.route  # a pattern without a name has no parameters
        path = (
            "/" + url.route if unnamed else reverse(url.name, kwargs=fill(url, things))
        )
        headers = {
            **(token if url.route.startswith("api/") else {}),
            **headers_for(url.name, things, role),
        }
        answers = []
        for method in ("get", "post"):
            savepoint = transaction.savepoint()
            sent = body(url.name, things, role, method)
            response = _request(client, url, path, method, sent, headers)
            answer = outcome(response)
            if reading and method == "get" and url.route.startswith("admin/"):
                reading.page(url.name, response)
            _close(response)
            # only a refusal must have left everything as it was
            changed = answer in REFUSALS and fingerprint.read() != untouched
            transaction.savepoint_rollback(savepoint)
            answers.append(answer)
            if RECORD or row is None:
                continue
            expected = (row.get if method == "get" else row.post)[index]
            if answer != expected:
                wrong.append(f"{method.upper()} {url.name} as {role}: {answer}")
            elif changed:
                wrong.append(f"{method.upper()} {url.name} as {role}: wrote")
        got[url.name] = answers
    if reading:
        language = admin_words.MATRIX_LANGUAGE
        wrong += [f"{language} {line}" for line in reading.wrong]
        unread = admin_words.SEEN[role] & set(MATRIX) - reading.read
        if unread and not ONLY:
            wrong.append(f"{language}: pages not read as {role}: {sorted(unread)}")
    if RECORD:
        with open(f"{RECORD}-{role}.json", "w") as out:
            json.dump(got, out)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_wagtail_and_django_urls_are_refused_as_their_rule_says(
    world: Any, client: Client
) -> None:
    """The prefix rules' URLs without parameters, asked by someone not signed in and
    by unit A's liaison (who holds admin access through the role)."""
    liaison = Client()
    liaison.force_login(
        world.liaison_a, backend="django.contrib.auth.backends.ModelBackend"
    )
    wrong = []
    for url in other_urls():
        prefix, anonymous, as_liaison, _reason = _rule_for(url)
        if url.params or "^" in url.route or "(?P" in url.route:
            continue
        path = "/" + url.route
        for who, expected in ((client, anonymous), (liaison, as_liaison)):
            if expected is None:
                continue
            answer = outcome(who.get(path))
            if answer != expected and not (
                expected == "refused" and answer in REFUSALS
            ):
                wrong.append(f"{path}: {answer}, the rule for {prefix} says {expected}")
    assert not wrong, "\n".join(wrong)


def test_admin_urls_refuse_anonymous_visitors() -> None:
    """The back office is not reachable without signing in: every admin row sends
    anonymous visitors and submitters to the sign-in page."""
    for name, row in MATRIX.items():
        url = next(url for url in project_urls() if url.name == name)
        if url.route.startswith("admin/") and url.name not in ("wagtailadmin_login",):
            assert row.get[0] == LOGIN, name
            assert row.get[1] == LOGIN, name


@pytest.mark.django_db
def test_the_fingerprint_sees_a_changed_object_and_a_new_log_entry(world: Any) -> None:
    things = build_things(world, column_slug="column")
    fingerprint = Fingerprint(things)
    before = fingerprint.read()
    assert fingerprint.read() == before
    savepoint = transaction.savepoint()
    type(things.demand).objects.filter(pk=things.demand.pk).update(title="改过")
    assert fingerprint.read() != before
    transaction.savepoint_rollback(savepoint)
    assert fingerprint.read() == before
    log(things.demand, "wagtail.edit")
    assert fingerprint.read() != before
