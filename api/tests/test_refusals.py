"""One error contract: a refused step reads the same through the back office and
the API, in each of the site's languages (``core.errors``)."""

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from core.errors import Conflict, Refused
from demands import actions
from demands.models import Demand, DemandStatus

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hans", "zh-hant", "en")


def _dispatched(world: Any, submitted: Callable[..., Any]) -> Demand:
    demand, _code = submitted()
    return actions.dispatch_demand(demand, world.unit_a, actor=world.director)


def _accepted(world: Any, submitted: Callable[..., Any]) -> Demand:
    return actions.accept_demand(_dispatched(world, submitted), actor=world.liaison_a)


def _pending(world: Any, submitted: Callable[..., Any]) -> Demand:
    demand = _accepted(world, submitted)
    actions.request_extension(demand, days=3, reason="等", actor=world.liaison_a)
    return demand


def _status(status: str) -> Callable[[], str]:
    def expected() -> str:
        return translation.gettext(
            "The demand is now “%(status)s”; someone else has acted on it."
        ) % {"status": DemandStatus(status).label}

    return expected


# (who, the demand, the step's name in both, its form / body, the message)
Step = tuple[str, Callable[..., Demand], str, dict[str, Any], Callable[[], str]]
STEPS: dict[str, Step] = {
    "accept_twice": (
        "liaison_a",
        _accepted,
        "accept",
        {},
        _status(DemandStatus.ACCEPTED),
    ),
    "dispatch_twice": (
        "director",
        _dispatched,
        "dispatch",
        {"unit": "unit_b"},
        _status(DemandStatus.DISPATCHED),
    ),
    "extend_while_pending": (
        "liaison_a",
        _pending,
        "extend",
        {"days": 2, "reason": "再等"},
        lambda: translation.gettext(
            "An extension request for this demand is already pending."
        ),
    ),
}


def _admin_refusal(person: Any, demand: Demand, step: str, data: dict) -> str:
    client = Client()
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse(f"demands_office:{step}", args=[demand.pk])
    response = client.post(url, data)
    assert response.status_code == 302
    (message,) = [
        m for m in get_messages(response.wsgi_request) if m.level_tag == "error"
    ]
    return html.unescape(re.sub(r"<[^>]+>", "", str(message))).strip()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", STEPS)
def test_a_refused_step_reads_the_same_in_the_admin_and_the_api(
    world, submitted, as_person, language: str, name: str
) -> None:
    who, make, step, body, expected = STEPS[name]
    person = getattr(world, who)
    profile = UserProfile.get_for_user(person)
    profile.preferred_language = language
    profile.save()
    data = {k: getattr(world, v).pk if k == "unit" else v for k, v in body.items()}

    admin = _admin_refusal(person, make(world, submitted), step, data)
    response = as_person(person).post(
        f"/api/v1/demands/{make(world, submitted).tracking_no}/{step}",
        data,
        **{"Accept-Language": language},
    )

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    with translation.override(language):
        wanted = expected()
    assert admin == response.json()["message"] == wanted
    if language != "en":
        assert re.search(r"[\u4e00-\u9fff]", wanted), "not translated"


@pytest.mark.parametrize(
    ("step", "kwargs", "field", "code"),
    [
        ("return_demand", {"reason": "  "}, "reason", "required"),
        ("reply_demand", {"reply": " ", "solved": True}, "reply", "required"),
        ("request_extension", {"days": 2, "reason": ""}, "reason", "required"),
    ],
)
def test_a_step_without_its_text_is_refused_on_its_field(
    world, submitted, step: str, kwargs: dict, field: str, code: str
) -> None:
    """No bare ``ValueError`` reaches a person: each refusal has a code and names
    the field the form shows it on."""
    demand = _accepted(world, submitted)
    with pytest.raises(Refused) as refused:
        getattr(actions, step)(demand, actor=world.liaison_a, **kwargs)
    assert not isinstance(refused.value, Conflict)
    assert refused.value.code == code
    assert list(refused.value.error_dict) == [field]


def test_the_api_answers_a_field_refusal_as_a_field_error(
    world, other_world, submitted, as_person
) -> None:
    demand, _code = submitted()
    response = as_person(world.director).post(
        f"/api/v1/demands/{demand.tracking_no}/dispatch",
        {"unit": other_world.unit_a.pk},
        **{"Accept-Language": "zh-hans"},
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "unit"
    with translation.override("zh-hans"):
        assert error["message"] == translation.gettext(
            "The unit belongs to another organisation."
        )
