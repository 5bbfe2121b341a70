"""The one door through which demands reach views and the API.

The office of a campaign (director, deputy, comprehensive group) sees and dispatches
every demand of it; the leading group sees them; a unit's head and liaison handle the
demands dispatched to their unit and nothing else; the public reaches one demand only
with its tracking number and query code.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404

from campaigns.models import Position
from campaigns.roles import UNIT_WRITE_ROLES, CampaignRole
from demands.models import (
    Demand,
    DemandQuerySet,
    ReminderNotice,
    ReturnVisit,
    ReturnVisitQuerySet,
)
from org.models import Membership

OFFICE_ROLES = (
    CampaignRole.OFFICE_DIRECTOR,
    CampaignRole.OFFICE_DEPUTY_DIRECTOR,
    CampaignRole.COMPREHENSIVE,
)
OVERSIGHT_ROLES = (
    CampaignRole.LEADER,
    CampaignRole.DEPUTY_LEADER,
    CampaignRole.GROUP_MEMBER,
    *OFFICE_ROLES,
)


def demands_for_user(user: Any, *, write: bool = False) -> QuerySet[Demand]:
    """Demands a person may see (with ``write``: act on as office or handling unit)."""
    if not user.is_authenticated or not user.is_active:
        return Demand.objects.none()
    if user.is_superuser:
        return Demand.objects.all()
    roles = OFFICE_ROLES if write else OVERSIGHT_ROLES
    # The person's campaigns and units are read first, in one query, and go into
    # the demand query as literals: with subqueries OR-ed together PostgreSQL scans
    # the whole demand table instead of walking the (campaign, submitted_at) index.
    campaign_ids: list[int] = []
    unit_ids: list[int] = []
    seats = (
        Position.objects.filter(person=user, role__in=roles)
        .order_by()
        .values_list("body__campaign_id", Value(0))
    )
    memberships = (
        Membership.objects.filter(person=user, role__in=UNIT_WRITE_ROLES)
        .order_by()
        .values_list(Value(0), "unit_id")
    )
    for campaign_id, unit_id in seats.union(memberships, all=True):
        if campaign_id:
            campaign_ids.append(campaign_id)
        if unit_id:
            unit_ids.append(unit_id)
    return Demand.objects.filter(
        Q(campaign_id__in=campaign_ids) | Q(unit_id__in=unit_ids)
    )


def with_contact_shown(demands: DemandQuerySet, user: Any) -> DemandQuerySet:
    """``demands`` with ``contact_shown``: whether the person reads the submitter and
    the free text as typed. The office of the demand's campaign and its handling
    unit do (they call the submitter back); everyone else who may see the demand,
    the leading group included, reads them masked (``Demand.shown_texts``). In the
    list's own query, so a page of rows costs no query more."""
    if user.is_superuser:
        return demands.annotate(contact_shown=Value(True))
    office = Position.objects.filter(
        person=user, role__in=OFFICE_ROLES, body__campaign_id=OuterRef("campaign_id")
    )
    unit = Membership.objects.filter(
        person=user, role__in=UNIT_WRITE_ROLES, unit_id=OuterRef("unit_id")
    )
    return demands.annotate(contact_shown=Exists(office) | Exists(unit))


def is_office(user: Any, demand: Demand) -> bool:
    return (
        user.is_superuser
        or Position.objects.filter(
            person=user, role__in=OFFICE_ROLES, body__campaign_id=demand.campaign_id
        ).exists()
    )


def is_handler(user: Any, demand: Demand) -> bool:
    """Whether the person may act for the unit the demand is dispatched to."""
    if demand.unit_id is None:
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(
            person=user, unit_id=demand.unit_id, role__in=UNIT_WRITE_ROLES
        ).exists()
    )


def get_demand_for_user(user: Any, pk: int, *, write: bool = False) -> Demand:
    demand = demands_for_user(user, write=write).filter(pk=pk).first()
    if demand is None:
        raise Http404
    return demand


def get_demand_for_public(tracking_no: str, query_code: str) -> Demand:
    """A demand by its number and code; a wrong code answers exactly like an unknown
    number, so numbers cannot be probed."""
    demand = Demand.objects.filter(tracking_no=tracking_no.strip().upper()).first()
    if demand is None or not demand.check_query_code(query_code):
        raise Http404
    return demand


def _office_campaigns(user: Any, roles: tuple[str, ...] = OFFICE_ROLES) -> QuerySet:
    return Position.objects.filter(person=user, role__in=roles).values("body__campaign")


def return_visits_for_user(user: Any) -> ReturnVisitQuerySet:
    """Return visits (回訪) are the office's: those of the campaigns it runs."""
    if not user.is_authenticated or not user.is_active:
        return ReturnVisit.objects.none()
    if user.is_superuser:
        return ReturnVisit.objects.all()
    return ReturnVisit.objects.filter(demand__campaign__in=_office_campaigns(user))


def notices_for_user(user: Any) -> QuerySet[ReminderNotice]:
    """Reminder notices and circulars: the office and the leading group see their
    campaign's, a unit's head and liaison those addressed to their unit."""
    if not user.is_authenticated or not user.is_active:
        return ReminderNotice.objects.none()
    if user.is_superuser:
        return ReminderNotice.objects.all()
    units = Membership.objects.filter(person=user, role__in=UNIT_WRITE_ROLES).values(
        "unit"
    )
    return ReminderNotice.objects.filter(
        Q(demand__campaign__in=_office_campaigns(user, OVERSIGHT_ROLES))
        | Q(unit__in=units)
    )
