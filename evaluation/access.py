"""The one door through which evaluation objects reach views.

The office of a campaign (director, deputy, comprehensive group) keeps its indicator
sets, inspection rounds and surveys; the leading group sees them and the results; an
inspector scores in the open rounds they are named in; a unit's head and liaison see
their own unit's scores once a round is published, and answer them.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from campaigns.models import Campaign
from campaigns.seats import (
    OFFICE,
    UNIT_WRITERS,
    campaigns_overseen_by,
    campaigns_where,
    holds,
    seats_of,
)
from evaluation.models import (
    Indicator,
    IndicatorSet,
    InspectionRound,
    InspectionScore,
    Question,
    RoundStatus,
    SetStatus,
    Survey,
    SurveyStatus,
)
from org.actors import Viewer, active_person
from org.models import Unit

__all__ = ["campaigns_overseen_by"]


def _active(user: Viewer) -> bool:
    return active_person(user) is not None


def _campaigns(user: Viewer, write: bool) -> QuerySet[Campaign]:
    # the office runs a campaign's evaluation, the leading group watches it
    return campaigns_where(user, OFFICE) if write else campaigns_overseen_by(user)


def indicator_sets_for_user(
    user: Viewer, *, write: bool = False
) -> QuerySet[IndicatorSet]:
    return IndicatorSet.objects.filter(campaign__in=_campaigns(user, write))


def indicators_for_user(user: Viewer, *, write: bool = False) -> QuerySet[Indicator]:
    """Indicators; only a draft set's may be changed (a set in force is fixed)."""
    indicators = Indicator.objects.filter(
        indicator_set__campaign__in=_campaigns(user, write)
    )
    if write:
        indicators = indicators.filter(indicator_set__status=SetStatus.DRAFT)
    return indicators


def draft_sets_for_user(user: Viewer, *, write: bool = True) -> QuerySet[IndicatorSet]:
    return indicator_sets_for_user(user, write=True).filter(status=SetStatus.DRAFT)


def rounds_for_user(user: Viewer, *, write: bool = False) -> QuerySet[InspectionRound]:
    """Rounds the person sees: their campaigns' (office, leading group), and those
    they inspect in; only the office changes them."""
    person = active_person(user)
    if person is None:
        return InspectionRound.objects.none()
    rounds = InspectionRound.objects.filter(
        indicator_set__campaign__in=_campaigns(person, write)
    )
    if write:
        return rounds
    return rounds | InspectionRound.objects.filter(inspectors=person)


def get_round_for_user(
    user: Viewer, pk: int, *, write: bool = False
) -> InspectionRound:
    found = rounds_for_user(user, write=write).filter(pk=pk).distinct().first()
    if found is None:
        raise Http404
    return found


def get_round_for_inspector(user: Viewer, pk: int) -> InspectionRound:
    """An open round the person is named an inspector in."""
    if not _active(user):
        raise Http404
    found = (
        InspectionRound.objects.filter(pk=pk, status=RoundStatus.OPEN)
        .filter(Q(inspectors=user) | Q(pk__in=_superuser_rounds(user)))
        .distinct()
        .first()
    )
    if found is None:
        raise Http404
    return found


def _superuser_rounds(user: Viewer) -> QuerySet[InspectionRound]:
    if user.is_superuser:
        return InspectionRound.objects.all()
    return InspectionRound.objects.none()


def is_inspector(user: Viewer, inspection_round: InspectionRound) -> bool:
    person = active_person(user)
    return person is not None and (
        person.is_superuser or inspection_round.inspectors.filter(pk=person.pk).exists()
    )


def answerable_units(user: Viewer) -> set[int]:
    """The units whose scores the person answers, as their head or liaison."""
    return seats_of(user).unit_ids(UNIT_WRITERS)


def unit_scores_for_user(user: Viewer) -> QuerySet[InspectionScore]:
    """Published scores of the units whose head or liaison the person is."""
    if not _active(user):
        return InspectionScore.objects.none()
    return InspectionScore.objects.filter(
        inspection_round__status=RoundStatus.PUBLISHED, unit__in=answerable_units(user)
    )


def scores_for_user(user: Viewer) -> QuerySet[InspectionScore]:
    """Every score a person may read: their campaigns' (office, leading group), an
    inspector's own rounds', and a unit's published ones."""
    if not _active(user):
        return InspectionScore.objects.none()
    rounds = rounds_for_user(user).values("pk")
    return InspectionScore.objects.filter(inspection_round__in=rounds) | (
        unit_scores_for_user(user)
    )


def get_score_for_user(user: Viewer, pk: int) -> InspectionScore:
    found = scores_for_user(user).filter(pk=pk).distinct().first()
    if found is None:
        raise Http404
    return found


def get_sheet_for_user(
    user: Viewer, pk: int, unit_pk: int
) -> tuple[IndicatorSet, Unit]:
    """An indicator set and one unit of its organisation, for the unit's score sheet:
    any unit's for those who see the set (office, leading group), their own unit's
    for its head and liaison once the set is in force."""
    found = indicator_sets_for_user(user).filter(pk=pk).first()
    if found is None and unit_pk in answerable_units(user):
        found = IndicatorSet.objects.filter(pk=pk, status=SetStatus.IN_FORCE).first()
    if found is None:
        raise Http404
    unit = Unit.objects.filter(
        pk=unit_pk, organisation=found.campaign.organisation_id
    ).first()
    if unit is None:
        raise Http404
    return found, unit


def is_unit_answerer(user: Viewer, score: InspectionScore) -> bool:
    return _active(user) and (
        user.is_superuser or seats_of(user).in_unit(score.unit_id, UNIT_WRITERS)
    )


def surveys_for_user(user: Viewer, *, write: bool = False) -> QuerySet[Survey]:
    return Survey.objects.filter(campaign__in=_campaigns(user, write))


def get_survey_for_user(user: Viewer, pk: int, *, write: bool = False) -> Survey:
    found = surveys_for_user(user, write=write).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def questions_for_user(user: Viewer, *, write: bool = False) -> QuerySet[Question]:
    """Questions; only a draft survey's may be changed (answers would not match)."""
    questions = Question.objects.filter(survey__campaign__in=_campaigns(user, write))
    if write:
        questions = questions.filter(survey__status=SurveyStatus.DRAFT)
    return questions


def draft_surveys_for_user(user: Viewer, *, write: bool = True) -> QuerySet[Survey]:
    return surveys_for_user(user, write=True).filter(status=SurveyStatus.DRAFT)


def get_survey_for_public(pk: int) -> Survey:
    """A survey anyone may open (the token, or the rate limit, guards the ballot)."""
    found = Survey.objects.filter(pk=pk).exclude(status=SurveyStatus.DRAFT).first()
    if found is None:
        raise Http404
    return found


def is_evaluation_office(user: Viewer, campaign: Campaign) -> bool:
    return holds(user, campaign, OFFICE)
