"""Roles and what they may do.

A position in a campaign body grants a campaign role; a membership in a unit grants a
unit role. Each role grants a set of Django permissions, which ``RoleBackend`` hands
to Django and Wagtail, so the admin's own checks and menus follow the roles. Unit
roles are further scoped to the person's own units by ``campaigns.org_access``.

The apps above this one say in their own ``roles.py`` what their models grant, and
hand it to ``register_grants`` from their ``AppConfig.ready``: this module imports
no app that builds on campaigns.
"""

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import UnitRole

__all__ = ["ROLE_PERMISSIONS", "CampaignRole", "register_grants"]


class CampaignRole(models.TextChoices):
    LEADER = "leader", _("Leader of the leading group")
    DEPUTY_LEADER = "deputy_leader", _("Deputy leader of the leading group")
    GROUP_MEMBER = "group_member", _("Member of the leading group")
    OFFICE_DIRECTOR = "office_director", _("Office director")
    OFFICE_DEPUTY_DIRECTOR = "office_deputy_director", _("Office deputy director")
    COMPREHENSIVE = "comprehensive", _("Comprehensive group")
    PUBLICITY = "publicity", _("Publicity group")


ADMIN_ACCESS = "wagtailadmin.access_admin"

_STRUCTURE_MODELS = ("campaign", "phase", "maintask", "requirement", "body", "position")
VIEW_CAMPAIGN = frozenset(
    {f"campaigns.view_{model}" for model in (*_STRUCTURE_MODELS, "meeting")}
    | {"org.view_organisation", "org.view_unit", "org.view_membership"}
)
EDIT_PLAN = frozenset(
    f"campaigns.{verb}_{model}"
    for verb in ("add", "change", "delete")
    for model in ("phase", "maintask", "requirement", "meeting", "decision")
)
# Meetings' decisions are action items: the leading group and the office see them
# all, a unit's head and liaison those given to their unit (campaigns.access).
VIEW_DECISIONS = frozenset({"campaigns.view_decision"})
# Starting a campaign (or copying one) is the office's, in its organisation.
EDIT_STRUCTURE = frozenset(
    {"campaigns.add_campaign", "campaigns.change_campaign"}
    | {
        f"campaigns.{verb}_{model}"
        for verb in ("add", "change", "delete")
        for model in ("body", "position")
    }
    | {
        f"org.{verb}_{model}"
        for verb in ("add", "change", "delete")
        for model in ("unit", "membership")
    }
)

# Demands: the leading group watches them, the office takes them in, keeps the
# dispatch catalogue and dispatches them; a unit's head and liaison handle their own
# (demands.access scopes each to its campaign or unit).
VIEW_DEMANDS = frozenset(
    {
        "demands.view_demand",
        "demands.view_category",
        "demands.view_area",
        "demands.view_deadlinerule",
    }
)
RUN_DEMANDS = (
    VIEW_DEMANDS
    | {"demands.add_demand"}
    | {
        f"demands.{verb}_{model}"
        for verb in ("add", "change", "delete")
        for model in ("category", "area", "deadlinerule")
    }
)
# The working-day calendar is one for every campaign: only an office director keeps it.
EDIT_CALENDAR = frozenset(
    f"org.{verb}_workdayoverride" for verb in ("add", "change", "delete", "view")
)
HANDLE_DEMANDS = frozenset({"demands.view_demand"})

_CORE_PERMISSIONS: dict[str, frozenset[str]] = {
    CampaignRole.LEADER: VIEW_CAMPAIGN | VIEW_DECISIONS | VIEW_DEMANDS,
    CampaignRole.DEPUTY_LEADER: VIEW_CAMPAIGN | VIEW_DECISIONS | VIEW_DEMANDS,
    CampaignRole.GROUP_MEMBER: VIEW_CAMPAIGN | VIEW_DECISIONS | VIEW_DEMANDS,
    CampaignRole.OFFICE_DIRECTOR: VIEW_CAMPAIGN
    | VIEW_DECISIONS
    | EDIT_PLAN
    | EDIT_STRUCTURE
    | RUN_DEMANDS
    | EDIT_CALENDAR,
    CampaignRole.OFFICE_DEPUTY_DIRECTOR: VIEW_CAMPAIGN
    | VIEW_DECISIONS
    | EDIT_PLAN
    | EDIT_STRUCTURE
    | RUN_DEMANDS,
    CampaignRole.COMPREHENSIVE: VIEW_CAMPAIGN
    | VIEW_DECISIONS
    | EDIT_PLAN
    | RUN_DEMANDS,
    CampaignRole.PUBLICITY: VIEW_CAMPAIGN,
    # A unit's name and kind are shown on public pages: the office changes units,
    # their own people do not.
    UnitRole.HEAD: frozenset({"org.view_unit", "org.view_membership"})
    | VIEW_DECISIONS
    | HANDLE_DEMANDS,
    UnitRole.LIAISON: frozenset({"org.view_unit", "org.view_membership"})
    | VIEW_DECISIONS
    | HANDLE_DEMANDS,
    UnitRole.STAFF: frozenset({"org.view_unit"}),
}


# What each app grants, by the app's label; "campaigns" holds the core grants.
_GRANTS: dict[str, Mapping[str, frozenset[str]]] = {"campaigns": _CORE_PERMISSIONS}
# Every role's permissions, all apps' grants merged; kept up to date in place, so
# that a module which imported it sees later registrations.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {}


def _merge() -> None:
    merged: dict[str, frozenset[str]] = {}
    for grant in _GRANTS.values():
        for role, perms in grant.items():
            merged[role] = merged.get(role, frozenset()) | perms
    ROLE_PERMISSIONS.clear()
    ROLE_PERMISSIONS.update(merged)


def register_grants(app: str, grants: Mapping[str, frozenset[str]]) -> None:
    """Add what ``app``'s models grant to each role (from the app's
    ``AppConfig.ready``); registering the same app again replaces its grants."""
    if app == "campaigns":
        raise ValueError("the core grants are not replaced")
    _GRANTS[app] = grants
    _merge()


_merge()


def permissions_for_roles(roles: set[str]) -> set[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    if granted:
        granted.add(ADMIN_ACCESS)
    return granted


def roles_granting(perm: str) -> list[str]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]
