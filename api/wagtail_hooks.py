"""API tokens in the back office: each person issues and revokes their own (a
superuser sees everyone's); the key is shown once, on the page after issuing."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic.models import CreateView, DeleteView
from wagtail.log_actions import LogActionRegistry
from wagtail.permission_policies.base import AuthenticationOnlyPermissionPolicy

from api.actions import issue_token, revoke_token
from api.models import ApiToken
from sanfu.lib.viewsets import ScopedModelViewSet


def tokens_for_user(user: Any, *, write: bool = False) -> QuerySet[ApiToken]:
    if not user.is_authenticated or not user.is_active:
        return ApiToken.objects.none()
    if user.is_superuser:
        return ApiToken.objects.all()
    return ApiToken.objects.filter(user=user)


class IssueTokenView(CreateView):
    key = ""

    def save_instance(self) -> ApiToken:
        token, self.key = issue_token(
            self.request.user,
            name=self.form.cleaned_data["name"],
            actor=self.request.user,
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


class RevokeTokenView(DeleteView):
    success_message = _("Token '%(object)s' revoked.")

    @property
    def confirmation_message(self) -> str:
        return str(_("Revoke this token? Clients using it will be refused at once."))

    def delete_action(self) -> None:
        revoke_token(self.object, actor=self.request.user)


class ApiTokenViewSet(ScopedModelViewSet):
    model = ApiToken
    icon = "key"
    menu_label = _("API tokens")
    add_to_settings_menu = True
    form_fields = ["name"]
    list_display = [
        "name",
        "prefix",
        "user",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    scope = staticmethod(tokens_for_user)
    add_view_class = IssueTokenView
    delete_view_class = RevokeTokenView
    permission_policy = AuthenticationOnlyPermissionPolicy(ApiToken)


@hooks.register("register_admin_viewset")
def register_api_token_viewset() -> ApiTokenViewSet:
    return ApiTokenViewSet("api_tokens")


@hooks.register("register_log_actions")
def register_api_actions(actions: LogActionRegistry) -> None:
    actions.register_action("api.token.issue", _("Issue API token"), _("Token issued"))
    actions.register_action(
        "api.token.revoke", _("Revoke API token"), _("Token revoked")
    )
