"""What each role may do in this app, handed to ``campaigns.roles.register_grants``
by the app's ``AppConfig.ready``.

The office keeps indicator sets, rounds and surveys; the leading group reads them;
a unit's head and liaison read their published scores (``evaluation.access`` scopes
each to its campaign or unit).
"""

from campaigns.roles import CampaignRole
from org.models import UnitRole

_MODELS = ("indicatorset", "indicator", "inspectionround", "survey", "question")
VIEW = frozenset(f"evaluation.view_{model}" for model in _MODELS) | {
    "evaluation.view_inspectionscore"
}
RUN = VIEW | frozenset(
    f"evaluation.{verb}_{model}"
    for verb in ("add", "change", "delete")
    for model in _MODELS
)
UNIT = frozenset(
    {"evaluation.view_inspectionscore", "evaluation.answer_inspectionscore"}
)

GRANTS: dict[str, frozenset[str]] = {
    CampaignRole.LEADER: VIEW,
    CampaignRole.DEPUTY_LEADER: VIEW,
    CampaignRole.GROUP_MEMBER: VIEW,
    CampaignRole.OFFICE_DIRECTOR: RUN,
    CampaignRole.OFFICE_DEPUTY_DIRECTOR: RUN,
    CampaignRole.COMPREHENSIVE: RUN,
    UnitRole.HEAD: UNIT,
    UnitRole.LIAISON: UNIT,
}
