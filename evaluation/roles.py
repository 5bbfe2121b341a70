"""What each role may do in this app: merged into ``campaigns.roles.ROLE_PERMISSIONS``.

Only constants and the role names here: ``campaigns.roles`` imports this module.
"""

from campaigns.role_names import CampaignRole  # noqa: F401
from org.models import UnitRole  # noqa: F401

GRANTS: dict[str, frozenset[str]] = {}
