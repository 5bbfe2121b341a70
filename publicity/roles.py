"""What each role may do in this app, handed to ``campaigns.roles.register_grants``
by the app's ``AppConfig.ready``.

Page permissions are not granted here: submitters write through the column's own
screens (publicity.views.submissions), never Wagtail's page editor, so no role can
publish a page directly; the publicity group approves through the review workflow.
"""

from campaigns.roles import CampaignRole
from org.models import UnitRole

# The office keeps the list of sensitive words; publicity.access scopes it to the
# campaigns where the person holds an office position.
KEEP_WORDS = frozenset(
    f"publicity.{verb}_sensitiveword" for verb in ("add", "change", "delete", "view")
)
VIEW_STATS = frozenset({"publicity.view_submissionmonthstat"})
# A unit role's permission to reach the back office's submission screens.
SUBMIT = frozenset({"publicity.add_articlepage"})
REVIEW = frozenset({"publicity.change_articlepage"})
# Reaching the advanced models' screen: nominating units and the voting bodies.
MODELS = frozenset({"publicity.view_advancedmodelpage"})

GRANTS: dict[str, frozenset[str]] = {
    CampaignRole.LEADER: MODELS,
    CampaignRole.DEPUTY_LEADER: MODELS,
    CampaignRole.GROUP_MEMBER: MODELS,
    CampaignRole.OFFICE_DIRECTOR: KEEP_WORDS | VIEW_STATS | MODELS,
    CampaignRole.OFFICE_DEPUTY_DIRECTOR: KEEP_WORDS | VIEW_STATS | MODELS,
    CampaignRole.COMPREHENSIVE: KEEP_WORDS | VIEW_STATS,
    CampaignRole.PUBLICITY: KEEP_WORDS | VIEW_STATS | REVIEW | MODELS,
    UnitRole.HEAD: SUBMIT | MODELS,
    UnitRole.LIAISON: SUBMIT | MODELS,
    UnitRole.STAFF: SUBMIT,
}

# --- Briefings (簡報): the publicity group and the office director compile them ---
_COMPILE_BRIEFINGS = frozenset({"publicity.compile_briefing"})
for _role in (CampaignRole.PUBLICITY, CampaignRole.OFFICE_DIRECTOR):
    GRANTS[_role] = GRANTS.get(_role, frozenset()) | _COMPILE_BRIEFINGS
