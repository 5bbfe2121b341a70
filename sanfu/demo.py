"""The seed demo: the 2007 「三服務一促進」 campaign of the Pearl River Water Resources
Commission, built from the seed article through the apps' own actions.

What the article names is loaded as it stands; what it does not name (departments
other than those it mentions, clerks, liaisons, phases) is marked as demo data.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from campaigns import actions as campaign_actions
from campaigns.models import BodyKind, Campaign, CampaignStatus
from campaigns.roles import CampaignRole
from demands.demo import build_areas, build_catalogue, build_demands
from demands.hotspots.actions import find_hotspots, last_complete_week
from evaluation import demo as evaluation_demo
from ledgers.demo import build_ledgers
from org import actions as org_actions
from org.models import Organisation, Person, Unit, UnitKind, UnitRole
from plans.demo import load_plans_demo
from publicity import actions as publicity_actions
from publicity import demo_briefings
from publicity.demo import build_column_demo
from publicity.site_identity import SiteIdentity
from text.articles import parse_article
from text.demo_mark import DEMO_MARK

SEED_ARTICLE = Path(__file__).resolve().parent.parent / "text" / "data"
SEED_ARTICLE = SEED_ARTICLE / "zhujiang-2007-sanfu-article.txt"
DEMO_PASSWORD = "sanfu-demo-2007"
CAMPAIGN_SLUG = "sanfu-2007"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str


ACCOUNTS = [
    DemoAccount("admin", "系統管理員" + DEMO_MARK, "superuser"),
    DemoAccount("yuezhongming", "岳中明", "leader of the leading group (組長)"),
    DemoAccount("huangyuanliang", "黃遠亮", "deputy leader (副組長)"),
    DemoAccount("caishangtu", "蔡尚途", "office director (辦公室主任)"),
    DemoAccount("zonghe", "綜合組幹事" + DEMO_MARK, "comprehensive group (綜合組)"),
    DemoAccount("xuanchuan", "宣傳組編輯" + DEMO_MARK, "publicity group (宣傳組)"),
    DemoAccount("guihua_head", "規劃計劃處處長" + DEMO_MARK, "unit head, group member"),
    DemoAccount("guihua_liaison", "規劃計劃處聯絡員" + DEMO_MARK, "unit liaison"),
    DemoAccount("shuizheng_liaison", "水政水資源處聯絡員" + DEMO_MARK, "unit liaison"),
    DemoAccount("shuizheng_staff", "水政水資源處幹部" + DEMO_MARK, "staff member"),
]

# (name, kind, is named in the seed article)
UNITS = [
    ("委直屬機關黨委", UnitKind.PARTY, True),
    ("委工會", UnitKind.PARTY, True),
    ("辦公室", UnitKind.DEPARTMENT, False),
    ("規劃計劃處", UnitKind.DEPARTMENT, False),
    ("水政水資源處", UnitKind.DEPARTMENT, False),
    ("財務處", UnitKind.DEPARTMENT, False),
    ("人事勞動處", UnitKind.DEPARTMENT, False),
    ("建設與管理處", UnitKind.DEPARTMENT, False),
    ("水土保持處", UnitKind.DEPARTMENT, False),
    ("珠江水利科學研究院", UnitKind.SUBORDINATE, False),
]

MAIN_TASKS = [
    ("服務基層", "服務基層就是要把工作的著力點放到基層，為基層發展而謀。"),
    (
        "服務群眾",
        "各單位在各項工作中要真正體現“情為民所系、權為民所用、利為民所謀”，"
        "切實解決好群眾最關心、最直接、最現實的利益問題。",
    ),
    (
        "促進和諧",
        "要堅持用發展的辦法解決前進中的問題，廣泛開展群眾工作，激發單位活力，"
        "統籌處理好各種矛盾，維護單位的和諧穩定。",
    ),
    (
        "促進發展",
        "要深入研究當前珠江流域水利工作面臨的新形勢、新任務，不斷加強自身能力建設，"
        "著力推進流域水資源統一調度、統一管理，為“維護河流健康、建設綠色珠江”提供保障。",
    ),
]

REQUIREMENTS = [
    "加強領導，明確責任",
    "制定方案，落實措施",
    "強調結合，加強指導",
    "檢查測評，確保實效",
    "積極宣傳，營造氛圍",
]

PHASES = [
    ("動員部署" + DEMO_MARK, datetime.date(2007, 3, 27), datetime.date(2007, 4, 30)),
    ("組織實施" + DEMO_MARK, datetime.date(2007, 5, 1), datetime.date(2007, 10, 31)),
    ("總結測評" + DEMO_MARK, datetime.date(2007, 11, 1), datetime.date(2007, 12, 31)),
]


def load_demo() -> tuple[bool, list[DemoAccount]]:
    """Load the demo once; returns whether it was created now, and the accounts."""
    if Campaign.objects.filter(slug=CAMPAIGN_SLUG).exists():
        return False, ACCOUNTS
    _build()
    return True, ACCOUNTS


@transaction.atomic
def _build() -> None:
    parsed = parse_article(SEED_ARTICLE.read_bytes(), filename=SEED_ARTICLE.name)
    people = _people()
    commission = Organisation.objects.create(name="珠江水利委員會", short_name="珠江委")
    units = {
        name: org_actions.create_unit(
            commission, name, kind=kind, is_demo=not named, actor=None
        )
        for name, kind, named in UNITS
    }
    _memberships(people, units)
    campaign = campaign_actions.create_campaign(
        commission,
        name="「三服務一促進」主題實踐活動",
        slug=CAMPAIGN_SLUG,
        theme="服務基層、服務群眾、服務大局，促進社會和諧",
        slogan="重實踐、見行動、辦實事、見實效",
        ordered_by="廣東省委",
        description=(
            "以省直機關“三服務一促進”為主要載體，以服務基層、服務群眾、促進和諧、"
            "促進發展為重點內容，為促進珠江委的改革發展與和諧穩定作出新貢獻，"
            "推動珠江委在“維護河流健康，建設綠色珠江”的進程中更好地發揮作用。"
        ),
        starts_on=datetime.date(2007, 3, 27),
        ends_on=datetime.date(2007, 12, 31),
        status=CampaignStatus.ACTIVE,
        actor=None,
    )
    for name, starts_on, ends_on in PHASES:
        campaign_actions.add_phase(
            campaign, name=name, starts_on=starts_on, ends_on=ends_on, actor=None
        )
    for name, description in MAIN_TASKS:
        campaign_actions.add_main_task(
            campaign, name=name, description=description, actor=None
        )
    for text in REQUIREMENTS:
        campaign_actions.add_requirement(campaign, text=text, actor=None)
    _bodies(campaign, people)
    build_catalogue(campaign)
    build_areas(campaign)
    today = timezone.localdate()
    build_demands(campaign, today)
    # the weekly job once, so the cockpit shows the hotspots straight away
    find_hotspots(campaign, last_complete_week(today))
    campaign_actions.record_meeting(
        campaign,
        title="研究部署“三服務一促進”主題實踐活動",
        held_on=datetime.date(2007, 3, 27),
        host=people["caishangtu"],
        attendees=[people[name] for name in ("caishangtu", "zonghe", "xuanchuan")],
        attendance_note=(
            "委“三服務一促進”主題實踐活動辦公室全體成員，"
            "委屬相關職能部門負責同志參加了會議。"
        ),
        agenda="對工作方案、職責分工、工作計劃安排等作說明。",
        minutes=_minutes(parsed.body),
        actor=None,
    )
    home = publicity_actions.set_up_site(
        site_name="珠江水利網站", home_title="珠江水利網站", actor=None
    )
    _site_identity()
    section = publicity_actions.create_section(
        home, title="黨群工作網", slug="dangqun", actor=None
    )
    column = publicity_actions.create_column(
        section,
        campaign,
        title="「三服務一促進」主題實踐活動專欄",
        slug=CAMPAIGN_SLUG,
        actor=None,
    )
    publicity_actions.import_article(parsed, column, actor=None)
    build_column_demo(campaign)
    load_plans_demo(campaign)
    build_ledgers(campaign)
    demo_briefings.load(campaign)
    evaluation_demo.build_demo(campaign)


def _site_identity() -> None:
    """The footer a government site carries; the numbers are marked as the demo's."""
    SiteIdentity.objects.update_or_create(
        pk=SiteIdentity.objects.values_list("pk", flat=True).first(),
        defaults={
            "site_name": "珠江水利網站",
            "sponsor": "水利部珠江水利委員會",
            "organiser": "珠江委「三服務一促進」主題實踐活動辦公室",
            "postal_address": "廣州市天河區天壽路80號",
            "postcode": "510611",
            "telephone": "020-12345678（演示）",
            "email": "sanfu@example.org",
            "icp_number": "粵ICP備00000000號（演示）",
            "public_security_number": "粵公網安備 44010602000000號（演示）",
            "site_code": "bm39000000",
        },
    )


def _people() -> dict[str, Person]:
    people = {}
    for account in ACCOUNTS:
        person = Person(
            username=account.username,
            full_name=account.name,
            # reserved for examples (RFC 2606): the console shows the mail sent
            email=f"{account.username}@example.org",
            is_demo=True,
            is_superuser=account.username == "admin",
            is_staff=account.username == "admin",
        )
        person.set_password(DEMO_PASSWORD)
        person.save()
        people[account.username] = person
    return people


def _memberships(people: dict[str, Person], units: dict[str, Unit]) -> None:
    rows = [
        ("huangyuanliang", "委直屬機關黨委", UnitRole.HEAD, "書記"),
        ("caishangtu", "委直屬機關黨委", UnitRole.STAFF, "專職副書記"),
        ("zonghe", "委直屬機關黨委", UnitRole.STAFF, "幹事"),
        ("xuanchuan", "委直屬機關黨委", UnitRole.STAFF, "幹事"),
        ("guihua_head", "規劃計劃處", UnitRole.HEAD, "處長"),
        ("guihua_liaison", "規劃計劃處", UnitRole.LIAISON, "聯絡員"),
        ("shuizheng_liaison", "水政水資源處", UnitRole.LIAISON, "聯絡員"),
        ("shuizheng_staff", "水政水資源處", UnitRole.STAFF, "主任科員"),
    ]
    for username, unit, role, title in rows:
        org_actions.add_membership(
            people[username], units[unit], role=role, title=title, actor=None
        )


def _bodies(campaign: Campaign, people: dict[str, Person]) -> None:
    group = campaign_actions.add_body(
        campaign,
        kind=BodyKind.LEADING_GROUP,
        name="實踐活動領導小組",
        duties="領導全委“三服務一促進”主題實踐活動。",
        actor=None,
    )
    office = campaign_actions.add_body(
        campaign,
        kind=BodyKind.OFFICE,
        name="領導小組辦公室",
        parent=group,
        duties="負責對全委主題實踐活動的組織協調和檢查指導。",
        actor=None,
    )
    comprehensive = campaign_actions.add_body(
        campaign,
        kind=BodyKind.OFFICE_GROUP,
        name="綜合組",
        parent=office,
        duties="工作方案、工作計劃安排、單位方案審核、督促檢查。" + DEMO_MARK,
        actor=None,
    )
    publicity = campaign_actions.add_body(
        campaign,
        kind=BodyKind.OFFICE_GROUP,
        name="宣傳組",
        parent=office,
        duties="審核投稿、編發簡報、宣傳先進典型。" + DEMO_MARK,
        actor=None,
    )
    seats = [
        ("yuezhongming", group, "組長", CampaignRole.LEADER, "珠江委黨組書記、主任"),
        (
            "huangyuanliang",
            group,
            "副組長",
            CampaignRole.DEPUTY_LEADER,
            "委黨組成員、副主任、委直屬機關黨委書記",
        ),
        ("guihua_head", group, "成員", CampaignRole.GROUP_MEMBER, "規劃計劃處處長"),
        (
            "caishangtu",
            office,
            "主任",
            CampaignRole.OFFICE_DIRECTOR,
            "委直屬機關黨委專職副書記",
        ),
        ("zonghe", comprehensive, "組員", CampaignRole.COMPREHENSIVE, ""),
        ("xuanchuan", publicity, "組員", CampaignRole.PUBLICITY, ""),
    ]
    for username, body, title, role, post in seats:
        campaign_actions.appoint(
            people[username], body, title=title, role=role, post=post, actor=None
        )


def _minutes(body: str) -> str:
    """The meeting's record as the article gives it: what it pointed out, stressed
    and asked for, and how the participants spoke."""
    said = [line for line in body.splitlines() if line.startswith("會議")]
    said += [line for line in body.splitlines() if "暢所欲言" in line]
    return "\n".join(said)
