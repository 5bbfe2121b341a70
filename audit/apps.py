from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from audit import actions, changes, trail
        from core import viewsets

        trail.connect()
        changes.connect()
        viewsets.record_form_changes_with(actions.record_form_change)
