import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from api.actions import issue_token
from api.models import ApiToken, TokenScope, hash_key, new_key
from demands import actions
from demands.models import Category, Demand, DemandKind, Urgency
from demands.tests.factories import CategoryFactory


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    # The rate limit counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category(world: Any) -> Category:
    return CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a, name="供水"
    )


@pytest.fixture
def submitted(world: Any, category: Category) -> Callable[..., tuple[Demand, str]]:
    """File a demand through the action: ``demand, code = submitted()``."""

    def _submit(**extra: Any) -> tuple[Demand, str]:
        fields: dict[str, Any] = {
            "kind": DemandKind.HELP,
            "title": "村口水渠堵塞",
            "content": "雨季將至，村口水渠堵塞，請幫助疏通。",
            "urgency": Urgency.NORMAL,
            "category": category,
            "submitter_name": "張三豐",
            "submitter_phone": "13812345678",
        }
        fields.update(extra)
        return actions.submit_demand(world.campaign, **fields)

    return _submit


class ApiClient:
    """The test client speaking JSON, as a person holding a token (or nobody)."""

    def __init__(self, client: Client, key: str = "") -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params, headers=self.headers)

    def post(self, url: str, body: Any = None, **headers: str) -> Any:
        return self.client.post(
            url,
            body if body is not None else {},
            content_type="application/json",
            headers={**self.headers, **headers},
        )


@pytest.fixture
def anonymous(client: Client) -> ApiClient:
    return ApiClient(client)


@pytest.fixture
def as_person(client: Client) -> Callable[..., ApiClient]:
    """``as_person(world.director)``: an API client with a fresh token of theirs
    (scope ``act`` unless ``scope="read"``)."""

    def _as(person: Any, scope: str = TokenScope.ACT) -> ApiClient:
        _token, key = issue_token(person, name="tests", scope=scope, actor=person)
        return ApiClient(client, key)

    return _as


@pytest.fixture
def with_old_token(client: Client) -> Callable[[Any], ApiClient]:
    """``with_old_token(world.leader)``: an API client with a token written straight
    into the table, as one issued before its person lost (or never had) a role
    that may hold one."""

    def _as(person: Any) -> ApiClient:
        key = new_key()
        ApiToken.objects.create(
            user=person,
            name="old",
            key_hash=hash_key(key),
            prefix=key[:10],
            scope=TokenScope.ACT,
            expires_at=timezone.now() + datetime.timedelta(days=30),
        )
        return ApiClient(client, key)

    return _as


@pytest.fixture
def api_key(world: Any) -> str:
    """A key issued to an integrator (the office's clerk), for Open311 filing."""
    _token, key = issue_token(world.clerk, name="integrator", actor=world.clerk)
    return key
