from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from campaigns.plan_roles import GRANTS
        from campaigns.roles import register_grants

        register_grants("plans", GRANTS)
