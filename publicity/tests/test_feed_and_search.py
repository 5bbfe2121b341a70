"""The column's Atom feed (and per category) and search across scripts."""

import datetime
import re

import feedparser
import pytest

from publicity.tests.conftest import publish_plain, write

pytestmark = pytest.mark.django_db

DAY = datetime.date(2007, 3, 28)


@pytest.fixture
def articles(world, column):
    publish_plain(column, "珠江委開展調研活動", on=DAY, category="activities")
    publish_plain(column, "水政處工作舉措", on=DAY, category="measures")
    write(world, column, title="未發佈的草稿")


def test_the_feed_lists_live_articles_only(client, column, articles):
    feed = feedparser.parse(client.get(f"/column/{column.pk}/feed/").content)
    assert not feed.bozo
    titles = {entry.title for entry in feed.entries}
    assert titles == {"珠江委开展调研活动", "水政处工作举措"}


def test_a_category_feed(client, column, articles):
    feed = feedparser.parse(client.get(f"/column/{column.pk}/feed/measures/").content)
    assert [entry.title for entry in feed.entries] == ["水政处工作举措"]
    assert client.get(f"/column/{column.pk}/feed/nonsense/").status_code == 404
    assert client.get("/column/999999/feed/").status_code == 404


@pytest.mark.parametrize("query", ["调研活动", "調研活動", "珠江委", "调研 珠江委"])
def test_search_finds_an_article_in_either_script(client, articles, query):
    response = client.get("/column/search/", {"q": query})
    hits = response.context["results"].hits
    assert [hit.title for hit in hits] == ["珠江委開展調研活動"]


def test_search_does_not_find_drafts_or_nonsense(client, articles):
    assert client.get("/column/search/", {"q": "草稿"}).context["results"].total == 0
    assert client.get("/column/search/", {"q": "！！"}).context["results"].total == 0
    assert client.get("/column/search/", {"q": "x" * 101}).status_code == 200


def test_the_feed_and_the_search_show_personal_data_masked(client, column):
    publish_plain(
        column, "陈志华先生来信致谢", on=DAY, summary="来信人电话13600001111。"
    )
    feed = client.get(f"/column/{column.pk}/feed/").content.decode()
    found = client.get("/column/search/", {"q": "来信致谢"}).content.decode()
    # the words found are marked: <mark>来信</mark>
    results = re.sub("</?mark>", "", found)
    for page in (feed, results):
        assert "陈**先生来信致谢" in page
        assert "136****1111" in page
        assert "13600001111" not in page
        assert "志华" not in page


def test_the_feed_links_to_the_host_it_was_asked_on(client, column, articles):
    feed = feedparser.parse(client.get(f"/column/{column.pk}/feed/").content)
    links = [entry.link for entry in feed.entries] + [feed.feed.link]
    assert all(link.startswith("http://testserver/") for link in links), links
    assert all("localhost" not in link for link in links)


def test_the_feed_dates_an_entry_by_the_articles_own_date(client, column, articles):
    feed = feedparser.parse(client.get(f"/column/{column.pk}/feed/").content)
    assert [entry.published[:10] for entry in feed.entries] == ["2007-03-28"] * 2
    assert feed.entries[0].published.endswith("+08:00")
