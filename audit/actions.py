"""Writing the audit trail: Wagtail's log, under the project's own action names."""

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

# action name → (label in the history filter, message shown in the history)
ACTIONS: dict[str, tuple[Any, Any]] = {
    "sanfu.unit.create": (_("Create unit"), _("Unit created")),
    "sanfu.membership.add": (_("Add member"), _("Member added to unit")),
    "sanfu.campaign.create": (_("Create campaign"), _("Campaign created")),
    "sanfu.campaign.structure": (
        _("Set up campaign structure"),
        _("Phase, main task, requirement or body added"),
    ),
    "sanfu.position.appoint": (_("Appoint to position"), _("Appointed to position")),
    "sanfu.meeting.record": (_("Record meeting"), _("Meeting recorded")),
    "sanfu.article.import": (_("Import article"), _("Article imported")),
}


def record(
    instance: Model,
    action: str,
    *,
    actor: Any = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Write one audit entry; ``action`` must be one of ``ACTIONS`` or Wagtail's own."""
    if action.startswith("sanfu.") and action not in ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}")
    user = actor if actor is not None and actor.is_authenticated else None
    log(instance, action, user=user, data=data or {})
