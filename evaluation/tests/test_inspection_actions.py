from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import Conflict
from evaluation import actions
from evaluation.models import InspectionScore, RoundStatus
from files.evidence import check_upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%fake but starts right\n"


def score(evaluation, actor, value="8", unit=None, indicator=None, **kwargs):
    return actions.score_unit(
        evaluation.inspection_round,
        unit or actor_unit(evaluation),
        indicator or evaluation.plan,
        score=Decimal(value),
        actor=actor,
        **kwargs,
    )


def actor_unit(evaluation):
    return evaluation.inspection_round.units.order_by("path").first()


def test_an_inspector_scores_a_unit_with_a_comment_and_evidence(world, evaluation):
    evidence = check_upload(SimpleUploadedFile("檢查記錄.pdf", PDF, "application/pdf"))
    row = score(evaluation, world.clerk, "7.5", comment="方案完整", evidence=evidence)
    assert row.score == Decimal("7.5")
    assert row.evidence_name == "檢查記錄.pdf"
    assert row.evidence.name.endswith(".pdf")


def test_a_second_score_replaces_the_first_while_the_round_is_open(world, evaluation):
    score(evaluation, world.clerk, "5")
    score(evaluation, world.clerk, "6")
    assert list(InspectionScore.objects.values_list("score", flat=True)) == [
        Decimal("6")
    ]


@pytest.mark.parametrize("value", ["10.01", "-1"])
def test_it_refuses_a_score_outside_0_to_max_and_stores_nothing(
    world, evaluation, value
):
    with pytest.raises(ValidationError, match="between 0 and 10"):
        score(evaluation, world.clerk, value)
    assert not InspectionScore.objects.exists()


def test_it_refuses_an_automatic_indicator(world, evaluation):
    with pytest.raises(ValidationError, match="manual indicators"):
        score(evaluation, world.clerk, indicator=evaluation.replies)


def test_it_refuses_a_parent_indicator(world, evaluation):
    with pytest.raises(ValidationError, match="manual indicators"):
        score(evaluation, world.clerk, indicator=evaluation.work)


def test_it_refuses_a_unit_outside_the_round(world, other_world, evaluation):
    with pytest.raises(ValidationError, match="scope"):
        score(evaluation, world.clerk, unit=other_world.unit_a)


@pytest.mark.parametrize("persona", ["director", "leader", "liaison_a", "outsider"])
def test_only_a_named_inspector_scores(world, evaluation, persona):
    with pytest.raises(PermissionDenied):
        score(evaluation, getattr(world, persona))


def test_nobody_scores_a_published_round(world, evaluation):
    actions.publish_round(evaluation.inspection_round, actor=world.director)
    with pytest.raises(Conflict):
        score(evaluation, world.clerk)


@pytest.mark.parametrize("persona", ["leader", "clerk_of_other", "liaison_a"])
def test_only_the_office_publishes(world, other_world, evaluation, persona):
    actor = (
        other_world.clerk if persona == "clerk_of_other" else getattr(world, persona)
    )
    with pytest.raises(PermissionDenied):
        actions.publish_round(evaluation.inspection_round, actor=actor)
    evaluation.inspection_round.refresh_from_db()
    assert evaluation.inspection_round.status == RoundStatus.OPEN


def test_the_unit_answers_a_published_score_once(world, evaluation):
    row = score(evaluation, world.clerk, unit=world.unit_a)
    actions.publish_round(evaluation.inspection_round, actor=world.director)
    actions.answer_score(row, answer="已按要求補充材料", actor=world.head_a)
    row.refresh_from_db()
    assert row.answer == "已按要求補充材料"
    assert row.answered_by == world.head_a
    with pytest.raises(Conflict):
        actions.answer_score(row, answer="再次答覆", actor=world.liaison_a)
    row.refresh_from_db()
    assert row.answer == "已按要求補充材料"


def test_no_answer_before_publication(world, evaluation):
    row = score(evaluation, world.clerk, unit=world.unit_a)
    with pytest.raises(PermissionDenied):
        actions.answer_score(row, answer="答覆", actor=world.liaison_a)


@pytest.mark.parametrize("persona", ["liaison_b", "staff_a", "director", "outsider"])
def test_only_the_units_head_or_liaison_answers(world, evaluation, persona):
    row = score(evaluation, world.clerk, unit=world.unit_a)
    actions.publish_round(evaluation.inspection_round, actor=world.director)
    with pytest.raises(PermissionDenied):
        actions.answer_score(row, answer="答覆", actor=getattr(world, persona))
    row.refresh_from_db()
    assert row.answered_at is None
