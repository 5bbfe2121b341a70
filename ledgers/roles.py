"""What each role may do in this app, handed to ``campaigns.roles.register_grants``
by the app's ``AppConfig.ready``.

The permissions open the ledger screens; ``ledgers.access`` scopes every row to the
person's campaign or unit, and ``ledgers.actions`` decides each step.
"""

from campaigns.roles import CampaignRole
from org.models import UnitRole

_MODELS = ("researchvisit", "problem", "practicaldeed")
VIEW_LEDGERS = frozenset(f"ledgers.view_{model}" for model in _MODELS)
KEEP_LEDGERS = VIEW_LEDGERS | frozenset(f"ledgers.add_{model}" for model in _MODELS)

GRANTS: dict[str, frozenset[str]] = {
    CampaignRole.LEADER: VIEW_LEDGERS,
    CampaignRole.DEPUTY_LEADER: VIEW_LEDGERS,
    CampaignRole.GROUP_MEMBER: VIEW_LEDGERS,
    CampaignRole.OFFICE_DIRECTOR: VIEW_LEDGERS,
    CampaignRole.OFFICE_DEPUTY_DIRECTOR: VIEW_LEDGERS,
    CampaignRole.COMPREHENSIVE: VIEW_LEDGERS,
    UnitRole.HEAD: KEEP_LEDGERS,
    UnitRole.LIAISON: KEEP_LEDGERS,
    UnitRole.STAFF: VIEW_LEDGERS,
}
