"""Schemathesis against the OpenAPI document, in-process: no input makes a 5xx."""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from api.actions import issue_token
from demands import actions
from sanfu.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


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
    submitted(submitter_phone="", title="另一件事")
    _token, key = issue_token(world.superuser, name="fuzz", actor=world.superuser)
    return key


@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_no_operation_answers_with_a_server_error(case, key):
    response = case.call(headers={"Authorization": f"Bearer {key}"})
    case.validate_response(response, checks=[not_a_server_error])
