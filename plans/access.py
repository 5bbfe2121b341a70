"""The one door through which the work plan, the schedule and unit plans reach
views (meetings' decisions, the action items, come through ``campaigns.access``).

The leading group and the office of a campaign see all of its plans; the office
(director, deputy, comprehensive group) keeps them and reviews unit plans; the
leader and deputy leader approve the work plan; a unit's head and liaison see and
edit their own unit's plan and see the responsibilities their unit leads or
co-operates on.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from campaigns.access import campaigns_for_user, writable_unit_ids
from campaigns.models import Campaign
from campaigns.seats import OFFICE, OVERSIGHT, campaigns_where
from org.actors import Viewer
from plans.models import Milestone, Responsibility, UnitPlan, WorkPlanVersion


def _active(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active)


# -- work plan and schedule -----------------------------------------------------------


def work_plan_versions_for_user(user: Viewer) -> QuerySet[WorkPlanVersion]:
    return WorkPlanVersion.objects.filter(campaign__in=campaigns_where(user, OVERSIGHT))


def get_work_plan_version_for_user(user: Viewer, pk: int) -> WorkPlanVersion:
    version = work_plan_versions_for_user(user).filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def schedule_campaigns_for_user(user: Viewer) -> QuerySet[Campaign]:
    """Campaigns whose timeline a person sees: everyone working in the campaign."""
    return campaigns_for_user(user)


def get_schedule_campaign_for_user(user: Viewer, pk: int) -> Campaign:
    campaign = schedule_campaigns_for_user(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def get_office_campaign_for_user(user: Viewer, pk: int) -> Campaign:
    campaign = campaigns_where(user, OFFICE).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def responsibilities_for_user(
    user: Viewer, *, write: bool = False
) -> QuerySet[Responsibility]:
    """Rows of the division of duties a person may see: those of the campaigns they
    oversee, and a unit's head and liaison those their unit leads or co-operates on
    (read only: with ``write``, the office's)."""
    roles = OFFICE if write else OVERSIGHT
    visible = Q(campaign__in=campaigns_where(user, roles))
    if not write and _active(user):
        units = writable_unit_ids(user)
        cooperating = Responsibility.cooperating_units.through.objects.filter(
            unit__in=units
        ).values("responsibility")
        visible |= Q(lead_unit__in=units) | Q(pk__in=cooperating)
    return Responsibility.objects.filter(visible)


def milestones_for_user(user: Viewer, *, write: bool = False) -> QuerySet[Milestone]:
    roles = OFFICE if write else OVERSIGHT
    return Milestone.objects.filter(phase__campaign__in=campaigns_where(user, roles))


# -- unit plans -----------------------------------------------------------------------


def unit_plans_for_user(user: Viewer, *, write: bool = False) -> QuerySet[UnitPlan]:
    """Unit plans a person may see; with ``write``, those of their own units (the
    plan's state decides further whether it may be edited)."""
    if not _active(user):
        return UnitPlan.objects.none()
    if user.is_superuser:
        return UnitPlan.objects.all()
    own = Q(unit__in=writable_unit_ids(user))
    if write:
        return UnitPlan.objects.filter(own)
    return UnitPlan.objects.filter(
        own | Q(campaign__in=campaigns_where(user, OVERSIGHT))
    )


def get_unit_plan_for_user(user: Viewer, pk: int, *, write: bool = False) -> UnitPlan:
    plan = unit_plans_for_user(user, write=write).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan
