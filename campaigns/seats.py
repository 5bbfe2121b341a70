"""What a person holds: their seats in campaign bodies and their places in units.

Every permission question starts here. A person's positions and memberships are
read once, in one query, and kept on the user object, which Django builds afresh
for each request; every ``access.py``, the API and the admin menus ask these seats
instead of querying positions themselves. A change to a position or membership
makes every kept copy stale, so a person who is given a seat during a request (or
a test) is read again.

The rule on inactive people is decided here once: an anonymous or inactive person
holds nothing. A superuser holds only their real seats; the accessors decide what
a superuser may do beyond them.

The role sets, each named once:

- ``OFFICE``: the office of a campaign (director, deputy, comprehensive group); it
  runs the campaign's demands, plans, ledgers and evaluation.
- ``APPROVERS``: the leader and deputy leader, who approve the work plan.
- ``LEADING_GROUP``: the approvers and the group's members.
- ``OVERSIGHT``: the leading group and the office, who see all of a campaign.
- ``PUBLICITY_DESK``: the office and the publicity group (宣傳組), who see the
  column's figures and keep the sensitive words.
- ``PUBLICITY_REVIEWERS``: the publicity group, who review the column's articles.
- ``VOTERS``: who see the advanced models of a campaign and run their procedure
  (put a model on public notice, award it): the leading group, the office's
  directors and the publicity group.
- ``BALLOT``: who cast a ballot on a nomination: the leading group (leader, deputy
  leaders, members), the body that decides who is honoured.
- ``OBJECTION_READERS``: who read objectors' names and phones, and answer and
  close the objections (the office's directors and the publicity group).
- ``UNIT_WRITERS``: a unit's head and liaison, who act for their unit.
- ``UNIT_MEMBERS``: everyone in a unit, staff included.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from campaigns.models import Campaign, Position
from campaigns.roles import CampaignRole
from org.actors import Viewer
from org.models import Membership, UnitRole

OFFICE: tuple[str, ...] = (
    CampaignRole.OFFICE_DIRECTOR,
    CampaignRole.OFFICE_DEPUTY_DIRECTOR,
    CampaignRole.COMPREHENSIVE,
)
APPROVERS: tuple[str, ...] = (CampaignRole.LEADER, CampaignRole.DEPUTY_LEADER)
LEADING_GROUP: tuple[str, ...] = (*APPROVERS, CampaignRole.GROUP_MEMBER)
OVERSIGHT: tuple[str, ...] = (*LEADING_GROUP, *OFFICE)
PUBLICITY_DESK: tuple[str, ...] = (*OFFICE, CampaignRole.PUBLICITY)
PUBLICITY_REVIEWERS: tuple[str, ...] = (CampaignRole.PUBLICITY,)
VOTERS: tuple[str, ...] = (
    *LEADING_GROUP,
    CampaignRole.OFFICE_DIRECTOR,
    CampaignRole.OFFICE_DEPUTY_DIRECTOR,
    CampaignRole.PUBLICITY,
)
BALLOT: tuple[str, ...] = LEADING_GROUP
OBJECTION_READERS: tuple[str, ...] = (
    CampaignRole.PUBLICITY,
    CampaignRole.OFFICE_DIRECTOR,
    CampaignRole.OFFICE_DEPUTY_DIRECTOR,
)
UNIT_WRITERS: tuple[str, ...] = (UnitRole.HEAD, UnitRole.LIAISON)
UNIT_MEMBERS: tuple[str, ...] = (*UNIT_WRITERS, UnitRole.STAFF)

_CAMPAIGN = "campaign"
_UNIT = "unit"


@dataclass(frozen=True)
class Seat:
    """One position (``kind`` campaign: ``place`` is the campaign) or one
    membership (``kind`` unit: ``place`` is the unit)."""

    kind: str
    role: str
    place: int
    organisation: int


@dataclass(frozen=True)
class Seats:
    seats: tuple[Seat, ...] = ()

    def _where(self, kind: str, roles: Iterable[str] | None) -> list[Seat]:
        wanted = None if roles is None else set(roles)
        return [
            seat
            for seat in self.seats
            if seat.kind == kind and (wanted is None or seat.role in wanted)
        ]

    @property
    def roles(self) -> set[str]:
        return {seat.role for seat in self.seats}

    def campaign_ids(self, roles: Iterable[str] | None = None) -> set[int]:
        """Campaigns where the person holds one of ``roles`` (any role if None)."""
        return {seat.place for seat in self._where(_CAMPAIGN, roles)}

    def unit_ids(self, roles: Iterable[str] | None = None) -> set[int]:
        """Units where the person holds one of ``roles`` (any role if None)."""
        return {seat.place for seat in self._where(_UNIT, roles)}

    def campaign_organisation_ids(self, roles: Iterable[str] | None = None) -> set[int]:
        """Organisations running a campaign where the person holds one of ``roles``."""
        return {seat.organisation for seat in self._where(_CAMPAIGN, roles)}

    def unit_organisation_ids(self, roles: Iterable[str] | None = None) -> set[int]:
        """Organisations of the units where the person holds one of ``roles``."""
        return {seat.organisation for seat in self._where(_UNIT, roles)}

    def in_campaign(self, campaign_id: int | None, roles: Iterable[str]) -> bool:
        return campaign_id is not None and campaign_id in self.campaign_ids(roles)

    def in_unit(self, unit_id: int | None, roles: Iterable[str]) -> bool:
        return unit_id is not None and unit_id in self.unit_ids(roles)


NO_SEATS = Seats()

# Bumped by every saved or deleted position and membership, so that seats kept on
# a user object before the change are read again.
_generation = 0
_CACHE = "_sanfu_seats"


@receiver(post_save, sender=Position)
@receiver(post_delete, sender=Position)
@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _seats_changed(**kwargs: Any) -> None:
    global _generation
    _generation += 1


def _read(person_id: int) -> Seats:
    positions = (
        Position.objects.filter(person_id=person_id)
        .order_by()
        .values_list(
            Value(_CAMPAIGN, output_field=CharField()),
            "role",
            "body__campaign_id",
            "body__campaign__organisation_id",
        )
    )
    memberships = (
        Membership.objects.filter(person_id=person_id)
        .order_by()
        .values_list(
            Value(_UNIT, output_field=CharField()),
            "role",
            "unit_id",
            "unit__organisation_id",
        )
    )
    return Seats(
        tuple(
            Seat(kind, role, place, organisation)
            for kind, role, place, organisation in positions.union(
                memberships, all=True
            )
        )
    )


def seats_of(user: Viewer) -> Seats:
    """The person's seats, read once and kept on ``user`` until a seat changes."""
    if not user.is_authenticated or not user.is_active:
        return NO_SEATS
    kept = getattr(user, _CACHE, None)
    if kept is not None and kept[0] == _generation:
        return kept[1]
    generation = _generation
    seats = _read(user.pk)
    setattr(user, _CACHE, (generation, seats))
    return seats


def campaigns_where(user: Viewer, roles: Iterable[str]) -> QuerySet[Campaign]:
    """Campaigns in which the person holds one of ``roles`` (all for a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return Campaign.objects.none()
    if user.is_superuser:
        return Campaign.objects.all()
    return Campaign.objects.filter(id__in=seats_of(user).campaign_ids(roles))


def holds(user: Viewer, campaign: Campaign | int, roles: Iterable[str]) -> bool:
    """Whether the person holds one of ``roles`` in ``campaign`` (a campaign or its
    id; a superuser does)."""
    if not user.is_authenticated or not user.is_active:
        return False
    campaign_id = campaign if isinstance(campaign, int) else campaign.pk
    return bool(user.is_superuser) or seats_of(user).in_campaign(campaign_id, roles)


def holds_somewhere(user: Viewer, roles: Iterable[str]) -> bool:
    """Whether ``campaigns_where(user, roles)`` has a campaign, from the seats
    alone for anyone but a superuser: the admin menu asks it on every page."""
    if user.is_authenticated and user.is_active and not user.is_superuser:
        return bool(seats_of(user).campaign_ids(roles))
    return campaigns_where(user, roles).exists()


def acts_for_unit(user: Viewer, unit_id: int | None) -> bool:
    """Whether the person may act for the unit as its head or liaison."""
    if unit_id is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or seats_of(user).in_unit(unit_id, UNIT_WRITERS)


def held_by(field: str, campaign_roles: Iterable[str], unit_roles: Iterable[str]) -> Q:
    """A condition on rows whose ``field`` is a person holding one of
    ``campaign_roles`` in some campaign or one of ``unit_roles`` in some unit."""
    seated = Position.objects.filter(role__in=campaign_roles).values("person")
    members = Membership.objects.filter(role__in=unit_roles).values("person")
    return Q(**{f"{field}__in": seated}) | Q(**{f"{field}__in": members})


def home_organisation(person_id: int) -> int | None:
    """The organisation a person works for: that of the first campaign they sit
    in, else that of their unit."""
    seat = (
        Position.objects.filter(person_id=person_id)
        .values_list("body__campaign__organisation", flat=True)
        .first()
    )
    if seat is not None:
        return int(seat)
    unit = (
        Membership.objects.filter(person_id=person_id)
        .values_list("unit__organisation", flat=True)
        .first()
    )
    return None if unit is None else int(unit)


def holders(campaign: Campaign | int, roles: Iterable[str]) -> QuerySet[Any]:
    """The active people holding one of ``roles`` in ``campaign`` (to tell them
    something, or to count who is to vote)."""
    from django.contrib.auth import get_user_model

    campaign_id = campaign if isinstance(campaign, int) else campaign.pk
    seated = Position.objects.filter(
        body__campaign_id=campaign_id, role__in=roles
    ).values("person")
    return get_user_model().objects.filter(pk__in=seated, is_active=True)


def unit_writers(unit_id: int) -> QuerySet[Any]:
    """The active people acting for a unit (its head and liaison)."""
    from django.contrib.auth import get_user_model

    members = Membership.objects.filter(unit_id=unit_id, role__in=UNIT_WRITERS)
    return get_user_model().objects.filter(
        pk__in=members.values("person"), is_active=True
    )


def campaigns_overseen_by(user: Viewer) -> QuerySet[Campaign]:
    """Campaigns whose figures a person may see: those where they sit in the leading
    group or the office (any campaign for a superuser)."""
    return campaigns_where(user, OVERSIGHT)
