"""This app's audit action names: registered by its ``AppConfig.ready``.

action name ("sanfu.<thing>.<verb>") → (label in the history filter, message shown in
the history), both translatable.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, tuple[Any, Any]] = {
    "sanfu.research_visit.record": (
        _("Record research visit"),
        _("Research visit recorded"),
    ),
    "sanfu.research_visit.import": (
        _("Import research visits"),
        _("Research visits imported from Excel"),
    ),
    "sanfu.research_visit.import_create": (
        _("Create research visit by import"),
        _("Research visit created from Excel rows"),
    ),
    "sanfu.research_visit.import_change": (
        _("Change research visit by import"),
        _("Research visit changed from Excel rows"),
    ),
    "sanfu.research_visit.to_demand": (
        _("Raise demand from finding"),
        _("A finding of the research visit became a demand"),
    ),
    "sanfu.problem.create": (_("Record problem"), _("Problem recorded")),
    "sanfu.problem.add_measure": (
        _("Add rectification measure"),
        _("Rectification measure added"),
    ),
    "sanfu.problem.progress": (
        _("Report progress"),
        _("Rectification progress reported"),
    ),
    "sanfu.problem.apply_closure": (
        _("Apply for closure"),
        _("Closure applied for (申請銷號)"),
    ),
    "sanfu.problem.confirm": (
        _("Confirm measure"),
        _("Measure confirmed by its reviewer"),
    ),
    "sanfu.problem.verify": (
        _("Verify problem"),
        _("Problem closed by the office (銷號)"),
    ),
    "sanfu.problem.return": (_("Send problem back"), _("Closure sent back")),
    "sanfu.problem.publish": (_("Publish problem"), _("Problem publication changed")),
    "sanfu.problem.import": (_("Import problems"), _("Problems imported from Excel")),
    "sanfu.problem.import_create": (
        _("Create problem by import"),
        _("Problem created from Excel rows"),
    ),
    "sanfu.problem.import_change": (
        _("Change problem by import"),
        _("Problem changed from Excel rows"),
    ),
    "sanfu.deed.create": (_("Record practical deed"), _("Practical deed recorded")),
    "sanfu.deed.from_hotspot": (
        _("Make hotspot a deed"),
        _("Practical deed made of a hotspot, linked to its demands"),
    ),
    "sanfu.problem.from_hotspot": (
        _("Make hotspot a problem"),
        _("Problem made of a hotspot, linked to its demands"),
    ),
    "sanfu.deed.progress": (_("Report deed progress"), _("Deed progress reported")),
    "sanfu.deed.verify": (_("Verify deed"), _("Deed verified by the office")),
    "sanfu.deed.return": (_("Send deed back"), _("Deed sent back by the office")),
    "sanfu.deed.publish": (_("Publish deed"), _("Deed publication changed")),
    "sanfu.deed.rate": (_("Rate deed"), _("Deed rated by the public")),
    "sanfu.deed.import": (_("Import deeds"), _("Deeds imported from Excel")),
    "sanfu.deed.import_create": (
        _("Create deed by import"),
        _("Practical deed created from an Excel row"),
    ),
    "sanfu.deed.import_change": (
        _("Change deed by import"),
        _("Practical deed changed from an Excel row"),
    ),
    "sanfu.look_back.start": (
        _("Start look-back"),
        _("Closed problems reopened for a re-check (回頭看)"),
    ),
    "sanfu.problem.recheck_answer": (
        _("Answer re-check"),
        _("The unit answered the re-check"),
    ),
    "sanfu.problem.recheck_pass": (
        _("Pass re-check"),
        _("The re-check passed; the problem is closed again"),
    ),
    "sanfu.problem.recheck_fail": (
        _("Fail re-check"),
        _("The re-check failed; the problem is back in rectification"),
    ),
}
