"""The one door through which the ledgers reach views.

A unit's people see their unit's rows, and its head and liaison change them; the
office of a campaign (director, deputy, comprehensive group) and its leading group
see every row of it, and the office verifies and publishes; the responsible person
and the reviewer of a rectification measure see its problem. The public sees only
published rows, through ``published_*``.
"""

from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from campaigns.models import Campaign
from campaigns.seats import OFFICE, OVERSIGHT, UNIT_WRITERS, campaigns_where, seats_of
from ledgers.models import (
    LookBack,
    PracticalDeed,
    Problem,
    ProblemQuerySet,
    RectificationMeasure,
    ResearchVisit,
)
from org.actors import Viewer
from org.models import Unit

M = TypeVar("M", bound=Model)


def _unit_ids(user: Viewer, *, write: bool) -> set[int]:
    return seats_of(user).unit_ids(UNIT_WRITERS if write else None)


def _scoped(model: type[M], user: Viewer, *, write: bool) -> QuerySet[M]:
    """Rows (with ``campaign`` and ``unit``) a person may see, or with ``write``
    change as their unit's head or liaison."""
    manager = model._default_manager
    if not user.is_authenticated or not user.is_active:
        return manager.none()
    if user.is_superuser:
        return manager.all()
    units = Q(unit_id__in=_unit_ids(user, write=write))
    if write:
        return manager.filter(units)
    return manager.filter(
        units | Q(campaign_id__in=seats_of(user).campaign_ids(OVERSIGHT))
    )


def visits_for_user(user: Viewer, *, write: bool = False) -> QuerySet[ResearchVisit]:
    return _scoped(ResearchVisit, user, write=write)


def problems_for_user(user: Viewer, *, write: bool = False) -> ProblemQuerySet:
    problems = _scoped(Problem, user, write=write)
    if write or not user.is_authenticated or not user.is_active:
        return problems  # type: ignore[return-value]
    theirs = RectificationMeasure.objects.filter(
        Q(owner=user) | Q(reviewer=user)
    ).values("problem_id")
    return Problem.objects.filter(Q(pk__in=problems.values("pk")) | Q(pk__in=theirs))


def deeds_for_user(user: Viewer, *, write: bool = False) -> QuerySet[PracticalDeed]:
    return _scoped(PracticalDeed, user, write=write)


def _get(queryset: QuerySet[M], pk: int) -> M:
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def get_visit_for_user(user: Viewer, pk: int, *, write: bool = False) -> ResearchVisit:
    return _get(visits_for_user(user, write=write), pk)


def get_problem_for_user(user: Viewer, pk: int, *, write: bool = False) -> Problem:
    return _get(problems_for_user(user, write=write), pk)


def get_deed_for_user(user: Viewer, pk: int, *, write: bool = False) -> PracticalDeed:
    return _get(deeds_for_user(user, write=write), pk)


def is_office(user: Viewer, campaign_id: int) -> bool:
    """The office of the campaign: it verifies, sends back and publishes."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or campaign_id in seats_of(user).campaign_ids(OFFICE))
    )


def is_unit_writer(user: Viewer, unit_id: int) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or unit_id in _unit_ids(user, write=True))
    )


def writable_units(user: Viewer) -> QuerySet[Unit]:
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=_unit_ids(user, write=True))


def ledger_campaigns(user: Viewer) -> QuerySet[Campaign]:
    """Campaigns whose ledgers a person keeps or oversees: those of their units'
    organisations and those they hold an oversight seat in."""
    if not user.is_authenticated or not user.is_active:
        return Campaign.objects.none()
    if user.is_superuser:
        return Campaign.objects.all()
    organisations = seats_of(user).unit_organisation_ids()
    return Campaign.objects.filter(
        Q(organisation__in=organisations)
        | Q(pk__in=seats_of(user).campaign_ids(OVERSIGHT))
    )


def published_deeds() -> QuerySet[PracticalDeed]:
    return PracticalDeed.objects.published()


def published_problems() -> ProblemQuerySet:
    return Problem.objects.published()


def look_backs_for_user(user: Viewer) -> QuerySet[LookBack]:
    """Look-backs of the campaigns a person oversees, and those re-checking a
    problem of their unit."""
    if not user.is_authenticated or not user.is_active:
        return LookBack.objects.none()
    if user.is_superuser:
        return LookBack.objects.all()
    units = _unit_ids(user, write=False)
    mine = LookBack.objects.filter(items__problem__unit_id__in=units).values("pk")
    return LookBack.objects.filter(
        Q(campaign_id__in=seats_of(user).campaign_ids(OVERSIGHT)) | Q(pk__in=mine)
    )


def get_look_back_for_user(user: Viewer, pk: int) -> LookBack:
    return _get(look_backs_for_user(user), pk)


def office_campaigns(user: Viewer) -> QuerySet[Campaign]:
    """Campaigns whose office the person sits in (or all, for a superuser)."""
    return campaigns_where(user, OFFICE)
