"""The evaluation's back-office screens: who may open each, and the steps."""

import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from demands import actions as demand_actions
from demands import rollup
from demands.models import Demand
from demands.tests.factories import submit_test_demand
from evaluation import actions
from evaluation.models import (
    Answer,
    InspectionScore,
    RoundStatus,
    SetStatus,
    SurveyToken,
)
from evaluation.tests.factories import (
    IndicatorFactory,
    IndicatorSetFactory,
    InspectionRoundFactory,
)
from text.script import to_simplified

pytestmark = pytest.mark.django_db


def urls(ev, world):
    """(name, url, method) of every admin screen of the app."""
    score = actions.score_unit(
        ev.inspection_round,
        world.unit_a,
        ev.plan,
        score=Decimal("8"),
        actor=world.clerk,
    )
    s, r, v = ev.indicator_set.pk, ev.inspection_round.pk, ev.survey.pk
    return [
        ("index", reverse("evaluation_admin:index"), "get"),
        ("set", reverse("evaluation_admin:set", args=[s]), "get"),
        ("in_force", reverse("evaluation_admin:in_force", args=[s]), "post"),
        ("ranking", reverse("evaluation_admin:ranking", args=[s]), "get"),
        ("ranking_export", reverse("evaluation_admin:ranking_export", args=[s]), "get"),
        ("sheet", reverse("evaluation_admin:sheet", args=[s, world.unit_a.pk]), "get"),
        (
            "circular",
            reverse("evaluation_admin:circular", args=[s]) + "?month=2007-06",
            "get",
        ),
        ("round", reverse("evaluation_admin:round", args=[r]), "get"),
        (
            "score_unit",
            reverse("evaluation_admin:score_unit", args=[r, world.unit_a.pk]),
            "get",
        ),
        ("publish", reverse("evaluation_admin:publish", args=[r]), "post"),
        ("answer", reverse("evaluation_admin:answer", args=[score.pk]), "post"),
        ("evidence", reverse("evaluation_admin:evidence", args=[score.pk]), "get"),
        ("survey", reverse("evaluation_admin:survey", args=[v]), "get"),
        ("survey_open", reverse("evaluation_admin:survey_open", args=[v]), "post"),
        ("survey_close", reverse("evaluation_admin:survey_close", args=[v]), "post"),
        ("tokens", reverse("evaluation_admin:tokens", args=[v]), "post"),
    ]


def test_anonymous_people_are_sent_to_log_in(client, world, evaluation):
    for name, url, method in urls(evaluation, world):
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert "/admin/login/" in response["Location"], name


@pytest.mark.parametrize("persona", ["outsider_of_other", "other_director"])
def test_another_campaigns_people_reach_nothing(
    login, world, other_world, evaluation, persona
):
    person = (
        other_world.director if persona == "other_director" else other_world.liaison_a
    )
    client = login(person)
    for name, url, method in urls(evaluation, world):
        if name == "index":
            continue
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404), name
    evaluation.inspection_round.refresh_from_db()
    assert evaluation.inspection_round.status == RoundStatus.OPEN
    assert not SurveyToken.objects.exists()


def test_a_units_staff_member_reaches_nothing(login, world, evaluation):
    client = login(world.staff_a)
    for name, url, method in urls(evaluation, world):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403, 404), name
        if response.status_code == 302:  # Wagtail: no admin access at all
            assert "/admin/login/" in response["Location"]


def test_the_leader_reads_but_takes_no_office_step(login, world, evaluation):
    client = login(world.leader)
    for name, url, method in urls(evaluation, world):
        response = getattr(client, method)(url)
        if name in {
            "index",
            "set",
            "ranking",
            "ranking_export",
            "sheet",
            "circular",
            "round",
            "survey",
            "evidence",
        }:
            assert response.status_code in (200, 404), name  # no evidence file: 404
        else:
            assert response.status_code in (403, 404), name
    evaluation.inspection_round.refresh_from_db()
    assert evaluation.inspection_round.status == RoundStatus.OPEN


def test_the_ranking_and_its_workbook(login, world, evaluation):
    actions.score_unit(
        evaluation.inspection_round,
        world.unit_b,
        evaluation.plan,
        score=Decimal("10"),
        actor=world.clerk,
    )
    actions.publish_round(evaluation.inspection_round, actor=world.director)
    world.unit_a.name = '=HYPERLINK("x")'
    world.unit_a.save()
    client = login(world.director)
    page = client.get(
        reverse("evaluation_admin:ranking", args=[evaluation.indicator_set.pk])
    )
    assert page.status_code == 200
    assert "40.00" in page.content.decode()
    export = client.get(
        reverse("evaluation_admin:ranking_export", args=[evaluation.indicator_set.pk])
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    # B: plan 10/10 (40 of 40), nothing else with a figure → 100, partial
    assert rows[1][:3] == (1, world.unit_b.name, 100)
    assert rows[1][-1] == "※"
    # A: no figure at all: no total, no rank (was 0.00)
    assert rows[2][:3] == (None, '=HYPERLINK("x")', None)
    assert rows[2][1] == '=HYPERLINK("x")'
    assert sheet.cell(row=3, column=2).data_type == "s"


def test_an_inspector_scores_through_the_screen(login, world, evaluation):
    client = login(world.clerk)
    url = reverse(
        "evaluation_admin:score_unit",
        args=[evaluation.inspection_round.pk, world.unit_a.pk],
    )
    assert client.get(url).status_code == 200
    pk = evaluation.plan.pk
    too_high = client.post(url, {"indicator": pk, f"i{pk}-score": "11"})
    assert too_high.status_code == 400
    assert not InspectionScore.objects.exists()
    bad_file = client.post(
        url,
        {
            "indicator": pk,
            f"i{pk}-score": "9",
            f"i{pk}-evidence": SimpleUploadedFile(
                "x.pdf", b"MZ not a pdf", "application/pdf"
            ),
        },
    )
    assert bad_file.status_code == 400
    assert not InspectionScore.objects.exists()
    done = client.post(
        url,
        {
            "indicator": pk,
            f"i{pk}-score": "9",
            f"i{pk}-comment": "好",
            f"i{pk}-evidence": SimpleUploadedFile(
                "記錄.pdf", b"%PDF-1.4 ok", "application/pdf"
            ),
        },
    )
    assert done.status_code == 302
    score = InspectionScore.objects.get()
    assert (score.score, score.comment, score.evidence_name) == (
        Decimal("9"),
        "好",
        "記錄.pdf",
    )
    # the evidence: the inspector and the office, not another unit
    evidence = reverse("evaluation_admin:evidence", args=[score.pk])
    download = client.get(evidence)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ok"
    assert login(world.liaison_b).get(evidence).status_code == 404


def test_the_unit_sees_and_answers_once_published(login, world, evaluation):
    score = actions.score_unit(
        evaluation.inspection_round,
        world.unit_a,
        evaluation.plan,
        score=Decimal("6"),
        comment="需改進",
        actor=world.clerk,
    )
    client = login(world.liaison_a)
    mine = reverse("evaluation_admin:my_scores")
    assert "需改進" not in client.get(mine).content.decode()
    answer = reverse("evaluation_admin:answer", args=[score.pk])
    assert client.post(answer, {"answer": "早了"}).status_code == 404
    actions.publish_round(evaluation.inspection_round, actor=world.director)
    assert "需改進" in client.get(mine).content.decode()
    client.post(answer, {"answer": "已整改"})
    client.post(answer, {"answer": "第二次"})
    score.refresh_from_db()
    assert score.answer == "已整改"
    assert login(world.liaison_b).post(answer, {"answer": "x"}).status_code == 404


def test_my_scores_is_refused_to_people_without_a_unit(login, world):
    assert (
        login(world.director).get(reverse("evaluation_admin:my_scores")).status_code
        == 403
    )


def test_a_set_whose_weights_do_not_add_up_stays_a_draft(login, world, in_english):
    indicator_set = IndicatorSetFactory.create(campaign=world.campaign)
    IndicatorFactory.create(indicator_set=indicator_set, weight=Decimal("90"))
    client = login(world.clerk)
    response = client.post(
        reverse("evaluation_admin:in_force", args=[indicator_set.pk]), follow=True
    )
    assert "add up to 90.00, not 100" in response.content.decode()
    indicator_set.refresh_from_db()
    assert indicator_set.status == SetStatus.DRAFT


def test_issuing_tokens_prints_them_with_qr_codes(login, world, evaluation):
    client = login(world.clerk)
    response = client.post(
        reverse("evaluation_admin:tokens", args=[evaluation.survey.pk]), {"count": 3}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<svg") == 3
    assert SurveyToken.objects.count() == 3
    assert "no-store" in response["Cache-Control"]


def test_the_survey_page_shows_results_per_unit(login, world, evaluation):
    token = actions.issue_tokens(evaluation.survey, 1, actor=world.clerk)[0]
    actions.submit_ballot(
        evaluation.survey,
        [
            actions.Given(evaluation.rating, world.unit_a, rating="satisfied"),
            actions.Given(evaluation.rating, world.unit_b, rating="unknown"),
        ],
        token=token,
    )
    page = login(world.leader).get(
        reverse("evaluation_admin:survey", args=[evaluation.survey.pk])
    )
    assert page.status_code == 200
    assert "100%" in page.content.decode()
    assert Answer.objects.count() == 2


def test_the_circular_is_a_docx_with_each_units_figures(login, world, evaluation):
    response = login(world.director).get(
        reverse("evaluation_admin:circular", args=[evaluation.indicator_set.pk])
        + "?month=2007-06"
    )
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2007年6月" in text
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    # in the reader's script (simplified)
    names = {to_simplified(world.unit_a.name), to_simplified(world.unit_b.name)}
    assert names <= cells


def test_a_units_head_and_liaison_read_their_own_units_sheet(login, world, evaluation):
    """Issue 6: a unit sees its scores once the round is published, on its detailed
    score sheet; another unit's sheet stays out of its sight (404), and so does a
    score of a round not yet published."""
    ev = evaluation
    published = actions.score_unit(
        ev.inspection_round,
        world.unit_a,
        ev.plan,
        score=Decimal("8"),
        comment="台賬齊全",
        actor=world.clerk,
    )
    actions.score_unit(
        ev.inspection_round,
        world.unit_b,
        ev.plan,
        score=Decimal("6"),
        comment="乙處台賬",
        actor=world.clerk,
    )
    actions.publish_round(ev.inspection_round, actor=world.director)
    actions.answer_score(published, answer="已整改", actor=world.liaison_a)
    unpublished = InspectionRoundFactory.create(
        indicator_set=ev.indicator_set,
        starts_on=ev.inspection_round.ends_on,
        ends_on=ev.inspection_round.ends_on,
    )
    unpublished.units.add(world.unit_a)
    actions.score_unit(
        unpublished,
        world.unit_a,
        ev.deeds,
        score=Decimal("3"),
        comment="尚未公布的評語",
        actor=world.superuser,
    )
    own = reverse("evaluation_admin:sheet", args=[ev.indicator_set.pk, world.unit_a.pk])
    other = reverse(
        "evaluation_admin:sheet", args=[ev.indicator_set.pk, world.unit_b.pk]
    )
    for person in (world.head_a, world.liaison_a):
        client = login(person)
        response = client.get(own)
        assert response.status_code == 200, person
        page = response.content.decode()
        assert "台賬齊全" in page and "已整改" in page
        assert "尚未公布的評語" not in page
        assert client.get(other).status_code == 404, person
    # the unit's scores screen leads to the sheet
    scores = login(world.liaison_a).get(reverse("evaluation_admin:my_scores"))
    assert f'href="{own}"' in scores.content.decode()
    assert login(world.liaison_b).get(own).status_code == 404
    assert login(world.staff_a).get(own).status_code in (302, 403, 404)


def test_the_cockpit_the_ranking_and_the_sheet_agree_on_the_period(
    login, world, evaluation, django_capture_on_commit_callbacks
):
    """The cockpit ranks its period (the last 30 days); the sheet and the ranking
    it links to score the same period, not all time (30.00 there, 82.50 here)."""
    with django_capture_on_commit_callbacks(execute=True):
        demand = submit_test_demand(world)
        demand_actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
        demand_actions.accept_demand(demand, actor=world.liaison_a)
    Demand.objects.filter(pk=demand.pk).update(
        reply_due=timezone.now() - datetime.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        demand.refresh_from_db()
        demand_actions.reply_demand(
            demand, reply="已疏通", solved=True, actor=world.liaison_a
        )
    # a late reply to a demand of last year, then the rollup recounted
    Demand.objects.filter(pk=demand.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=400)
    )
    rollup.rebuild(world.campaign.pk)
    # recent: one reply in time
    with django_capture_on_commit_callbacks(execute=True):
        recent = submit_test_demand(world)
        demand_actions.dispatch_demand(recent, world.unit_a, actor=world.clerk)
        demand_actions.accept_demand(recent, actor=world.liaison_a)
        demand_actions.reply_demand(
            recent, reply="已疏通", solved=True, actor=world.liaison_a
        )
    client = login(world.director)
    cockpit = client.get("/admin/cockpit/")
    row = next(r for r in cockpit.context["ranking"] if r.unit_id == world.unit_a.pk)
    page = cockpit.content.decode()
    sheet_path = reverse(
        "evaluation_admin:sheet", args=[evaluation.indicator_set.pk, world.unit_a.pk]
    )
    link = re.search(re.escape(sheet_path) + r'\?([^"]*)"', page)
    assert link is not None, "the cockpit links to the sheet with its period"
    query = html.unescape(link.group(1))
    assert "start=" in query and "end=" in query
    sheet = client.get(f"{sheet_path}?{query}")
    assert sheet.context["row"].total == row.total == Decimal("100.00")
    all_time = client.get(sheet_path)
    assert all_time.context["row"].total == Decimal("50.00")  # 1 of 2 in time
    ranking_path = reverse(
        "evaluation_admin:ranking", args=[evaluation.indicator_set.pk]
    )
    assert f"{ranking_path}?{query}" in html.unescape(page)
    ranking = client.get(f"{ranking_path}?{query}")
    ranked = ranking.context["result"].row_for(world.unit_a.pk)
    assert (ranked.total, ranked.rank) == (row.total, row.rank)


def test_publishing_the_scores_asks_first(login, world, evaluation, in_english):
    # the shared confirm.js asks the form's data-confirm question before it posts
    page = login(world.director).get(
        reverse("evaluation_admin:round", args=[evaluation.inspection_round.pk])
    )
    form = re.search(
        r'<form[^>]*action="{}"[^>]*>'.format(
            re.escape(
                reverse(
                    "evaluation_admin:publish", args=[evaluation.inspection_round.pk]
                )
            )
        ),
        page.content.decode(),
    )
    assert form is not None
    assert 'data-confirm="Publish the scores to the units?' in form.group(0)
