from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "ledgers"
    verbose_name = _("Ledgers")

    def ready(self) -> None:
        from audit.actions import register_actions
        from campaigns.roles import register_grants
        from ledgers import (
            job_kinds,  # noqa: F401  (registers the app's kinds of job)
            search,
        )
        from ledgers.audit_actions import ACTIONS
        from ledgers.roles import GRANTS

        register_grants("ledgers", GRANTS)
        register_actions(ACTIONS)
        search.register()
