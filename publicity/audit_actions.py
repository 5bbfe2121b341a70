"""This app's audit action names: merged into ``audit.actions.ACTIONS``.

action name ("sanfu.<thing>.<verb>") → (label in the history filter, message shown in
the history), both translatable.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, tuple[Any, Any]] = {}

# --- Briefings (簡報) and wall boards (版報) ---
ACTIONS.update(
    {
        "sanfu.briefing.create": (_("Compile briefing"), _("Briefing draft compiled")),
        "sanfu.briefing.edit": (_("Edit briefing"), _("Briefing draft edited")),
        "sanfu.briefing.publish": (_("Publish briefing"), _("Briefing published")),
        "sanfu.briefing.number": (
            _("Number briefing"),
            _("Briefing given its issue number"),
        ),
    }
)
