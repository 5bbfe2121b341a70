from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "demands"
    verbose_name = _("Demands")

    def ready(self) -> None:
        from campaigns.copying import register
        from demands.copying import copy_settings

        register(copy_settings)
