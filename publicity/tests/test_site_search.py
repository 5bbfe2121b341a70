"""The site's one search: every kind of public content, in either script, with a
count, snippets and marked words, paged; nothing that is not public."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from campaigns.models import CampaignStatus
from ledgers.models import PracticalDeed, Problem, RectificationMeasure
from publicity.models import AdvancedModelPage, BriefingPage
from publicity.tests.conftest import publish_plain
from text import search as site_search

pytestmark = pytest.mark.django_db

URL = reverse("publicity:search")
DAY = datetime.date(2007, 3, 28)


def found(client, query, **params):
    response = client.get(URL, {"q": query, **params})
    assert response.status_code == 200
    return response


def kinds_and_titles(response):
    return [(hit.kind, hit.title) for hit in response.context["results"].hits]


@pytest.fixture
def briefing(world, column):
    page = BriefingPage(
        title="三服務一促進簡報",
        text="<p>本期報道堤防巡查與水庫安全。</p>",
        campaign=world.campaign,
        issue_number=3,
        live=True,
    )
    column.add_child(instance=page)
    return page


def add_model(world, column, *, stage="notice", nominee="張衛國"):
    page = AdvancedModelPage(
        title=f"先進個人{nominee}",
        nominee=nominee,
        nominating_unit=world.unit_a,
        deeds="<p>堅守水文測報一線，汛期堤防巡查不辭辛勞。</p>",
        stage=stage,
        notice_starts_at=timezone.now(),
        live=True,
    )
    column.add_child(instance=page)
    return page


def add_deed(world, *, published=True, title="為沿江村民修繕堤防步道"):
    return PracticalDeed.objects.create(
        campaign=world.campaign,
        unit=world.unit_a,
        title=title,
        deed_class="immediate",
        beneficiaries="沿江村民",
        target="年底前完成堤防步道修繕",
        deadline=DAY,
        is_published=published,
    )


def add_problem(world, *, published=True):
    problem = Problem.objects.create(
        campaign=world.campaign,
        unit=world.unit_a,
        source="self_inspection",
        description="堤防巡查記錄不全，整改不到位",
        is_published=published,
    )
    RectificationMeasure.objects.create(
        problem=problem,
        description="建立堤防巡查台賬，每週抽查",
        owner=world.liaison_a,
        reviewer=world.director,
        deadline=DAY,
    )
    return problem


@pytest.fixture
def everything(world, column, briefing):
    publish_plain(column, "珠江委開展堤防巡查", on=DAY, summary="汛前堤防巡查。")
    add_model(world, column)
    add_deed(world)
    add_problem(world)


@pytest.mark.parametrize("query", ["堤防", "堤防。"])
def test_one_search_finds_every_kind_of_public_content(client, everything, query):
    response = found(client, query)
    results = response.context["results"]
    assert sorted(hit.kind for hit in results.hits) == [
        "article",
        "briefing",
        "deed",
        "disclosure",
        "model",
    ]
    assert results.total == 5
    assert results.counts == dict.fromkeys(
        ["article", "briefing", "model", "deed", "disclosure"], 1
    )
    html = response.text
    # the page says which kind each hit is, and how many there are
    for kind in ("article", "briefing", "model", "deed", "disclosure"):
        assert f'data-kind="{kind}"' in html
    assert 'data-total="5"' in html


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("巡查", "article"),  # simplified and traditional are the same here
        ("简报", "briefing"),
        ("簡報", "briefing"),
        ("张卫国", "model"),
        ("張衛國", "model"),
        ("步道修缮", "deed"),
        ("步道修繕", "deed"),
        ("巡查台账", "disclosure"),
        ("巡查台賬", "disclosure"),
        ("开展", "article"),
        ("開展", "article"),
    ],
)
def test_a_query_in_either_script_finds_each_kind(client, everything, query, kind):
    results = found(client, query).context["results"]
    assert kind in {hit.kind for hit in results.hits}


def test_hits_carry_a_snippet_and_marked_words_as_written(client, everything):
    response = found(client, "步道修缮", kind="deed")
    [hit] = response.context["results"].hits
    # the deed is written in traditional script; the query was simplified
    assert str(hit.title_marked) == "為沿江村民<mark>修繕</mark>堤防<mark>步道</mark>"
    assert "<mark>" in str(hit.snippet)
    assert "<mark>" in response.text


def test_a_snippet_is_cut_around_the_first_word_and_escaped():
    text = "前" * 100 + "<b>堤防</b>" + "後" * 300
    snippet = str(site_search.snippet(text, ["堤防"]))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "&lt;b&gt;<mark>堤防</mark>&lt;/b&gt;" in snippet
    assert len(snippet) < 200


def test_a_kind_narrows_the_search_and_every_kind_is_still_counted(client, everything):
    results = found(client, "堤防", kind="deed").context["results"]
    assert [hit.kind for hit in results.hits] == ["deed"]
    assert results.total == 1
    assert results.counts["article"] == 1
    # an unknown kind is the whole search
    assert found(client, "堤防", kind="nonsense").context["results"].total == 5


def test_results_are_paged(client, world, column):
    for day in range(1, 24):
        publish_plain(column, f"堤防巡查第{day}次", on=DAY + datetime.timedelta(day))
    first = found(client, "堤防巡查").context["results"]
    assert (first.total, first.pages, len(first.hits)) == (23, 3, 10)
    assert first.hits[0].title == "堤防巡查第23次"
    third = found(client, "堤防巡查", page=3).context["results"]
    assert [hit.title for hit in third.hits] == [
        f"堤防巡查第{day}次" for day in (3, 2, 1)
    ]
    html = found(client, "堤防巡查", page=2).text
    assert 'rel="prev"' in html and 'rel="next"' in html
    # a page past the end shows nothing, not an error
    assert found(client, "堤防巡查", page=99).context["results"].hits == []


def test_nothing_that_is_not_public_is_found(client, world, column, briefing):
    publish_plain(column, "公開的堤防文章", on=DAY)
    draft = publish_plain(column, "未發佈的堤防草稿", on=DAY)
    draft.unpublish()
    private = publish_plain(column, "內部的堤防文章", on=DAY)
    PageViewRestriction.objects.create(
        page=Page.objects.get(pk=private.pk),
        restriction_type=PageViewRestriction.LOGIN,
    )
    BriefingPage.objects.filter(pk=briefing.pk).update(live=False)
    add_model(world, column, stage="nominated", nominee="李提名")
    add_model(world, column, stage="not_elected", nominee="王落選")
    add_deed(world, published=False, title="未公開的堤防實事")
    add_problem(world, published=False)
    response = found(client, "堤防")
    assert kinds_and_titles(response) == [("article", "公開的堤防文章")]
    assert response.context["results"].total == 1
    for query in ("李提名", "王落選", "未公開", "草稿", "內部"):
        assert found(client, query).context["results"].total == 0


def test_a_campaign_still_in_draft_shows_no_ledgers(client, world):
    add_deed(world)
    add_problem(world)
    world.campaign.status = CampaignStatus.DRAFT
    world.campaign.save(update_fields=["status"])
    assert found(client, "堤防").context["results"].total == 0


def test_the_people_responsible_are_neither_searched_nor_shown(client, world):
    add_problem(world)
    name = world.liaison_a.get_full_name()
    assert name
    assert found(client, name).context["results"].total == 0
    assert name not in found(client, "堤防").text


def test_searching_is_rate_limited(client, everything, monkeypatch):
    from publicity.views import public

    monkeypatch.setattr(public, "SEARCH_LIMIT", 2)
    assert found(client, "堤防").status_code == 200
    assert found(client, "堤防").status_code == 200
    assert client.get(URL, {"q": "堤防"}).status_code == 429
    # the empty form costs nothing and is not counted
    assert client.get(URL).status_code == 200
