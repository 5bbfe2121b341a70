"""Schemathesis against the OpenAPI documents, in-process: the v1 API (the document
it serves) and Open311 (``api.open311_openapi``), every operation, as a staff
member holding a key and as an anonymous client. No input makes a 5xx, and every
answer has a documented status, content type and shape.

The examples per operation are bounded (``SANFU_FUZZ_EXAMPLES``, 25 by default) so
that the run fits in CI on SQLite and on PostgreSQL."""

import os
import re
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.actions import issue_token
from api.open311_openapi import DOCUMENT
from api.urls import open311_urls
from demands import actions
from sanfu.wsgi import application

v1 = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
open311 = schemathesis.openapi.from_dict(DOCUMENT)
open311.app = application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("SANFU_FUZZ_EXAMPLES", "25"))
fuzz_settings = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def connection_kept() -> Iterator[None]:
    # The WSGI handler closes the database connection after each request, which
    # would end the test's transaction; Django's test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key(connection_kept, world, submitted, settings):
    settings.SANFU_API_RATE_LIMITS = {"submit": (10_000, 60), "lookup": (10_000, 60)}
    demand, _code = submitted()
    actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    submitted(submitter_phone="", title="另一件事", allow_publish=True)
    _token, key = issue_token(
        world.superuser, name="fuzz", scope="act", actor=world.superuser
    )
    return key


def _staff(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@v1.parametrize()
@fuzz_settings
@pytest.mark.django_db
def test_v1_as_staff(case, key):
    response = case.call(headers=_staff(key))
    case.validate_response(response, checks=CHECKS)


@v1.parametrize()
@fuzz_settings
@pytest.mark.django_db
def test_v1_anonymously(case, key):
    response = case.call()
    case.validate_response(response, checks=CHECKS)


@open311.parametrize()
@fuzz_settings
@pytest.mark.django_db
def test_open311_anonymously(case, key):
    response = case.call()
    case.validate_response(response, checks=CHECKS)


@open311.parametrize()
@fuzz_settings
@pytest.mark.django_db
def test_open311_with_an_api_key(case, key):
    if case.body and isinstance(case.body, dict):
        case.body["api_key"] = key
    response = case.call()
    case.validate_response(response, checks=CHECKS)


def test_every_open311_route_is_in_its_document():
    # The v1 document is generated from the routes; Open311's is written by hand,
    # so a new route must be described before the fuzzing reaches it (in JSON; the
    # same routes answer in XML).
    routes = {
        "/open311/v2/"
        + re.sub(r"<str:(\w+)>", r"{\1}", str(url.pattern)).replace(
            "<format:fmt>", "json"
        )
        for url in open311_urls
    }
    assert routes == set(DOCUMENT["paths"])
