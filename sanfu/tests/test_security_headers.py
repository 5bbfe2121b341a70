"""The Content-Security-Policy header: sent as configured (production's default
policy, or report-only), and not at all in development; public pages run only
scripts that carry the request's nonce."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from core.csp import nonce_placeholder
from publicity.tests.conftest import build_column, publish_plain

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


def test_the_back_office_may_evaluate_scripts_and_the_public_pages_may_not(
    client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.CONTENT_SECURITY_POLICY = "script-src 'self'"
    settings.CONTENT_SECURITY_POLICY_ADMIN = "script-src 'self' 'unsafe-eval'"
    public = client.get(reverse("demands:track"))
    admin = client.get(reverse("wagtailadmin_login"))
    assert public["Content-Security-Policy"].startswith("script-src 'self' 'nonce-")
    assert admin["Content-Security-Policy"] == "script-src 'self' 'unsafe-eval'"


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


# -- the public pages' scripts: a nonce, no 'unsafe-inline' --------------------------

NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]+)'")
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


@pytest.fixture
def production_policy(settings):  # type: ignore[no-untyped-def]
    """The policies production sends by default (tests run with DEBUG's none)."""
    settings.CONTENT_SECURITY_POLICY = settings.DEFAULT_CSP.format(media="")
    settings.CONTENT_SECURITY_POLICY_ADMIN = settings.CONTENT_SECURITY_POLICY.replace(
        "script-src 'self'", "script-src 'self' 'unsafe-inline' 'unsafe-eval'"
    )


def script_src(response) -> str:  # type: ignore[no-untyped-def]
    policy = response["Content-Security-Policy"]
    (directive,) = [
        part.strip()
        for part in policy.split(";")
        if part.strip().startswith("script-src ")
    ]
    return directive


def nonce_of(response) -> str:  # type: ignore[no-untyped-def]
    (nonce,) = NONCE.findall(script_src(response))
    return nonce


@pytest.fixture
def public_urls(world) -> list[str]:  # type: ignore[no-untyped-def]
    column = build_column(world)
    article = publish_plain(column, "甲處開展調研活動", on=datetime.date(2026, 4, 1))
    return [
        "/",
        column.get_url(),
        article.get_url(),
        reverse("demands:submit", kwargs={"campaign_slug": world.campaign.slug}),
        reverse("demands:track"),
        reverse("demands:replied"),
    ]


def test_public_pages_allow_scripts_by_a_fresh_nonce_and_never_inline(
    client, production_policy, public_urls
) -> None:  # type: ignore[no-untyped-def]
    for url in public_urls:
        first, second = client.get(url), client.get(url)
        assert first.status_code == second.status_code == 200, url
        assert "'unsafe-inline'" not in script_src(first), url
        assert "'unsafe-eval'" not in script_src(first), url
        assert nonce_of(first) != nonce_of(second), url
        for response in (first, second):
            nonce = nonce_of(response)
            for tag in SCRIPT_TAG.findall(response.content.decode()):
                assert f'nonce="{nonce}"' in tag, (url, tag)


def test_a_page_from_the_page_cache_carries_its_own_responses_nonce(
    client, production_policy, settings, tmp_path, world
) -> None:  # type: ignore[no-untyped-def]
    # A page template with a script of its own, as a future one may have.
    (tmp_path / "base.html").write_text(
        "<!DOCTYPE html><html><body>{% block content %}{% endblock %}"
        '<script nonce="{{ csp_nonce }}" src="/static/site.js"></script>'
        "</body></html>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    url = build_column(world).get_url()
    cache.clear()
    first, second = client.get(url), client.get(url)
    assert first.context is not None and second.context is None  # a cache hit
    assert nonce_of(first) != nonce_of(second)
    for response in (first, second):
        (tag,) = SCRIPT_TAG.findall(response.content.decode())
        assert f'nonce="{nonce_of(response)}"' in tag
        assert nonce_placeholder() not in response.content.decode()


def test_the_back_office_keeps_wagtails_inline_scripts_and_gets_no_nonce(
    client, production_policy
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("wagtailadmin_login"))
    assert "'unsafe-inline'" in script_src(response)
    assert "'nonce-" not in script_src(response)


def test_every_script_tag_of_the_projects_templates_carries_the_nonce() -> None:
    root = Path(settings.BASE_DIR)
    tags = [
        (path, tag)
        for path in root.glob("*/templates/**/*.html")
        for tag in SCRIPT_TAG.findall(path.read_text())
    ]
    assert tags, "the project's templates have script tags"
    for path, tag in tags:
        assert 'nonce="{{ csp_nonce }}"' in tag, (path, tag)
