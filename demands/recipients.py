"""Who is told about a demand: the office of its campaign, the head and liaison of
its handling unit."""

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from campaigns.models import Position
from campaigns.seats import LEADING_GROUP, OFFICE, UNIT_WRITERS
from demands.models import Demand
from org.models import Membership, Person, UnitRole


def office_people(campaign_id: int) -> QuerySet[Person]:
    """Everyone seated in an office role of the campaign."""
    return _seated(campaign_id, OFFICE)


def _seated(campaign_id: int, roles: tuple[str, ...]) -> QuerySet[Person]:
    seated = Position.objects.filter(
        body__campaign_id=campaign_id, role__in=roles
    ).values("person")
    return Person.objects.filter(pk__in=seated, is_active=True)


def leading_group_people(campaign_id: int) -> QuerySet[Person]:
    """The campaign's leader, deputy leaders and group members."""
    return _seated(campaign_id, LEADING_GROUP)


def _members(unit_id: int | None, roles: tuple[str, ...]) -> QuerySet[Person]:
    if unit_id is None:
        return Person.objects.none()
    members = Membership.objects.filter(unit_id=unit_id, role__in=roles).values(
        "person"
    )
    return Person.objects.filter(pk__in=members, is_active=True)


def unit_people(unit_id: int | None) -> QuerySet[Person]:
    """The head and liaison(s) of a unit (nobody for no unit)."""
    return _members(unit_id, UNIT_WRITERS)


def unit_heads(unit_id: int | None) -> QuerySet[Person]:
    """The head(s) of a unit (nobody for no unit)."""
    return _members(unit_id, (UnitRole.HEAD,))


def demand_link(demand: Demand) -> str:
    """Where a notice about the demand points: its back-office page, once the
    admin screens register ``demands_office:detail``."""
    try:
        return reverse("demands_office:detail", args=[demand.pk])
    except NoReverseMatch:
        return ""
