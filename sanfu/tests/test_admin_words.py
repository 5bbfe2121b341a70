"""Every admin screen speaks the reader's language: no English left, no raw ids or
booleans.

The crawl asks every admin URL the authorization matrix knows (its walk and its
objects, ``authz.walk`` and ``matrix_objects.build_things``), as the people who use
the screens (the office director and clerk, unit A's liaison, the leader), in
simplified and in traditional Chinese, and looks for Wagtail's English that its
Chinese catalogues miss, Python's ``True``/``False`` and a label followed by a bare
id in histories and the audit trail. One database set-up per role, as the matrix.
"""

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db.models import ForeignKey
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import to_locale
from django.utils.translation.trans_real import DjangoTranslation
from wagtail.users.models import UserProfile

from audit.readable import LABELS, REFERENCES
from demands.tests.factories import CategoryFactory
from org.models import Person
from sanfu.tests.authz import walk
from sanfu.tests.authz_params import fill
from sanfu.tests.matrix_objects import build_things
from sanfu.tests.test_authorization_matrix import _close

LANGUAGES = ("zh-hans", "zh-hant")
ROLES = ("director", "liaison_a", "clerk", "leader")

# Wagtail's English that its zh catalogues lack (and Python's), as the pages print it
ENGLISH = (
    "Search all pages",
    "New: ",
    "There are no ",
    "Why not",
    "add one",
    "Use server language",
    "(body)",
    "Write something",
    "to display",
    "No results",
    "Sort by",
    "Choose a",
    "Edit this",
    "Delete this",
    "Save draft",
    "Actions",
    "Filter",
    "Inspect",
)
# a boolean as Python prints it, as a cell's text or an icon's title
BOOLEAN = re.compile(r"""(?:>|title=")\s*(True|False)\s*(?:<|")""")
# a label and a bare number, as a history or audit row prints an id:
# "单位: 4", "measure: 5", "created by: — → 8"
BARE_ID = re.compile(
    r"(?:^|[>;])\s*([^<>;:\n]{1,30}):\s+(?:\S+ → )?(\d{1,9})\s*(?=<|;|$)"
)
# a raw key, or a field's name as Django makes it when none is given
RAW_KEY = re.compile(r"[a-z][a-z_ ]*")
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
# pages the crawl must have read, by role: the listings, a demand's history, the
# account, and the audit trail for the office
SEEN = {
    "director": {
        "audit_search",
        "demands_office:detail",
        "demand_category:index",
        "wagtailadmin_account",
        "wagtailadmin_home",
    },
    "liaison_a": {"demands_office:detail", "wagtailadmin_account", "wagtailadmin_home"},
    "clerk": {"audit_search", "demands_office:detail", "wagtailadmin_account"},
    "leader": {"wagtailadmin_account", "wagtailadmin_home"},
}
# pages whose rows are a trail: the audit search and the demands' histories
TRAILS = ("audit", "demand")


def _visible(html: str) -> str:
    return SCRIPT.sub("", html)


def _paths(things: Any) -> list[tuple[str, str]]:
    """(name, path) of every admin URL a GET can be asked of without a body."""
    paths = []
    for url in walk():
        # signing out would end the crawl
        if not url.route.startswith("admin/") or url.name.endswith("logout"):
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


def reference_labels() -> set[str]:
    """The labels, in the active language, of what holds another object's id:
    the trail's reference keys and every foreign key of the project's models (a
    count or a score after its label is a number, not an id)."""
    labels = {str(LABELS[key]) for key in REFERENCES}
    for config in apps.get_app_configs():
        if config.name not in django_settings.SANFU_APPS:
            continue
        for model in config.get_models():
            labels.update(
                str(field.verbose_name)
                for field in model._meta.concrete_fields
                if isinstance(field, ForeignKey)
            )
    return labels


def leftovers(name: str, html: str, ids: Collection[str] = ()) -> list[str]:
    """What a page shows that is not the reader's language; ``ids``: the labels
    after which a number is an object's id."""
    text = _visible(html)
    found = [f"{name}: English {phrase!r}" for phrase in ENGLISH if phrase in text]
    found += [f"{name}: boolean {m.group(1)}" for m in BOOLEAN.finditer(text)]
    if any(part in name for part in TRAILS):
        found += [
            f"{name}: id {m.group(1).strip()}: {m.group(2)}"
            for m in BARE_ID.finditer(text)
            if m.group(1).strip() in ids or RAW_KEY.fullmatch(m.group(1).strip())
        ]
    return found


def _crawl(
    client: Client, paths: list[tuple[str, str]], language: str
) -> tuple[list[str], set[str]]:
    """What is wrong on the pages, and the names of the pages read."""
    with translation.override(language):
        ids = reference_labels()
    wrong: list[str] = []
    read: set[str] = set()
    for name, path in paths:
        response = client.get(path)
        if response.status_code != 200 or response.streaming:
            _close(response)
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        read.add(name)
        wrong += leftovers(name, response.content.decode(), ids)
    return wrong, read


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
    paths = _paths(things)
    wrong: list[str] = []
    for language in LANGUAGES:
        UserProfile.objects.update_or_create(
            user=person, defaults={"preferred_language": language}
        )
        found, read = _crawl(client, paths, language)
        wrong += [f"{language} {line}" for line in found]
        # the screens the issue saw are among those read
        assert SEEN[role] <= read, SEEN[role] - read
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
    assert not BOOLEAN.search(_visible(listing))
    assert ">Yes<" in listing.replace(" ", "").replace("\n", "")
    inspect = client.get(reverse("demand_category:inspect", args=[category.pk]))
    assert not BOOLEAN.search(_visible(inspect.content.decode()))
