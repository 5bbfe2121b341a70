"""Every admin screen speaks the reader's language: no English left, no raw ids or
booleans.

The crawl asks every admin URL the authorization matrix knows (its walk and its
objects, ``authz.walk`` and ``matrix_objects.build_things``), as the people who use
the screens (the office director and clerk, unit A's liaison, the leader), in
simplified and in traditional Chinese, and looks for what ``admin_words`` names.
The project's own admin pages in simplified Chinese are read by the matrix's walk
as these roles (it asks each of them anyway); this crawl reads the rest. One
database set-up per role, as the matrix.
"""

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import to_locale
from django.utils.translation.trans_real import DjangoTranslation
from wagtail.users.models import UserProfile

from demands.tests.factories import CategoryFactory
from org.models import Person
from sanfu.tests.admin_words import (
    BOOLEAN,
    LANGUAGES,
    MATRIX_LANGUAGE,
    ROLES,
    SEEN,
    Reading,
    leftovers,
    prefer,
    visible,
)
from sanfu.tests.authz import walk
from sanfu.tests.authz_params import fill
from sanfu.tests.matrix_objects import build_things
from sanfu.tests.test_authorization_matrix import _close, project_urls


def _paths(things: Any, project: bool = True) -> list[tuple[str, str]]:
    """(name, path) of every admin URL a GET can be asked of without a body;
    without ``project``, only Wagtail's and Django's own."""
    paths = []
    for url in walk():
        # signing out would end the crawl
        if not url.route.startswith("admin/") or url.name.endswith("logout"):
            continue
        if url.is_project and not project:
            continue
        if url.is_project:
            unnamed = url.name == url.route
            try:
                path = (
                    "/" + url.route
                    if unnamed
                    else reverse(url.name, kwargs=fill(url, things))
                )
            except LookupError:
                continue
        elif url.params or "^" in url.route or "(?P" in url.route:
            continue
        else:
            path = "/" + url.route
        paths.append((url.name, path))
    return paths


def _project_names() -> set[str]:
    return {url.name for url in project_urls()}


def _crawl(client: Client, paths: list[tuple[str, str]], language: str) -> Reading:
    reading = Reading(language)
    for name, path in paths:
        response = client.get(path)
        reading.page(name, response)
        _close(response)
    return reading


def test_the_checks_find_the_leftovers_they_name() -> None:
    assert leftovers("x", '<input placeholder="Search all pages…">')
    assert leftovers("x", "<td>True</td>")
    assert leftovers("x", '<svg><use title="False"></use></svg>')
    ids = {"单位"}
    assert leftovers("audit:search", "<td>单位: 4</td>", ids)
    assert leftovers("audit:search", "<td>note: x; measure: 5</td>", ids)
    assert leftovers("audit:search", "<td>created by: — → 8</td>", ids)
    assert leftovers("demands:detail", "<small>单位: 4</small>", ids)
    assert not leftovers("audit:search", "<td>附件: 2</td>", ids)
    assert not leftovers(
        "audit:search", "<td>整改措施: 拆除违建; 截止日期: 2026-01-05</td>"
    )
    assert not leftovers("audit:search", "<td>时间 10:30</td>")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_screens_have_no_english_ids_or_booleans(
    role: str, world: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    things = build_things(world, column_slug="column")
    things.by_model[Person] = world.liaison_a
    person = getattr(world, role)
    # Wagtail's /admin/failwhale/ raises on purpose: every other page answers
    client = Client(raise_request_exception=False)
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    wrong: list[str] = []
    for language in LANGUAGES:
        prefer(person, language)
        # the matrix's walk reads the project's pages in its language
        project = language != MATRIX_LANGUAGE
        reading = _crawl(client, _paths(things, project), language)
        wrong += [f"{language} {line}" for line in reading.wrong]
        # the screens the issue saw are among those read
        seen = SEEN[role] if project else SEEN[role] - _project_names()
        assert seen <= reading.read, seen - reading.read
    translation.activate("en")
    assert not wrong, "\n".join(sorted(set(wrong)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_editors_script_strings_are_translated(language: str) -> None:
    """Draftail's placeholder comes from the admin's JavaScript catalogue, read as
    ``/admin/jsi18n/`` reads it (Wagtail's package, then ``LOCALE_PATHS``)."""
    admin = Path(apps.get_app_config("wagtailadmin").path) / "locale"
    catalogue = DjangoTranslation(
        to_locale(language), domain="djangojs", localedirs=[str(admin)]
    )
    placeholder = "Write something or type ‘/’ to insert a block"
    assert catalogue.gettext(placeholder) != placeholder


@pytest.mark.django_db
def test_a_listings_booleans_are_words(world: Any, login: Any) -> None:
    """The dispatch catalogue's "open for new demands" said True."""
    category = CategoryFactory.create(campaign=world.campaign, name="路燈")
    UserProfile.objects.create(user=world.director, preferred_language="en")
    client = login(world.director)
    listing = client.get(reverse("demand_category:index")).content.decode()
    assert category.name in listing
    assert not BOOLEAN.search(visible(listing))
    assert ">Yes<" in listing.replace(" ", "").replace("\n", "")
    inspect = client.get(reverse("demand_category:inspect", args=[category.pk]))
    assert not BOOLEAN.search(visible(inspect.content.decode()))
