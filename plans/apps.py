from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans and schedule")

    def ready(self) -> None:
        from audit.actions import register_actions
        from campaigns.roles import register_grants
        from plans.audit_actions import ACTIONS
        from plans.roles import GRANTS

        register_grants("plans", GRANTS)
        register_actions(ACTIONS)
