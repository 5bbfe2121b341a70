"""A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 in each surface's own error
shape, never a 500 with a traceback."""

import pytest
from django.test import Client

from demands.models import Demand

pytestmark = pytest.mark.django_db


def _too_big(settings) -> bytes:
    return b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)


def test_the_api_answers_413_in_its_error_shape(world, client, settings):
    response = client.post(
        "/api/v1/demands", _too_big(settings), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["message"]
    assert not Demand.objects.exists()


def test_open311_answers_413_in_its_error_shape(category, client, settings):
    for content_type in ("application/json", "application/x-www-form-urlencoded"):
        response = client.post(
            "/open311/v2/requests.json", _too_big(settings), content_type=content_type
        )
        assert response.status_code == 413, content_type
        assert response.json()[0]["code"] == 413
    assert not Demand.objects.exists()


def test_a_web_form_answers_a_413_page(world, settings):
    client = Client(enforce_csrf_checks=True)
    form = f"/demands/{world.campaign.slug}/new/"
    assert client.get(form).status_code == 200  # the CSRF cookie
    response = client.post(
        form,
        _too_big(settings),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "text/html" in response["Content-Type"]
    assert not Demand.objects.exists()
