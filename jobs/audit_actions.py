"""This app's audit action names: registered by its ``AppConfig.ready``."""

from typing import Any

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, tuple[Any, Any]] = {
    "sanfu.job.enqueue": (_("Start background job"), _("Background job queued")),
    "sanfu.job.finish": (_("Finish background job"), _("Background job done")),
    "sanfu.job.fail": (_("Fail background job"), _("Background job failed")),
    "sanfu.job.retry": (_("Retry background job"), _("Background job queued again")),
}
