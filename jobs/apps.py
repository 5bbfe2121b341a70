from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from audit.actions import register_actions
        from jobs.audit_actions import ACTIONS

        register_actions(ACTIONS)
