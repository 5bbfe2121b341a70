"""What the work plan, the schedule and unit plans grant to each role, handed to
``campaigns.roles.register_grants`` by ``PlansConfig.ready``. The rows each role
reaches are narrowed to its campaign or unit by ``plans.access``."""

from campaigns.roles import CampaignRole
from org.models import UnitRole

_PLAN_MODELS = (
    "workplanversion",
    "responsibility",
    "milestone",
    "unitplan",
    "measure",
)
VIEW_PLANS = frozenset(f"plans.view_{model}" for model in _PLAN_MODELS)
# The office keeps the work plan, the division of duties and the schedule; unit
# plans change only through their own steps.
RUN_PLANS = VIEW_PLANS | frozenset(
    f"plans.{verb}_{model}"
    for verb in ("add", "change", "delete")
    for model in ("workplanversion", "responsibility", "milestone")
)
UNIT_PLANS = frozenset(
    {
        "plans.view_unitplan",
        "plans.view_measure",
        "plans.view_responsibility",
    }
)

GRANTS: dict[str, frozenset[str]] = {
    CampaignRole.LEADER: VIEW_PLANS,
    CampaignRole.DEPUTY_LEADER: VIEW_PLANS,
    CampaignRole.GROUP_MEMBER: VIEW_PLANS,
    CampaignRole.OFFICE_DIRECTOR: RUN_PLANS,
    CampaignRole.OFFICE_DEPUTY_DIRECTOR: RUN_PLANS,
    CampaignRole.COMPREHENSIVE: RUN_PLANS,
    UnitRole.HEAD: UNIT_PLANS,
    UnitRole.LIAISON: UNIT_PLANS,
}
