"""The one door through which campaign objects reach views."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from campaigns.models import Campaign, Decision, MainTask, Meeting, Phase, Position
from campaigns.roles import roles_granting
from campaigns.seats import OFFICE, OVERSIGHT, UNIT_WRITERS, campaigns_where, seats_of
from org.actors import Viewer
from org.models import Organisation, Person, Unit


def roles_of(user: Viewer) -> set[str]:
    """Every role the person holds, from campaign positions and unit memberships."""
    return seats_of(user).roles


def campaigns_for_user(user: Viewer, *, perm: str | None = None) -> QuerySet[Campaign]:
    """Campaigns a person may see in the back office.

    Without ``perm``: those they hold a position in, and those of the organisation
    their unit belongs to. With ``perm``: only those where one of their positions
    carries that permission, so a role held in one campaign grants nothing in another.
    """
    if not user.is_authenticated or not user.is_active:
        return Campaign.objects.none()
    if user.is_superuser:
        return Campaign.objects.all()
    seats = seats_of(user)
    if perm is not None:
        return Campaign.objects.filter(id__in=seats.campaign_ids(roles_granting(perm)))
    return Campaign.objects.filter(id__in=seats.campaign_ids()) | (
        Campaign.objects.filter(organisation__in=seats.unit_organisation_ids())
    )


def campaign_rows_for_user(
    model: Any, user: Viewer, *, write: bool = False
) -> QuerySet[Any]:
    """Rows of a campaign-owned model (phases, tasks, bodies…) the person may reach.

    Writing needs a position in that very campaign whose role carries the model's
    change permission.
    """
    perm = f"campaigns.change_{model._meta.model_name}" if write else None
    campaigns = campaigns_for_user(user, perm=perm)
    if model is Position:
        return Position.objects.filter(body__campaign__in=campaigns)
    return model._default_manager.filter(campaign__in=campaigns)


def organisations_for_new_campaigns(
    user: Viewer, *, write: bool = True
) -> QuerySet[Organisation]:
    """Organisations in which the person may start a campaign: those of a campaign
    where their position carries ``campaigns.add_campaign`` (every one for a
    superuser)."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Organisation.objects.all()
    campaigns = campaigns_for_user(user, perm="campaigns.add_campaign")
    return Organisation.objects.filter(id__in=campaigns.values("organisation"))


def writable_unit_ids(user: Viewer) -> set[int]:
    """The units the person acts for (as head or liaison): they write its plan and
    report its action items done."""
    return seats_of(user).unit_ids(UNIT_WRITERS)


def decisions_for_user(user: Viewer, *, write: bool = False) -> QuerySet[Decision]:
    """Meetings' decisions (action items) a person may see: those of the campaigns
    they oversee, their unit's and their own (with ``write``: keep as the office)."""
    if not user.is_authenticated or not user.is_active:
        return Decision.objects.none()
    if user.is_superuser:
        return Decision.objects.all()
    office = Q(meeting__campaign__in=campaigns_where(user, OFFICE))
    if write:
        return Decision.objects.filter(office)
    return Decision.objects.filter(
        Q(meeting__campaign__in=campaigns_where(user, OVERSIGHT))
        | Q(owner_unit__in=writable_unit_ids(user))
        | Q(owner_person=user)
    )


def get_decision_for_user(user: Viewer, pk: int) -> Decision:
    decision = decisions_for_user(user).filter(pk=pk).first()
    if decision is None:
        raise Http404
    return decision


# -- what the office may pick in its forms (the back office's ``scoped_choices``) ------


def office_campaign_choices(user: Viewer, *, write: bool = True) -> QuerySet[Campaign]:
    return campaigns_where(user, OFFICE)


def office_unit_choices(user: Viewer, *, write: bool = True) -> QuerySet[Unit]:
    organisations = campaigns_where(user, OFFICE).values("organisation")
    return Unit.objects.filter(organisation__in=organisations)


def office_people_choices(user: Viewer, *, write: bool = True) -> QuerySet[Person]:
    """People of the organisations the user's office runs campaigns for."""
    campaigns = campaigns_where(user, OFFICE)
    return Person.objects.filter(
        Q(positions__body__campaign__in=campaigns)
        | Q(memberships__unit__in=office_unit_choices(user))
    ).distinct()


def office_phase_choices(user: Viewer, *, write: bool = True) -> QuerySet[Phase]:
    return Phase.objects.filter(campaign__in=campaigns_where(user, OFFICE))


def office_meeting_choices(user: Viewer, *, write: bool = True) -> QuerySet[Meeting]:
    return Meeting.objects.filter(campaign__in=campaigns_where(user, OFFICE))


def office_task_choices(user: Viewer, *, write: bool = True) -> QuerySet[MainTask]:
    return MainTask.objects.filter(campaign__in=campaigns_where(user, OFFICE))
