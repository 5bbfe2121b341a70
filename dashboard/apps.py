from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Leaders' cockpit")

    def ready(self) -> None:
        from dashboard import job_kinds  # noqa: F401  (registers the weekly report)
