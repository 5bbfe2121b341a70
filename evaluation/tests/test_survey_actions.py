"""Surveys: a token admits one ballot, and nothing links a ballot to its token."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from evaluation import actions
from evaluation.models import (
    Answer,
    Audience,
    SurveyMode,
    SurveyStatus,
    SurveyToken,
    hash_token,
)
from evaluation.tests.factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def ballot(evaluation, world, rating="satisfied"):
    return [
        actions.Given(evaluation.rating, world.unit_a, rating=rating),
        actions.Given(evaluation.rating, world.unit_b, rating="basically"),
        actions.Given(evaluation.remark, text="希望多下基層"),
    ]


def test_tokens_are_kept_only_as_hashes(world, evaluation):
    tokens = actions.issue_tokens(evaluation.survey, 5, actor=world.clerk)
    assert len(set(tokens)) == 5
    stored = set(SurveyToken.objects.values_list("token_hash", flat=True))
    assert stored == {hash_token(token) for token in tokens}
    assert not any(token in hashed for token in tokens for hashed in stored)


def test_a_token_admits_one_ballot_only(world, evaluation):
    token = actions.issue_tokens(evaluation.survey, 1, actor=world.clerk)[0]
    actions.submit_ballot(evaluation.survey, ballot(evaluation, world), token=token)
    assert Answer.objects.count() == 3
    with pytest.raises(ValidationError, match="already been used"):
        actions.submit_ballot(
            evaluation.survey, ballot(evaluation, world, "unsatisfied"), token=token
        )
    assert Answer.objects.count() == 3
    assert not Answer.objects.filter(rating="unsatisfied").exists()


def test_a_token_is_read_in_any_case_and_spacing(world, evaluation):
    token = actions.issue_tokens(evaluation.survey, 1, actor=world.clerk)[0]
    actions.submit_ballot(
        evaluation.survey,
        ballot(evaluation, world),
        token=token.lower().replace("-", " "),
    )
    assert SurveyToken.objects.get().used


def test_an_unknown_token_or_none_is_refused(world, evaluation):
    actions.issue_tokens(evaluation.survey, 1, actor=world.clerk)
    for token in ["AAAA-BBBB-CCCC", ""]:
        with pytest.raises(ValidationError):
            actions.submit_ballot(
                evaluation.survey, ballot(evaluation, world), token=token
            )
    assert not Answer.objects.exists()


def test_another_surveys_token_is_refused(world, evaluation):
    other = SurveyFactory.create(campaign=world.campaign)
    token = actions.issue_tokens(other, 1, actor=world.clerk)[0]
    with pytest.raises(ValidationError):
        actions.submit_ballot(evaluation.survey, ballot(evaluation, world), token=token)
    assert not Answer.objects.exists()


def test_answers_cannot_be_traced_to_their_token(world, evaluation):
    tokens = actions.issue_tokens(evaluation.survey, 2, actor=world.clerk)
    for token in tokens:
        actions.submit_ballot(evaluation.survey, ballot(evaluation, world), token=token)
    # no column of the answers' table refers to a token or holds a time
    columns = {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), Answer._meta.db_table
        )
    }
    assert columns == {
        "id",
        "ballot",
        "survey_id",
        "question_id",
        "unit_id",
        "rating",
        "choice",
        "text",
    }
    token_columns = {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), SurveyToken._meta.db_table
        )
    }
    assert token_columns == {"id", "survey_id", "token_hash", "used"}
    # ballot ids are random, not derived from the tokens
    ballots = set(Answer.objects.values_list("ballot", flat=True))
    assert len(ballots) == 2
    assert not {str(b) for b in ballots} & {hash_token(t) for t in tokens}


def test_a_ballot_after_the_survey_closed_is_refused(world, evaluation):
    token = actions.issue_tokens(evaluation.survey, 1, actor=world.clerk)[0]
    actions.close_survey(evaluation.survey, actor=world.clerk)
    with pytest.raises(ValidationError, match="closed"):
        actions.submit_ballot(evaluation.survey, ballot(evaluation, world), token=token)
    assert not Answer.objects.exists()
    assert not SurveyToken.objects.get().used


def test_a_ballot_after_the_closing_time_is_refused(world, evaluation):
    token = actions.issue_tokens(evaluation.survey, 1, actor=world.clerk)[0]
    evaluation.survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    evaluation.survey.save()
    with pytest.raises(ValidationError, match="closed"):
        actions.submit_ballot(evaluation.survey, ballot(evaluation, world), token=token)
    assert not Answer.objects.exists()


def test_a_ballot_missing_a_units_rating_is_refused(world, evaluation):
    token = actions.issue_tokens(evaluation.survey, 1, actor=world.clerk)[0]
    given = [actions.Given(evaluation.rating, world.unit_a, rating="satisfied")]
    with pytest.raises(ValidationError, match="Please answer"):
        actions.submit_ballot(evaluation.survey, given, token=token)
    assert not SurveyToken.objects.get().used


def test_a_choice_outside_the_options_is_refused(world, evaluation):
    question = QuestionFactory.create(
        survey=evaluation.survey, kind="choice", choices=["是", "否"]
    )
    token = actions.issue_tokens(evaluation.survey, 1, actor=world.clerk)[0]
    given = [*ballot(evaluation, world), actions.Given(question, choice="也許")]
    with pytest.raises(ValidationError, match="choice"):
        actions.submit_ballot(evaluation.survey, given, token=token)
    assert not Answer.objects.exists()


def test_an_open_public_survey_takes_ballots_without_tokens(world):
    survey = SurveyFactory.create(
        campaign=world.campaign,
        audience=Audience.PUBLIC,
        mode=SurveyMode.OPEN,
        status=SurveyStatus.OPEN,
    )
    question = QuestionFactory.create(survey=survey, kind="text")
    actions.submit_ballot(survey, [actions.Given(question, text="好")])
    assert Answer.objects.get().text == "好"
    with pytest.raises(ValidationError, match="no tokens"):
        actions.issue_tokens(survey, 3, actor=world.clerk)


def test_it_refuses_too_many_tokens(world, evaluation):
    with pytest.raises(ValidationError):
        actions.issue_tokens(
            evaluation.survey, actions.MAX_TOKENS + 1, actor=world.clerk
        )
    assert not SurveyToken.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "editor", "liaison_a", "outsider"])
def test_only_the_office_issues_tokens_and_closes(world, evaluation, persona):
    actor = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        actions.issue_tokens(evaluation.survey, 1, actor=actor)
    with pytest.raises(PermissionDenied):
        actions.close_survey(evaluation.survey, actor=actor)
    assert not SurveyToken.objects.exists()


def test_a_survey_opens_only_with_questions(world):
    survey = SurveyFactory.create(campaign=world.campaign)
    with pytest.raises(ValidationError, match="no questions"):
        actions.open_survey(survey, actor=world.clerk)
    QuestionFactory.create(survey=survey, kind="text")
    assert actions.open_survey(survey, actor=world.clerk).status == SurveyStatus.OPEN
