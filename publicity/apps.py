from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = _("Publicity")

    def ready(self) -> None:
        from audit.actions import register_actions
        from campaigns.roles import register_grants
        from publicity import (
            job_kinds,  # noqa: F401  (registers the app's kinds of job)
            search,
            signals,
        )
        from publicity.audit_actions import ACTIONS
        from publicity.roles import GRANTS

        register_grants("publicity", GRANTS)
        register_actions(ACTIONS)
        signals.connect()
        search.register()
