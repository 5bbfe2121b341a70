"""A briefing's articles are found by a search, not listed as 200 numbered inputs;
the briefings list pages."""

import re

import pytest

from publicity.models import BriefingPage
from publicity.tests.briefings.conftest import add_article
from publicity.tests.briefings.test_admin_views import rich

pytestmark = pytest.mark.django_db


def _offered(html: str) -> list[str]:
    return re.findall(r'name="article_(\d+)"', html)


def test_the_chooser_offers_a_bounded_list_and_finds_in_either_script(
    login, world, column, articles, monkeypatch
):
    monkeypatch.setattr("publicity.briefings.admin_views.CANDIDATES", 3)
    extra = [add_article(column, f"第{n}期工作動態", "<p>文</p>") for n in range(5)]
    client = login(world.editor)
    new = f"/admin/briefings/new/{world.campaign.pk}/"
    assert len(_offered(client.get(new).content.decode())) == 3
    # 调研 in simplified finds 調研
    found = _offered(client.get(new, {"q": "深入基层调研"}).content.decode())
    assert found == [str(articles[0].pk)]
    response = client.post(
        new,
        {
            "title": "簡報",
            "text": rich("編者按"),
            f"article_{extra[0].pk}": "1",
            f"article_{articles[1].pk}": "2",
        },
    )
    assert response.status_code == 302
    page = BriefingPage.objects.get()
    assert [a.pk for a in page.chosen_articles()] == [extra[0].pk, articles[1].pk]
    # the chosen ones come first on the draft's page, whatever is searched
    html = client.get(f"/admin/briefings/{page.pk}/", {"q": "水文"}).content.decode()
    assert _offered(html)[:2] == [str(extra[0].pk), str(articles[1].pk)]


def test_an_article_of_another_column_posted_is_ignored(
    login, world, column, articles, other_world
):
    from publicity.tests.conftest import build_column

    elsewhere = add_article(build_column(other_world, "other"), "別處", "<p>文</p>")
    response = login(world.editor).post(
        f"/admin/briefings/new/{world.campaign.pk}/",
        {
            "title": "簡報",
            "text": rich("編者按"),
            f"article_{elsewhere.pk}": "1",
            f"article_{articles[0].pk}": "2",
        },
    )
    assert response.status_code == 302
    assert [a.pk for a in BriefingPage.objects.get().chosen_articles()] == [
        articles[0].pk
    ]


def test_the_briefings_list_pages(login, world, column, articles, monkeypatch):
    from publicity.briefings import actions

    monkeypatch.setattr("publicity.briefings.admin_views.BRIEFINGS_PER_PAGE", 2)
    for n in range(3):
        actions.create_briefing(
            column, title=f"簡報{n}", text="", articles=articles, actor=world.editor
        )
    client = login(world.editor)
    first = client.get("/admin/briefings/").content.decode()
    second = client.get("/admin/briefings/", {"p": 2}).content.decode()
    assert first.count("data-briefing=") == 2
    assert second.count("data-briefing=") == 1
    assert 'class="pagination"' in first


def test_the_briefings_list_filters_by_title_in_either_script(
    login, world, column, articles
):
    from publicity.briefings import actions

    for title in ("汛期專刊", "調研簡報"):
        actions.create_briefing(
            column, title=title, text="", articles=articles, actor=world.editor
        )
    client = login(world.editor)
    for query in ("汛期", "专刊"):
        found = client.get("/admin/briefings/", {"q": query}).content.decode()
        assert found.count("data-briefing=") == 1, query
        assert "汛期專刊" in found
        assert f'value="{query}"' in found
    # the pages keep the filter
    assert client.get("/admin/briefings/", {"q": "無此"}).status_code == 200
