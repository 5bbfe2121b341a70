"""This app's audit action names: registered by its ``AppConfig.ready``.

action name ("sanfu.<thing>.<verb>") → (label in the history filter, message shown in
the history), both translatable.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, tuple[Any, Any]] = {
    "sanfu.workplan.draft": (_("Draft work plan"), _("Work plan version drafted")),
    "sanfu.workplan.submit": (
        _("Submit work plan"),
        _("Work plan version submitted to the leading group"),
    ),
    "sanfu.workplan.approve": (_("Approve work plan"), _("Work plan version approved")),
    "sanfu.workplan.return": (_("Return work plan"), _("Work plan version returned")),
    "sanfu.milestone.complete": (_("Complete milestone"), _("Milestone done")),
    "sanfu.unitplan.start": (_("Start unit plan"), _("Unit plan started")),
    "sanfu.unitplan.edit": (_("Edit unit plan"), _("Unit plan edited")),
    "sanfu.unitplan.measure": (
        _("Change unit plan measures"),
        _("Measure added to or removed from a unit plan"),
    ),
    "sanfu.unitplan.submit": (_("Submit unit plan"), _("Unit plan submitted")),
    "sanfu.unitplan.approve": (_("Approve unit plan"), _("Unit plan approved")),
    "sanfu.unitplan.return": (
        _("Return unit plan"),
        _("Unit plan returned with comments"),
    ),
}
