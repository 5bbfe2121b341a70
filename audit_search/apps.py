from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditSearchConfig(AppConfig):
    """The office's search of the audit trail: above the apps whose campaigns and
    units it filters by, while ``audit`` (the recording) stays below them."""

    name = "audit_search"
    verbose_name = _("Audit trail search")
