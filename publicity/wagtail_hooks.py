"""The column's back-office screens: submissions, review, figures, advanced models
(publicity.views.admin) and the office's list of sensitive words."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from campaigns.models import Campaign
from core.viewsets import ScopedModelViewSet
from org.actors import Viewer
from publicity import access
from publicity.models import SensitiveWord


def _word_campaigns(user: Viewer, *, write: bool = True) -> QuerySet[Campaign]:
    return access.desk_campaigns(user)


class SensitiveWordViewSet(ScopedModelViewSet):
    model = SensitiveWord
    name = "sensitive_word"
    icon = "warning"
    menu_label = _("Sensitive words")
    menu_order = 252
    add_to_admin_menu = True
    form_fields = ["campaign", "word", "note"]
    list_display = ["word", "note", "campaign"]
    list_filter = ["campaign"]
    search_fields = ["word"]
    scope = staticmethod(access.sensitive_words_for_user)
    scoped_choices = {"campaign": _word_campaigns}


@hooks.register("register_admin_viewset")
def register_sensitive_words() -> SensitiveWordViewSet:
    return SensitiveWordViewSet()


@hooks.register("register_admin_urls")
def register_column_urls() -> list[Any]:
    # imported when the admin's URLs are built, not with these hooks: the views
    # import the forms, whose rich text editor reads these hooks when it is made
    from publicity.views.admin import admin_urls

    return admin_urls()


class ShownIf(MenuItem):
    """Shown to holders of a permission (the roles' permissions are read once per
    request, so a menu costs no query); the screens themselves check the scope."""

    def __init__(self, *args: Any, shown: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown = shown

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(self.shown))


@hooks.register("register_admin_menu_item")
def submissions_menu_item() -> MenuItem:
    return ShownIf(
        _("Column submissions"),
        reverse_lazy("publicity_admin:submissions"),
        name="column-submissions",
        icon_name="doc-full",
        order=240,
        shown="publicity.add_articlepage",
    )


@hooks.register("register_admin_menu_item")
def review_menu_item() -> MenuItem:
    return ShownIf(
        _("Column review"),
        reverse_lazy("publicity_admin:review_queue"),
        name="column-review",
        icon_name="tasks",
        order=245,
        shown="publicity.change_articlepage",
    )


@hooks.register("register_admin_menu_item")
def figures_menu_item() -> MenuItem:
    return ShownIf(
        _("Submission figures"),
        reverse_lazy("publicity_admin:stats"),
        name="column-figures",
        icon_name="table",
        order=250,
        shown="publicity.view_submissionmonthstat",
    )


@hooks.register("register_admin_menu_item")
def models_menu_item() -> MenuItem:
    return ShownIf(
        _("Advanced models"),
        reverse_lazy("publicity_admin:models"),
        name="column-models",
        icon_name="user",
        order=251,
        shown="publicity.view_advancedmodelpage",
    )


# --- Briefings (簡報) and wall boards (版報) ---
import publicity.briefings.wagtail_hooks  # noqa: E402, F401
from publicity import page_listings  # noqa: E402, F401


@hooks.register("before_serve_document")
def documents_only_to_those_entitled(document: Any, request: HttpRequest) -> None:
    # an unpublished article's attachment is not admitted to exist
    if not access.may_download_document(request.user, document):
        raise Http404
