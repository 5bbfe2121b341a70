"""The one door through which organisations, units and memberships reach views."""

from django.db.models import QuerySet
from django.http import Http404

from campaigns.roles import roles_granting
from campaigns.seats import seats_of
from org.actors import Viewer
from org.models import Membership, Organisation, Unit


def organisations_for_user(
    user: Viewer, *, write: bool = False
) -> QuerySet[Organisation]:
    """Organisations a person belongs to; with ``write``, those whose units the
    person may add to (the office of one of its campaigns)."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    seats = seats_of(user)
    if write:
        return Organisation.objects.filter(
            id__in=seats.campaign_organisation_ids(roles_granting("org.add_unit"))
        )
    return Organisation.objects.filter(
        id__in=seats.campaign_organisation_ids() | seats.unit_organisation_ids()
    )


def units_for_user(user: Viewer, *, write: bool = False) -> QuerySet[Unit]:
    """Units a person may see (or, with ``write``, change).

    The office and the leading group see every unit of their organisation, and the
    office may change them; a unit's own people see only their own unit and do not
    change it (its name is public).
    """
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    seats = seats_of(user)
    if write:
        return Unit.objects.filter(
            organisation__in=seats.campaign_organisation_ids(
                roles_granting("org.change_unit")
            )
        )
    led = seats.campaign_organisation_ids()
    return Unit.objects.filter(organisation__in=led) | Unit.objects.filter(
        id__in=seats.unit_ids()
    )


def memberships_for_user(user: Viewer, *, write: bool = False) -> QuerySet[Membership]:
    """Memberships of the units a person may see; only the office changes them."""
    if write and not user.is_superuser:
        offices = seats_of(user).campaign_organisation_ids(
            roles_granting("org.change_membership")
        )
        return Membership.objects.filter(unit__organisation__in=offices)
    return Membership.objects.filter(unit__in=units_for_user(user))


def get_unit_for_user(user: Viewer, pk: int, *, write: bool = False) -> Unit:
    unit = units_for_user(user, write=write).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit
