"""Every change to the evaluation: one function each (STYLE.md).

A survey ballot is the exception to "every change is audited": an audit entry would
carry the moment of the vote, which is what anonymity must not keep.
"""

import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import record
from campaigns.recipients import unit_people
from core.errors import Conflict
from core.locking import locked_in
from evaluation import access
from evaluation.models import (
    Answer,
    Indicator,
    IndicatorSet,
    InspectionRound,
    InspectionScore,
    Question,
    QuestionKind,
    Rating,
    RoundStatus,
    SetStatus,
    Source,
    Survey,
    SurveyMode,
    SurveyStatus,
    SurveyToken,
    hash_token,
)
from evaluation.weights import weight_errors
from files.evidence import CheckedUpload
from notify.actions import notify
from org.models import Person, Unit

MAX_TOKENS = 2000
# readable on paper: no 0/O or 1/I/L
TOKEN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TOKEN_LENGTH = 12


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# -- indicators ----------------------------------------------------------------------


@transaction.atomic
def put_in_force(indicator_set: IndicatorSet, *, actor: Person) -> IndicatorSet:
    """Fix the set once its weights add up; refused (nothing changes) otherwise."""
    _require(access.is_evaluation_office(actor, indicator_set.campaign))
    fresh = IndicatorSet.objects.select_for_update().get(pk=indicator_set.pk)
    if fresh.status != SetStatus.DRAFT:
        raise Conflict(_("The indicator set is already in force."))
    errors = weight_errors(fresh.indicators.all())
    if errors:
        raise ValidationError(errors)
    fresh.status = SetStatus.IN_FORCE
    fresh.in_force_at = timezone.now()
    fresh.save(update_fields=["status", "in_force_at"])
    record(fresh, "sanfu.indicators.in_force", actor=actor)
    return fresh


# -- inspection rounds ---------------------------------------------------------------


def _locked_round(inspection_round: InspectionRound, status: str) -> InspectionRound:
    return locked_in(
        inspection_round,
        (status,),
        changed=gettext_lazy("The round is now “%(status)s”."),
    )


@transaction.atomic
def score_unit(
    inspection_round: InspectionRound,
    unit: Unit,
    indicator: Indicator,
    *,
    score: Decimal,
    comment: str = "",
    evidence: CheckedUpload | None = None,
    actor: Person,
) -> InspectionScore:
    """An inspector's score of a unit on a manual indicator (a second score of the
    same unit and indicator replaces the first while the round is open)."""
    _require(access.is_inspector(actor, inspection_round))
    fresh = _locked_round(inspection_round, RoundStatus.OPEN)
    if not fresh.units.filter(pk=unit.pk).exists():
        raise ValidationError(_("This unit is not in the round's scope."))
    leaves = fresh.indicator_set.indicators.filter(children__isnull=True)
    if not leaves.filter(pk=indicator.pk, source=Source.MANUAL).exists():
        raise ValidationError(_("Only the set's manual indicators are scored here."))
    if score < 0 or score > indicator.max_score:
        raise ValidationError(
            _("The score must be between 0 and %(max)s.") % {"max": indicator.max_score}
        )
    row, _created = InspectionScore.objects.select_for_update().get_or_create(
        inspection_round=fresh,
        unit=unit,
        indicator=indicator,
        defaults={"score": score, "inspector": actor, "scored_at": timezone.now()},
    )
    row.score = score
    row.comment = comment
    row.inspector = actor
    row.scored_at = timezone.now()
    fields = ["score", "comment", "inspector", "scored_at"]
    if evidence is not None:
        row.evidence_extension = evidence.extension
        row.evidence.save(evidence.name, evidence.file, save=False)
        row.evidence_name = evidence.name
        fields += ["evidence", "evidence_name", "evidence_extension"]
    row.save(update_fields=fields)
    record(
        row,
        "sanfu.inspection.score",
        actor=actor,
        data={"unit": unit.name, "indicator": indicator.name, "score": str(score)},
    )
    return row


def _link(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@transaction.atomic
def publish_round(
    inspection_round: InspectionRound, *, actor: Person
) -> InspectionRound:
    """Show the round's scores to the units scored, and tell their heads and
    liaisons."""
    _require(
        access.is_evaluation_office(actor, inspection_round.indicator_set.campaign)
    )
    fresh = _locked_round(inspection_round, RoundStatus.OPEN)
    fresh.status = RoundStatus.PUBLISHED
    fresh.published_at = timezone.now()
    fresh.save(update_fields=["status", "published_at"])
    record(fresh, "sanfu.inspection.publish", actor=actor)
    unit_ids = list(fresh.scores.values_list("unit_id", flat=True).distinct())
    people = [
        pk
        for unit_id in unit_ids
        for pk in unit_people(unit_id).values_list("pk", flat=True)
    ]
    message = gettext_lazy("The scores of the inspection round were published.")
    link = _link("evaluation_admin:my_scores")
    transaction.on_commit(lambda: notify(people, message, link))
    return fresh


@transaction.atomic
def answer_score(
    score: InspectionScore, *, answer: str, actor: Person
) -> InspectionScore:
    """A unit's one answer to a published score."""
    _require(access.is_unit_answerer(actor, score))
    fresh = InspectionScore.objects.select_for_update().get(pk=score.pk)
    if fresh.inspection_round.status != RoundStatus.PUBLISHED:
        raise PermissionDenied
    if fresh.answered_at is not None:
        raise Conflict(_("This score has already been answered."))
    if not answer.strip():
        raise ValidationError(_("The answer is empty."))
    fresh.answer = answer.strip()
    fresh.answered_by = actor
    fresh.answered_at = timezone.now()
    fresh.save(update_fields=["answer", "answered_by", "answered_at"])
    record(fresh, "sanfu.inspection.answer", actor=actor)
    return fresh


# -- surveys -------------------------------------------------------------------------


def _locked_survey(survey: Survey, *allowed: str) -> Survey:
    return locked_in(
        survey, allowed, changed=gettext_lazy("The survey is now “%(status)s”.")
    )


@transaction.atomic
def open_survey(survey: Survey, *, actor: Person) -> Survey:
    _require(access.is_evaluation_office(actor, survey.campaign))
    fresh = _locked_survey(survey, SurveyStatus.DRAFT)
    if not fresh.questions.exists():
        raise ValidationError(_("The survey has no questions."))
    if (
        fresh.questions.filter(kind=QuestionKind.RATING).exists()
        and not fresh.units.exists()
    ):
        raise ValidationError(_("The survey rates units but names none."))
    fresh.status = SurveyStatus.OPEN
    fresh.save(update_fields=["status"])
    record(fresh, "sanfu.survey.open", actor=actor)
    return fresh


@transaction.atomic
def close_survey(survey: Survey, *, actor: Person) -> Survey:
    _require(access.is_evaluation_office(actor, survey.campaign))
    fresh = _locked_survey(survey, SurveyStatus.OPEN)
    fresh.status = SurveyStatus.CLOSED
    fresh.save(update_fields=["status"])
    record(fresh, "sanfu.survey.close", actor=actor)
    return fresh


def new_token() -> str:
    code = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, TOKEN_LENGTH, 4))


@transaction.atomic
def issue_tokens(survey: Survey, count: int, *, actor: Person) -> list[str]:
    """``count`` new one-use tokens; they are returned once, to be printed, and only
    their hashes are kept."""
    _require(access.is_evaluation_office(actor, survey.campaign))
    fresh = _locked_survey(survey, SurveyStatus.DRAFT, SurveyStatus.OPEN)
    if fresh.mode != SurveyMode.TOKENS:
        raise ValidationError(_("An open survey takes no tokens."))
    if not 1 <= count <= MAX_TOKENS:
        raise ValidationError(
            _("Issue between 1 and %(max)d tokens at a time.") % {"max": MAX_TOKENS}
        )
    tokens = [new_token() for _ in range(count)]
    SurveyToken.objects.bulk_create(
        SurveyToken(survey=fresh, token_hash=hash_token(token)) for token in tokens
    )
    record(fresh, "sanfu.survey.tokens", actor=actor, data={"count": count})
    return tokens


@dataclass(frozen=True)
class Given:
    """One answer as submitted: a rating of a unit, a choice or a text."""

    question: Question
    unit: Unit | None = None
    rating: str = ""
    choice: str = ""
    text: str = ""


def is_closed(survey: Survey) -> bool:
    return survey.status != SurveyStatus.OPEN or (
        survey.closes_at is not None and timezone.now() >= survey.closes_at
    )


def _check_given(survey: Survey, given: list[Given]) -> None:
    units = set(survey.units.values_list("pk", flat=True))
    questions = {question.pk: question for question in survey.questions.all()}
    seen: set[tuple[int, int | None]] = set()
    for item in given:
        question = questions.get(item.question.pk)
        if question is None:
            raise ValidationError(_("An answer is to a question of another survey."))
        key = (question.pk, item.unit.pk if item.unit else None)
        if key in seen:
            raise ValidationError(_("A question was answered twice."))
        seen.add(key)
        if question.kind == QuestionKind.RATING:
            if item.unit is None or item.unit.pk not in units:
                raise ValidationError(
                    _("A rating is of a unit the survey is not about.")
                )
            if item.rating not in Rating.values:
                raise ValidationError(_("A rating is not one of the scale's."))
        elif (
            question.kind == QuestionKind.CHOICE and item.choice not in question.choices
        ):
            raise ValidationError(_("A choice is not one of the question's."))
    for question in questions.values():
        if not question.required:
            continue
        wanted = units if question.kind == QuestionKind.RATING else {None}
        for unit_id in wanted:
            if (question.pk, unit_id) not in seen:
                raise ValidationError(
                    _("Please answer “%(question)s”.") % {"question": question.text}
                )


@transaction.atomic
def submit_ballot(survey: Survey, given: list[Given], *, token: str = "") -> None:
    """Store one ballot: refused (nothing stored) once the survey is closed, or with
    a token that is unknown or used. The token is marked used, and the answers are
    stored with a random ballot id and no time, so they cannot be traced to it."""
    fresh = Survey.objects.select_for_update().get(pk=survey.pk)
    if is_closed(fresh):
        raise ValidationError(_("The survey is closed."), code="closed")
    _check_given(fresh, given)
    if fresh.mode == SurveyMode.TOKENS:
        ticket = (
            SurveyToken.objects.select_for_update()
            .filter(survey=fresh, token_hash=hash_token(token or ""), used=False)
            .first()
        )
        if ticket is None:
            raise ValidationError(
                _("This token is not valid or has already been used."),
                code="token",
            )
        ticket.used = True
        ticket.save(update_fields=["used"])
    ballot = uuid.uuid4()
    Answer.objects.bulk_create(
        Answer(
            ballot=ballot,
            survey=fresh,
            question=item.question,
            unit=item.unit,
            rating=item.rating,
            choice=item.choice,
            text=item.text,
        )
        for item in given
    )
