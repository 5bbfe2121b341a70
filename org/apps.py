from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class OrgConfig(AppConfig):
    default = True  # the app's own, beside Wagtail's users app below
    name = "org"
    verbose_name = _("Organisation")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's people screens, with their changes audited (``org.user_admin``)."""

    user_viewset = "org.user_admin.UserViewSet"
