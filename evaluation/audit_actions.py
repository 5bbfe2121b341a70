"""This app's audit action names: registered by its ``AppConfig.ready``.

action name ("sanfu.<thing>.<verb>") → (label in the history filter, message shown in
the history), both translatable. Survey ballots are not audited (anonymity).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, tuple[Any, Any]] = {
    "sanfu.indicators.in_force": (
        _("Put indicators in force"),
        _("Indicator set put in force"),
    ),
    "sanfu.inspection.score": (_("Score a unit"), _("Unit scored")),
    "sanfu.inspection.publish": (
        _("Publish an inspection round"),
        _("Inspection round published"),
    ),
    "sanfu.inspection.answer": (_("Answer a score"), _("Score answered")),
    "sanfu.survey.open": (_("Open a survey"), _("Survey opened")),
    "sanfu.survey.close": (_("Close a survey"), _("Survey closed")),
    "sanfu.survey.tokens": (_("Issue survey tokens"), _("Survey tokens issued")),
}
