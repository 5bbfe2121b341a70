"""The words an admin screen must not show: Wagtail's English that its Chinese
catalogues miss, Python's ``True``/``False`` and a label followed by a bare id in
histories and the audit trail; read on every admin page by ``test_admin_words``
and, in the site's language, by the authorization matrix's walk
(``test_authorization_matrix``), which asks every one of the project's admin
pages as these roles anyway.
"""

import re
from collections.abc import Collection
from typing import Any

from django.apps import apps
from django.conf import settings as django_settings
from django.db.models import ForeignKey
from django.utils import translation
from wagtail.users.models import UserProfile

from audit.readable import LABELS, REFERENCES
from org.models import Person

LANGUAGES = ("zh-hans", "zh-hant")
# the language the matrix's walk reads the project's pages in: the site's own, which
# its test client gets
MATRIX_LANGUAGE = django_settings.LANGUAGE_CODE
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


def visible(html: str) -> str:
    return SCRIPT.sub("", html)


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
    text = visible(html)
    found = [f"{name}: English {phrase!r}" for phrase in ENGLISH if phrase in text]
    found += [f"{name}: boolean {m.group(1)}" for m in BOOLEAN.finditer(text)]
    if any(part in name for part in TRAILS):
        found += [
            f"{name}: id {m.group(1).strip()}: {m.group(2)}"
            for m in BARE_ID.finditer(text)
            if m.group(1).strip() in ids or RAW_KEY.fullmatch(m.group(1).strip())
        ]
    return found


class Reading:
    """What a walk found wrong on the admin pages it read in one language, and
    the names of the pages read."""

    def __init__(self, language: str) -> None:
        with translation.override(language):
            self.ids = reference_labels()
        self.wrong: list[str] = []
        self.read: set[str] = set()

    def page(self, name: str, response: Any) -> None:
        """Read a response, if it is a page (200, HTML, not streamed)."""
        if response.status_code != 200 or response.streaming:
            return
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        self.read.add(name)
        self.wrong += leftovers(name, response.content.decode(), self.ids)


def prefer(person: Person, language: str) -> None:
    """The admin in ``language`` for ``person``, as the account page sets it."""
    UserProfile.objects.update_or_create(
        user=person, defaults={"preferred_language": language}
    )
