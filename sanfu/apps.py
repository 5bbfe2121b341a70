from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanfuConfig(AppConfig):
    """The project package: site-wide templates, catalogues and the demo loader."""

    name = "sanfu"
    verbose_name = _("Sanfu")
