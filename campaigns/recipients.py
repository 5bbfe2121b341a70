"""Who is told: the people seated in a campaign's office or leading group, the
head and liaison(s) of a unit (for demands, deeds, problems and inspections)."""

from django.db.models import QuerySet

from campaigns.models import Position
from campaigns.seats import LEADING_GROUP, OFFICE, UNIT_WRITERS
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
