"""The public pages: the site home and the campaign column, in both scripts."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

COLUMN = "/dangqun/sanfu-2007/"


@pytest.fixture
def demo(demo_once: None, db: None) -> None:
    """The demo (loaded once for the module: conftest's ``demo_once``)."""


def switch(client: Client, language: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302


def test_the_home_page_links_the_campaign_column(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert COLUMN in response.content.decode()


def test_the_campaign_page_shows_its_leaders_office_groups_and_tasks(client, demo):
    switch(client, "zh-hant")
    page = client.get(COLUMN).content.decode()
    for text in (
        "岳中明",
        "黃遠亮",
        "蔡尚途",
        "綜合組",
        "宣傳組",
        "服務基層",
        "服務群眾",
        "促進和諧",
        "促進發展",
    ):
        assert text in page, text


def test_simplified_is_the_default_script(client, demo):
    page = client.get(COLUMN).content.decode()
    assert "服务基层" in page
    assert "黄远亮" in page
    assert "服務基層" not in page


def test_the_script_choice_is_remembered(client, demo):
    switch(client, "zh-hant")
    assert "服務群眾" in client.get(COLUMN).content.decode()
    assert "服務基層" in client.get("/").content.decode()
    switch(client, "zh-hans")
    assert "服务群众" in client.get(COLUMN).content.decode()


def test_the_article_page_shows_the_cleaned_text(client, demo):
    page = client.get(COLUMN, {"month": "2007-03"}).content.decode()
    start = page.index('class="article-list"')
    link = page[start:].split('href="', 1)[1].split('"', 1)[0]
    article = client.get(link).content.decode()
    assert "岳中明" in article
    assert "(jī)" not in article
    assert "中国水利网站" in article


def test_an_unknown_page_is_not_found(client, demo):
    assert client.get("/dangqun/no-such-column/").status_code == 404


def test_every_public_page_links_the_demand_channel(client, demo):
    for url in ("/", COLUMN):
        page = client.get(url).content.decode()
        for link in ("/demands/new/", "/demands/track/", "/demands/replied/"):
            assert f'href="{link}"' in page, (url, link)
    assert client.get("/demands/")["Location"] == "/demands/new/"
