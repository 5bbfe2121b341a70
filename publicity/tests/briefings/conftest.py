"""A campaign column with published articles, for the briefing tests."""

import datetime
from typing import Any

import pytest

from conftest import World, shared_world
from publicity import actions as site_actions
from publicity.briefings import actions
from publicity.models import ArticlePage, BriefingPage, CampaignPage
from publicity.tests.conftest import make_picture as make_image

# Text in Chinese: the exports must draw these glyphs, not boxes.
ARTICLE_TITLES = ["珠江委深入基層調研", "水文局為群眾辦實事"]


@pytest.fixture(autouse=True)
def export_dir(settings: Any, tmp_path: Any) -> Any:
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"  # the files the worker made
    return settings.VAR_DIR


def make_column(world: World, slug: str) -> CampaignPage:
    home = site_actions.set_up_site(
        site_name="三服務", home_title="首頁", actor=world.superuser
    )
    section = site_actions.PartyWorkPage.objects.first() or site_actions.create_section(
        home, title="黨群工作網", slug="dangqun", actor=world.superuser
    )
    return site_actions.create_column(
        section, world.campaign, title="專欄", slug=slug, actor=world.superuser
    )


def add_article(
    column: CampaignPage, title: str, body: str, *, live: bool = True
) -> ArticlePage:
    article = column.add_child(
        instance=ArticlePage(
            title=title,
            source="中國水利網站",
            published_on=datetime.date(2007, 3, 28),
            body=body,
            live=live,
        )
    )
    revision = article.save_revision()
    if live:
        revision.publish()
    article.refresh_from_db()
    return article


@pytest.fixture
def column(world: World) -> CampaignPage:
    column: CampaignPage | None = shared_world.get("column")
    return column or make_column(world, "sanfu")


shared_world.offer("column", lambda world: make_column(world, "sanfu"), __file__)


@pytest.fixture
def other_column(world: World, other_world: World) -> CampaignPage:
    return make_column(other_world, "other")


@pytest.fixture
def articles(column: CampaignPage) -> list[ArticlePage]:
    image = make_image()
    return [
        add_article(
            column,
            ARTICLE_TITLES[0],
            "<p>為了<b>服務基層</b>，珠江委組織幹部深入基層。</p>"
            f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="現場"/>',
        ),
        add_article(column, ARTICLE_TITLES[1], "<p>水文局幫助群眾解決飲水困難。</p>"),
    ]


@pytest.fixture
def draft(world: World, column: CampaignPage, articles: list[ArticlePage]) -> Any:
    return actions.create_briefing(
        column,
        title="三服務一促進簡報",
        text="<p>本期編者按：各單位積極行動。</p>",
        articles=articles,
        actor=world.editor,
    )


def publish(page: BriefingPage, actor: Any) -> BriefingPage:
    page.refresh_from_db()
    return actions.publish_briefing(
        page, revision_id=page.latest_revision_id, actor=actor
    )


@pytest.fixture
def published(world: World, draft: BriefingPage) -> BriefingPage:
    return publish(draft, world.editor)
