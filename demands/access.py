"""The one door through which demands reach views and the API.

The office of a campaign (director, deputy, comprehensive group) sees and dispatches
every demand of it; the leading group sees them; a unit's head and liaison handle the
demands dispatched to their unit, and read those their unit's research visits
raised, and nothing else; the public reaches one demand only
with its tracking number and query code.
"""

from django.db.models import Case, Q, QuerySet, Value, When
from django.http import Http404

from campaigns.seats import OFFICE, OVERSIGHT, UNIT_WRITERS, seats_of
from demands.models import (
    Demand,
    DemandQuerySet,
    Hotspot,
    ReminderNotice,
    ReturnVisit,
    ReturnVisitQuerySet,
    Supervision,
)
from org.actors import Viewer


def demands_for_user(user: Viewer, *, write: bool = False) -> QuerySet[Demand]:
    """Demands a person may see (with ``write``: act on as office or handling unit)."""
    if not user.is_authenticated or not user.is_active:
        return Demand.objects.none()
    if user.is_superuser:
        return Demand.objects.all()
    seats = seats_of(user)
    units = seats.unit_ids(UNIT_WRITERS)
    # The person's campaigns and units go into the demand query as literals: with
    # subqueries OR-ed together PostgreSQL scans the whole demand table instead of
    # walking the (campaign, submitted_at) index.
    visible = Q(campaign_id__in=seats.campaign_ids(OFFICE if write else OVERSIGHT))
    visible |= Q(unit_id__in=units)
    if not write:
        # the unit whose research visit raised a demand reads it (the office
        # dispatches it; its contact stays masked, see ``_contact_shown``)
        visible |= Q(raised_by_unit_id__in=units)
    return Demand.objects.filter(visible)


def _contact_shown(user: Viewer) -> Q:
    seats = seats_of(user)
    return Q(campaign_id__in=seats.campaign_ids(OFFICE)) | Q(
        unit_id__in=seats.unit_ids(UNIT_WRITERS)
    )


def with_contact_shown(demands: DemandQuerySet, user: Viewer) -> DemandQuerySet:
    """``demands`` with ``contact_shown``: whether the person reads the submitter and
    the free text as typed. The office of the demand's campaign and its handling
    unit do (they call the submitter back); everyone else who may see the demand,
    the leading group included, reads them masked (``Demand.shown_texts``). In the
    list's own query, so a page of rows costs no query more."""
    if user.is_superuser:
        return demands.annotate(contact_shown=Value(True))
    return demands.annotate(
        contact_shown=Case(
            When(_contact_shown(user), then=Value(True)), default=Value(False)
        )
    )


def sees_contact(user: Viewer, demand: Demand) -> bool:
    """For one demand already read: whether the person reads its submitter and
    free text as typed (the rule of ``with_contact_shown``)."""
    return is_office(user, demand) or is_handler(user, demand)


def is_office(user: Viewer, demand: Demand) -> bool:
    return user.is_superuser or seats_of(user).in_campaign(demand.campaign_id, OFFICE)


def is_handler(user: Viewer, demand: Demand) -> bool:
    """Whether the person may act for the unit the demand is dispatched to."""
    if demand.unit_id is None:
        return False
    return user.is_superuser or seats_of(user).in_unit(demand.unit_id, UNIT_WRITERS)


def get_demand_for_user(user: Viewer, pk: int, *, write: bool = False) -> Demand:
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


def return_visits_for_user(user: Viewer) -> ReturnVisitQuerySet:
    """Return visits (回訪) are the office's: those of the campaigns it runs."""
    if not user.is_authenticated or not user.is_active:
        return ReturnVisit.objects.none()
    if user.is_superuser:
        return ReturnVisit.objects.all()
    return ReturnVisit.objects.filter(
        demand__campaign__in=seats_of(user).campaign_ids(OFFICE)
    )


def notices_for_user(user: Viewer) -> QuerySet[ReminderNotice]:
    """Reminder notices and circulars: the office and the leading group see their
    campaign's, a unit's head and liaison those addressed to their unit."""
    if not user.is_authenticated or not user.is_active:
        return ReminderNotice.objects.none()
    if user.is_superuser:
        return ReminderNotice.objects.all()
    seats = seats_of(user)
    return ReminderNotice.objects.filter(
        Q(demand__campaign__in=seats.campaign_ids(OVERSIGHT))
        | Q(unit__in=seats.unit_ids(UNIT_WRITERS))
    )


def supervisions_for_user(user: Viewer) -> QuerySet[Supervision]:
    """Supervisions (督辦) are the office's: those of the campaigns it runs."""
    if not user.is_authenticated or not user.is_active:
        return Supervision.objects.none()
    if user.is_superuser:
        return Supervision.objects.all()
    return Supervision.objects.filter(
        demand__campaign__in=seats_of(user).campaign_ids(OFFICE)
    )


def hotspots_for_user(user: Viewer) -> QuerySet[Hotspot]:
    """Hotspots are read where the figures are: by the office and the leading group
    of their campaign (the office alone acts on them, ``ledgers.actions``)."""
    if not user.is_authenticated or not user.is_active:
        return Hotspot.objects.none()
    if user.is_superuser:
        return Hotspot.objects.all()
    return Hotspot.objects.filter(
        run__campaign_id__in=seats_of(user).campaign_ids(OVERSIGHT)
    )


def get_hotspot_for_user(user: Viewer, pk: int) -> Hotspot:
    hotspot = hotspots_for_user(user).filter(pk=pk).select_related("run").first()
    if hotspot is None:
        raise Http404
    return hotspot
