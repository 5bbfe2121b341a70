"""API tokens in the back office: a person who may hold a token (``api.access``)
issues and revokes their own; the office of a campaign sees and revokes every token
of the campaign's people (a superuser, everyone's). The key is shown once, on the
page after issuing."""

from typing import Any

from django import forms
from django.db.models import Model
from django.forms import ModelForm
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic.models import (
    CreateView,
    DeleteView,
    IndexView,
)
from wagtail.admin.widgets import AdminDateInput
from wagtail.log_actions import LogActionRegistry
from wagtail.permission_policies.base import AuthenticationOnlyPermissionPolicy

from api.access import may_hold_token, tokens_for_user
from api.actions import issue_token, revoke_token
from api.models import TOKEN_MAX_DAYS, ApiToken, check_expiry, default_expiry
from core.viewsets import AuditedEditView, ScopedModelViewSet
from org.actors import Viewer, person_of

_MAY_HOLD = "_sanfu_may_hold_token"


class TokenHolderPolicy(AuthenticationOnlyPermissionPolicy):
    """The token screens open only to those who may hold a token (the office among
    them); which tokens each sees is ``tokens_for_user``."""

    def user_has_permission(self, user: Viewer, action: str) -> bool:
        return self._may(user)

    def user_has_any_permission(self, user: Viewer, actions: Any) -> bool:
        return self._may(user)

    def _may(self, user: Viewer) -> bool:
        # asked several times per admin page (menu, buttons): once per request
        cached = getattr(user, _MAY_HOLD, None)
        if cached is None:
            cached = may_hold_token(user)
            setattr(user, _MAY_HOLD, cached)
        return bool(cached)


class IssueTokenForm(WagtailAdminModelForm):
    expires_on = forms.DateField(label=_("Expires on"), widget=AdminDateInput)

    class Meta:
        model = ApiToken
        fields = ["name", "scope"]
        widgets = {"scope": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        expires_on = self.fields["expires_on"]
        expires_on.initial = default_expiry
        expires_on.help_text = gettext(
            "The last day the token works; at most %(days)d days from today."
        ) % {"days": TOKEN_MAX_DAYS}

    def clean_expires_on(self) -> Any:
        expires_on = self.cleaned_data["expires_on"]
        check_expiry(expires_on)
        return expires_on


class RenameTokenForm(WagtailAdminModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]


class TokenIndexView(IndexView):
    def get_base_queryset(self) -> Any:
        # the office's list names each token's person
        return super().get_base_queryset().select_related("user")


class IssueTokenView(CreateView):
    key = ""

    def save_instance(self) -> ApiToken:
        data = self.form.cleaned_data
        person = person_of(self.request)
        token, self.key = issue_token(
            person,
            name=data["name"],
            scope=data["scope"],
            expires_on=data["expires_on"],
            actor=person,
        )
        return token

    def save_action(self) -> HttpResponse:
        # Rendered, not redirected: the key must not travel through the session.
        return TemplateResponse(
            self.request,
            "api/token_issued.html",
            {
                "token": self.object,
                "key": self.key,
                "index_url": self.get_success_url(),
            },
        )


class RenameTokenView(AuditedEditView):
    """Only the token's own person renames it; the office may only revoke."""

    def get_object(self, queryset: Any = None) -> Model:
        token = super().get_object(queryset)
        user = self.request.user
        if token.user_id != user.pk and not user.is_superuser:
            raise Http404
        return token


class RevokeTokenView(DeleteView):
    success_message = _("Token '%(object)s' revoked.")

    @property
    def confirmation_message(self) -> str:
        return str(_("Revoke this token? Clients using it will be refused at once."))

    def delete_action(self) -> None:
        revoke_token(self.object, actor=person_of(self.request))


class ApiTokenViewSet(ScopedModelViewSet):
    model = ApiToken
    icon = "key"
    menu_label = _("API tokens")
    add_to_settings_menu = True
    copy_view_enabled = False
    form_fields = ["name"]
    list_display = [
        "name",
        "prefix",
        "user",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    scope = staticmethod(tokens_for_user)
    index_view_class = TokenIndexView
    add_view_class = IssueTokenView
    edit_view_class = RenameTokenView
    delete_view_class = RevokeTokenView
    permission_policy = TokenHolderPolicy(ApiToken)

    def get_form_class(self, for_update: bool = False) -> type[ModelForm]:
        return RenameTokenForm if for_update else IssueTokenForm


@hooks.register("register_admin_viewset")
def register_api_token_viewset() -> ApiTokenViewSet:
    return ApiTokenViewSet("api_tokens")


@hooks.register("register_log_actions")
def register_api_actions(actions: LogActionRegistry) -> None:
    actions.register_action("api.token.issue", _("Issue API token"), _("Token issued"))
    actions.register_action(
        "api.token.revoke", _("Revoke API token"), _("Token revoked")
    )
