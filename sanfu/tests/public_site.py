"""A public site with one of each kind of public page, for the crawl and the browser
tests: the column and its section, an article, a notice, an advanced model on
public notice, a briefing, a published deed and a published problem."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache

from conftest import World
from ledgers.actions.deeds import create_deed, publish_deed
from ledgers.actions.problems import create_problem, publish_problem
from ledgers.models import DeedClass, ProblemSource, Severity
from publicity.briefings import actions as briefing_actions
from publicity.models import (
    AdvancedModelPage,
    ArticlePage,
    BriefingPage,
    CampaignPage,
    HomePage,
)
from publicity.site_identity import SiteIdentity
from publicity.tests.conftest import build_column, model_on_notice, publish_plain

SITE_NAME = "珠江水利網站"
IDENTITY = {
    "site_name": SITE_NAME,
    "sponsor": "水利部珠江水利委員會",
    "organiser": "主題實踐活動辦公室",
    "postal_address": "廣州市天河區天壽路80號",
    "postcode": "510611",
    "telephone": "020-12345678",
    "email": "sanfu@example.org",
    "icp_number": "粵ICP備00000000號",
    "public_security_number": "粵公網安備 44010602000000號",
    "site_code": "bm39000000",
}


@dataclass
class PublicSite:
    home: HomePage
    column: CampaignPage
    article: ArticlePage
    notice: ArticlePage
    model: AdvancedModelPage
    briefing: BriefingPage


def build_public_site(world: World) -> PublicSite:
    # no page an earlier test left in the page cache (its version restarts with
    # the database)
    cache.clear()
    SiteIdentity.objects.create(**IDENTITY)
    column = build_column(world)
    article = publish_plain(column, "珠江委開展調研活動", on=datetime.date(2007, 3, 28))
    notice = publish_plain(
        column,
        "關於開展民主測評的通知",
        on=datetime.date(2007, 4, 2),
        category="notices",
    )
    model = model_on_notice(world, column)
    draft = briefing_actions.create_briefing(
        column,
        title="三服務一促進簡報",
        text="<p>本期編者按。</p>",
        articles=[article],
        actor=world.editor,
    )
    draft.refresh_from_db()
    briefing = briefing_actions.publish_briefing(
        draft, revision_id=draft.latest_revision_id, actor=world.editor
    )
    deed = create_deed(
        world.campaign,
        world.unit_a,
        title="為基層站所修繕職工宿舍",
        deed_class=DeedClass.TIME_LIMITED,
        beneficiaries="基層職工",
        target="六月底前完成修繕",
        deadline=datetime.date(2007, 6, 30),
        actor=world.liaison_a,
    )
    publish_deed(deed, published=True, actor=world.clerk)
    problem = create_problem(
        world.campaign,
        world.unit_a,
        source=ProblemSource.SELF_INSPECTION,
        description="窗口服務時間過短",
        severity=Severity.GENERAL,
        actor=world.liaison_a,
    )
    publish_problem(problem, published=True, actor=world.clerk)
    home = HomePage.objects.get()
    return PublicSite(home, column, article, notice, model, briefing)
