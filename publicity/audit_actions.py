"""This app's audit action names: registered by its ``AppConfig.ready``.

action name ("sanfu.<thing>.<verb>") → (label in the history filter, message shown in
the history), both translatable.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, tuple[Any, Any]] = {
    "sanfu.article.draft": (_("Write article"), _("Article draft written")),
    "sanfu.article.edit": (_("Edit article"), _("Article draft changed")),
    "sanfu.article.submit": (
        _("Submit article"),
        _("Article submitted to the publicity group"),
    ),
    "sanfu.article.resubmit": (
        _("Resubmit article"),
        _("Article resubmitted after changes were requested"),
    ),
    "sanfu.article.approve": (
        _("Approve article"),
        _("Article approved by the publicity group"),
    ),
    "sanfu.article.reject": (
        _("Reject article"),
        _("Article sent back to its unit with a comment"),
    ),
    "sanfu.article.finding_dismiss": (
        _("Dismiss confidentiality finding"),
        _("Confidentiality finding marked a false positive"),
    ),
    "sanfu.article.file_open": (
        _("Open article file"),
        _("Image or attachment of a submission opened by a reviewer"),
    ),
    "sanfu.model.nominate": (_("Nominate model"), _("Advanced model nominated")),
    "sanfu.model.ballot": (
        _("Cast ballot on model"),
        _("Ballot on the advanced model cast"),
    ),
    "sanfu.model.vote": (_("Vote on model"), _("Vote on the advanced model recorded")),
    "sanfu.model.objection_answer": (
        _("Answer objection"),
        _("Objection answered and closed"),
    ),
    "sanfu.model.notice": (
        _("Start public notice"),
        _("Advanced model put on public notice"),
    ),
    "sanfu.model.objection": (
        _("Object to model"),
        _("Objection filed during the public notice"),
    ),
    "sanfu.model.award": (_("Award model"), _("Advanced model awarded and published")),
    "sanfu.model.objection_contacts_view": (
        _("See objectors' contacts"),
        _("Names and phone numbers of the objections shown"),
    ),
    "sanfu.model.objection_erase": (
        _("Erase objector's contacts"),
        _("Objection's name and phone erased after the retention period"),
    ),
}
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
