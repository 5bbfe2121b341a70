from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import World
from ledgers.actions.deeds import publish_deed
from ledgers.actions.problems import (
    apply_for_closure,
    confirm_measure,
    publish_problem,
    verify_problem,
)
from ledgers.models import DeedRating, PracticalDeed, Problem, RectificationMeasure
from ledgers.tests.conftest import finish, make_deed, make_measure, make_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def _disclosure(world: World) -> str:
    return reverse("ledgers:disclosure", args=[world.campaign.slug])


def _deeds(world: World) -> str:
    return reverse("ledgers:deeds", args=[world.campaign.slug])


def test_the_public_sees_only_published_problems(
    world: World, client: Any, problem: Problem
) -> None:
    hidden = make_problem(world, description="未公開的問題")
    publish_problem(problem, published=True, actor=world.clerk)
    page = client.get(_disclosure(world)).content.decode()
    assert f'id="problem-{problem.pk}"' in page
    assert f'id="problem-{hidden.pk}"' not in page


def test_a_closed_problem_shows_closed_with_the_owner_masked(
    world: World, client: Any, problem: Problem, measure: RectificationMeasure
) -> None:
    world.staff_a.full_name = "李小明"
    world.staff_a.save()
    finish(world, measure)
    apply_for_closure(problem, actor=world.liaison_a)
    confirm_measure(measure, actor=world.head_a)
    verify_problem(problem, actor=world.clerk)
    publish_problem(problem, published=True, actor=world.clerk)
    page = client.get(_disclosure(world)).content.decode()
    assert 'data-status="closed"' in page
    assert "李**" in page
    assert "李小明" not in page


def test_the_public_sees_only_published_deeds(
    world: World, client: Any, deed: PracticalDeed
) -> None:
    hidden = make_deed(world, title="未公開的實事")
    publish_deed(deed, published=True, actor=world.clerk)
    page = client.get(_deeds(world)).content.decode()
    assert f'id="deed-{deed.pk}"' in page
    assert f'id="deed-{hidden.pk}"' not in page


def test_the_deeds_page_pages_by_key_with_constant_queries(
    world: World, client: Any, django_assert_num_queries: Any
) -> None:
    deeds = [make_deed(world) for _ in range(35)]
    for deed in deeds:
        publish_deed(deed, published=True, actor=world.clerk)
    newest, oldest = f'id="deed-{deeds[-1].pk}"', f'id="deed-{deeds[0].pk}"'
    first = client.get(_deeds(world))
    assert newest in first.content.decode()
    assert oldest not in first.content.decode()
    after = first.context["next_key"]
    with django_assert_num_queries(2):  # the campaign, the page of deeds
        second = client.get(_deeds(world), {"after": after})
    assert oldest in second.content.decode()
    assert newest not in second.content.decode()
    assert client.get(_deeds(world), {"after": "x'"}).status_code == 404


def test_one_rating_per_person_and_deed(
    world: World, client: Any, deed: PracticalDeed
) -> None:
    publish_deed(deed, published=True, actor=world.clerk)
    url = reverse("ledgers:rate", args=[world.campaign.slug, deed.pk])
    assert client.post(url, {"score": 3}).status_code == 302
    assert client.post(url, {"score": 1}).status_code == 302
    assert list(DeedRating.objects.values_list("score", flat=True)) == [3]
    client.cookies.clear()
    client.post(url, {"score": 1}, REMOTE_ADDR="198.51.100.4")
    assert DeedRating.objects.count() == 2


def test_an_unpublished_deed_cannot_be_rated(
    world: World, client: Any, deed: PracticalDeed
) -> None:
    url = reverse("ledgers:rate", args=[world.campaign.slug, deed.pk])
    assert client.post(url, {"score": 3}).status_code == 404
    assert client.get(url).status_code == 405
    assert not DeedRating.objects.exists()


def test_rating_is_rate_limited(world: World, client: Any, settings: Any) -> None:
    settings.SANFU_LEDGERS_RATE_LIMIT = (2, 600)
    deeds = [make_deed(world) for _ in range(3)]
    for deed in deeds:
        publish_deed(deed, published=True, actor=world.clerk)
    codes = [
        client.post(
            reverse("ledgers:rate", args=[world.campaign.slug, deed.pk]), {"score": 3}
        ).status_code
        for deed in deeds
    ]
    assert codes == [302, 302, 429]
    assert DeedRating.objects.count() == 2


def test_a_draft_campaign_has_no_public_pages(
    world: World, client: Any, problem: Problem
) -> None:
    world.campaign.status = "draft"
    world.campaign.save()
    assert client.get(_disclosure(world)).status_code == 404
    assert client.get(_deeds(world)).status_code == 404


def test_the_measure_card_turns_red_after_the_deadline(
    world: World, login: Any, problem: Problem
) -> None:
    make_measure(world, problem)  # due 2007-05-10, long past
    page = login(world.liaison_a).get(
        reverse("ledgers_admin:problem", args=[problem.pk])
    )
    assert 'data-card="red"' in page.content.decode()


def test_the_disclosure_shows_the_approved_plan_and_unit_progress_in_both_scripts(
    world: World, client: Any, problem: Problem, measure: RectificationMeasure
) -> None:
    from plans import actions as plan_actions

    draft = plan_actions.draft_work_plan(
        world.campaign, title="工作方案", body="<p>開展調研</p>", actor=world.clerk
    )
    unapproved = plan_actions.draft_work_plan(
        world.campaign, title="未批准的方案", body="<p>草稿</p>", actor=world.clerk
    )
    plan_actions.submit_work_plan(draft, actor=world.clerk)
    plan_actions.approve_work_plan(draft, actor=world.leader)
    finish(world, measure)
    apply_for_closure(problem, actor=world.liaison_a)
    confirm_measure(measure, actor=world.head_a)
    verify_problem(problem, actor=world.clerk)
    publish_problem(problem, published=True, actor=world.clerk)
    make_problem(world, description="另一問題", actor=world.liaison_a)
    other = Problem.objects.exclude(pk=problem.pk).get()
    publish_problem(other, published=True, actor=world.clerk)
    hant = client.get(_disclosure(world), HTTP_ACCEPT_LANGUAGE="zh-hant")
    hans = client.get(_disclosure(world), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'id="work-plan"' in hant.content.decode()
    assert "開展調研" in hant.content.decode()
    assert "开展调研" in hans.content.decode()
    assert "开展調研" not in hans.content.decode()
    assert unapproved.title not in hant.content.decode()
    assert "未批准" not in hans.content.decode()
    # progress by unit: two problems, one closed
    assert "<td>2</td><td>1</td><td>50%</td>" in hans.content.decode()


def test_the_disclosure_and_the_deeds_show_personal_data_masked(
    world: World, client: Any
) -> None:
    problem = make_problem(
        world, description="江南大道168号3栋2单元502室陈志华先生反映，电话13600001111"
    )
    publish_problem(problem, published=True, actor=world.clerk)
    deed = make_deed(world, title="为王小明女士13812345678修缮住房")
    publish_deed(deed, published=True, actor=world.clerk)
    disclosure = client.get(_disclosure(world)).content.decode()
    assert "江南大道168号*栋*单元***室陈**先生反映，电话136****1111" in disclosure
    deeds = client.get(_deeds(world)).content.decode()
    assert "为王**女士138****5678修缮住房" in deeds
    for page in (disclosure, deeds):
        assert "13600001111" not in page
        assert "13812345678" not in page
        assert "志华" not in page


def test_the_disclosure_shows_a_post_whole_as_the_one_responsible(
    world: World, client: Any, problem: Problem, measure: RectificationMeasure
) -> None:
    world.staff_a.full_name = "水政水資源處聯絡員"
    world.staff_a.save()
    publish_problem(problem, published=True, actor=world.clerk)
    page = client.get(_disclosure(world), HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert "水政水資源處聯絡員" in page.content.decode()
    assert "水*****" not in page.content.decode()


@pytest.mark.parametrize(
    ("language", "label", "wrong"),
    [
        ("zh-hans", "时限 2007-06-30", "经办人"),
        ("zh-hant", "時限 2007-06-30", "經辦人"),
        ("en", "deadline 2007-06-30", "by "),
    ],
)
def test_the_deeds_page_labels_the_deadline_as_a_deadline(
    world: World,
    client: Any,
    deed: PracticalDeed,
    language: str,
    label: str,
    wrong: str,
) -> None:
    publish_deed(deed, published=True, actor=world.clerk)
    response = client.get(_deeds(world), HTTP_ACCEPT_LANGUAGE=language)
    meta = response.content.decode().split('class="meta">')[2].split("</p>")[0]
    assert label in meta
    assert wrong not in meta
