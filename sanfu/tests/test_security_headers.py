"""The Content-Security-Policy header: sent as configured (production's default
policy, or report-only), and not at all in development."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_sends_the_configured_policy(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CONTENT_SECURITY_POLICY = settings.DEFAULT_CSP.format(media="")
    response = client.get(reverse("demands:track"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "Content-Security-Policy-Report-Only" not in response


def test_it_can_only_report(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CONTENT_SECURITY_POLICY = "default-src 'self'"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = True
    response = client.get(reverse("demands:track"))
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'self'"
    assert "Content-Security-Policy" not in response


def test_development_sends_none(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("demands:track"))
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
