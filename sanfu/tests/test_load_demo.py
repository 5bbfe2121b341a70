"""The seed demo: built from the article, loaded once, kept on the second run."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry, Site

from campaigns.models import Campaign, Meeting, Position
from campaigns.roles import CampaignRole
from org.models import Person, Unit
from publicity.models import ArticlePage, CampaignPage, HomePage
from text.script import to_simplified

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(demo_once: None, db: None) -> None:
    """The demo as the command loaded it, once for the tests that only read it."""


# first in the module: it loads the demo itself, before ``demo_once`` does
def test_a_second_run_keeps_the_data_and_prints_the_accounts_again():
    first = load()
    campaign = Campaign.objects.get()
    articles = ArticlePage.objects.count()
    second = load()
    assert Campaign.objects.get().pk == campaign.pk
    assert ArticlePage.objects.count() == articles
    assert ArticlePage.objects.filter(source="中國水利網站").count() == 1
    assert Person.objects.filter(username="caishangtu").count() == 1
    assert "Seed demo loaded" in first
    assert "caishangtu" in first
    assert "caishangtu" in second
    assert "already present" in second or "已" in second


def test_it_builds_the_campaign_the_article_describes(demo):
    campaign = Campaign.objects.get(slug="sanfu-2007")
    assert campaign.theme == "服務基層、服務群眾、服務大局，促進社會和諧"
    assert campaign.ordered_by == "廣東省委"
    assert list(campaign.main_tasks.values_list("name", flat=True)) == [
        "服務基層",
        "服務群眾",
        "促進和諧",
        "促進發展",
    ]
    assert campaign.main_tasks.get(name="服務基層").description.startswith(
        "服務基層就是要把工作的著力點放到基層"
    )
    assert campaign.requirements.count() == 5


def test_it_seats_the_leading_group_and_the_office_as_the_article_names_them(demo):
    leader = Position.objects.get(role=CampaignRole.LEADER)
    assert (leader.person.full_name, leader.title) == ("岳中明", "組長")
    assert leader.post == "珠江委黨組書記、主任"
    deputy = Position.objects.get(role=CampaignRole.DEPUTY_LEADER)
    assert (deputy.person.full_name, deputy.title) == ("黃遠亮", "副組長")
    director = Position.objects.get(role=CampaignRole.OFFICE_DIRECTOR)
    assert director.person.full_name == "蔡尚途"
    assert director.body.name == "領導小組辦公室"
    assert director.body.parent is not None
    assert director.body.parent.name == "實踐活動領導小組"
    groups = set(director.body.children.values_list("name", flat=True))
    assert groups == {"綜合組", "宣傳組"}


def test_it_records_the_meeting_of_27_march_2007(demo):
    meeting = Meeting.objects.get()
    assert meeting.held_on == datetime.date(2007, 3, 27)
    assert meeting.host is not None
    assert meeting.host.full_name == "蔡尚途"
    assert "會議指出" in meeting.minutes
    assert "暢所欲言" in meeting.minutes
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ ]+\)", meeting.minutes)


def test_it_publishes_the_article_with_its_source_and_date(demo):
    article = ArticlePage.objects.live().get(source="中國水利網站")
    assert article.published_on == datetime.date(2007, 3, 28)
    assert "岳中明" in article.body
    assert "jī" not in article.body
    assert "政務(廠務)公開" in article.body
    column = CampaignPage.objects.get()
    assert article.get_parent().specific == column
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert ModelLogEntry.objects.filter(action="sanfu.campaign.create").exists()


def test_it_labels_what_the_article_does_not_name_as_demo_data(demo):
    assert Unit.objects.get(name="委直屬機關黨委").is_demo is False
    assert Unit.objects.get(name="規劃計劃處").is_demo is True
    assert Person.objects.get(username="zonghe").full_name.endswith("（演示）")
    assert all(
        "（演示）" in name
        for name in Campaign.objects.get().phases.values_list("name", flat=True)
    )


def test_it_offers_the_public_a_dispatch_catalogue(demo, client):
    """The public form and Open311 list real services, each handled by a unit of the
    commission; the catalogue is demo data, marked as such."""
    campaign = Campaign.objects.get(slug="sanfu-2007")
    page = client.get(f"/demands/{campaign.slug}/new/").content.decode()
    services = client.get("/open311/v2/services.json").json()
    categories = list(campaign.demand_categories.all())
    assert len(categories) >= 8
    assert len({category.default_unit_id for category in categories}) >= 6
    for category in categories:
        assert category.name.endswith("（演示）")
        assert category.default_unit.organisation_id == campaign.organisation_id
        assert to_simplified(category.name) in page  # the reader's script
    assert {service["service_name"] for service in services} == {
        category.name for category in categories
    }


def test_its_accounts_have_example_addresses_for_the_mail_log(demo):
    people = Person.objects.filter(is_demo=True)
    assert people.exists()
    for person in people:
        assert person.email == f"{person.username}@example.org"
