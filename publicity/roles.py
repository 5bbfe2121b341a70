"""What each role may do in this app: merged into ``campaigns.roles.ROLE_PERMISSIONS``.

Only constants and the role names here: ``campaigns.roles`` imports this module.
"""

from campaigns.role_names import CampaignRole
from org.models import UnitRole  # noqa: F401

GRANTS: dict[str, frozenset[str]] = {}

# --- Briefings (簡報): the publicity group and the office director compile them ---
_COMPILE_BRIEFINGS = frozenset({"publicity.compile_briefing"})
for _role in (CampaignRole.PUBLICITY, CampaignRole.OFFICE_DIRECTOR):
    GRANTS[_role] = GRANTS.get(_role, frozenset()) | _COMPILE_BRIEFINGS
