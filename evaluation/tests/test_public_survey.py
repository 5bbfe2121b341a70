"""The public ballot page."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from evaluation import actions
from evaluation.models import Answer, Audience, SurveyMode, SurveyStatus, SurveyToken
from evaluation.tests.factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def ballot(evaluation, world, token):
    q = evaluation.rating.pk
    return {
        "token": token,
        f"q{q}_u{world.unit_a.pk}": "satisfied",
        f"q{q}_u{world.unit_b.pk}": "unknown",
        f"q{evaluation.remark.pk}": "多下基層",
    }


def test_a_token_from_the_qr_link_fills_the_form(client, world, evaluation):
    url = reverse("evaluation:survey", args=[evaluation.survey.pk])
    page = client.get(url + "?t=ABCD-EFGH-JKMN")
    assert page.status_code == 200
    assert 'value="ABCD-EFGH-JKMN"' in page.content.decode()


def test_a_ballot_is_taken_once_per_token(client, world, evaluation, in_english):
    token = actions.issue_tokens(evaluation.survey, 1, actor=world.clerk)[0]
    url = reverse("evaluation:survey", args=[evaluation.survey.pk])
    first = client.post(url, ballot(evaluation, world, token))
    assert first.status_code == 302
    assert Answer.objects.count() == 3
    second = client.post(url, ballot(evaluation, world, token))
    assert second.status_code == 400
    assert "already been used" in second.content.decode()
    assert Answer.objects.count() == 3


def test_a_ballot_after_closing_is_refused(client, world, evaluation):
    token = actions.issue_tokens(evaluation.survey, 1, actor=world.clerk)[0]
    url = reverse("evaluation:survey", args=[evaluation.survey.pk])
    actions.close_survey(evaluation.survey, actor=world.clerk)
    response = client.post(url, ballot(evaluation, world, token))
    assert response.status_code == 200  # the closed page, nothing taken
    assert not Answer.objects.exists()
    assert not SurveyToken.objects.get().used


def test_a_draft_survey_is_not_found(client, world):
    survey = SurveyFactory.create(campaign=world.campaign)
    assert client.get(reverse("evaluation:survey", args=[survey.pk])).status_code == 404


def test_an_open_survey_is_rate_limited(client, world, settings):
    settings.SANFU_SURVEY_RATES = {"open": (2, 3600), "tokens": (30, 3600)}
    survey = SurveyFactory.create(
        campaign=world.campaign,
        audience=Audience.PUBLIC,
        mode=SurveyMode.OPEN,
        status=SurveyStatus.OPEN,
    )
    question = QuestionFactory.create(
        survey=survey, kind="choice", choices=["好", "差"]
    )
    url = reverse("evaluation:survey", args=[survey.pk])
    for _ in range(2):
        assert client.post(url, {f"q{question.pk}": "好"}).status_code == 302
    assert client.post(url, {f"q{question.pk}": "好"}).status_code == 429
    assert Answer.objects.count() == 2
