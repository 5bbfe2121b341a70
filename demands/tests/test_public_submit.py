"""Filing a demand through the public web form."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import CampaignStatus
from campaigns.tests.factories import CampaignFactory
from demands.forms import normalise_phone
from demands.models import Attachment, Demand, DemandStatus
from demands.tests.factories import CategoryFactory
from demands.views import public
from sanfu.tests.files import PNG
from text.script import to_simplified

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def category(world):  # type: ignore[no-untyped-def]
    return CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a, name="水利設施"
    )


def form_data(category=None, **extra):  # type: ignore[no-untyped-def]
    data = {
        "kind": "help",
        "urgency": "normal",
        "category": category.pk if category else "",
        "title": "村口水渠堵塞",
        "content": "雨季將至，村口水渠堵塞，請幫助疏通。",
        "location": "白雲區某村",
        "submitter_name": "張三",
        "submitter_phone": "138 1234 5678",
        "allow_publish": "on",
    }
    data.update(extra)
    return data


def submit_url(world) -> str:  # type: ignore[no-untyped-def]
    return reverse("demands:submit", kwargs={"campaign_slug": world.campaign.slug})


def test_the_form_shows_the_active_categories_of_the_campaign_only(
    client, world, category
):
    CategoryFactory.create(campaign=world.campaign, name="已停用類別", is_active=False)
    CategoryFactory.create(name="別的活動的類別")
    response = client.get(submit_url(world))
    assert response.status_code == 200
    # public pages come out in the reader's script: simplified for zh-hans
    assert to_simplified("水利設施") in response.text
    assert to_simplified("已停用類別") not in response.text
    assert to_simplified("別的活動的類別") not in response.text
    assert 'enctype="multipart/form-data"' in response.text


def test_new_sends_to_the_only_campaign_taking_demands(client, world):
    CampaignFactory.create(status=CampaignStatus.DRAFT)
    response = client.get(reverse("demands:choose_campaign"))
    assert response.status_code == 302
    assert response["Location"] == submit_url(world)


def test_new_lets_the_person_choose_when_several_campaigns_take_demands(client, world):
    other = CampaignFactory.create(name="另一個活動")
    response = client.get(reverse("demands:choose_campaign"))
    assert response.status_code == 200
    assert to_simplified(world.campaign.name) in response.text
    assert to_simplified(other.name) in response.text


def test_a_draft_or_closed_campaign_takes_no_demands(client, db):
    draft = CampaignFactory.create(status=CampaignStatus.DRAFT)
    closed = CampaignFactory.create(status=CampaignStatus.CLOSED)
    for campaign in (draft, closed):
        url = reverse("demands:submit", kwargs={"campaign_slug": campaign.slug})
        assert client.get(url).status_code == 404
        assert client.post(url, form_data()).status_code == 404
    assert Demand.objects.count() == 0


def test_a_demand_is_filed_and_the_code_shown_once(client, world, category):
    response = client.post(submit_url(world), form_data(category))
    assert response.status_code == 302
    assert response["Location"] == reverse("demands:thanks")
    demand = Demand.objects.get()
    assert demand.status == DemandStatus.SUBMITTED
    assert demand.campaign == world.campaign
    assert demand.category == category
    assert demand.main_task == category.main_task
    assert demand.channel == "web"
    assert demand.submitter_phone == "13812345678"
    assert demand.allow_publish is True

    thanks = client.get(reverse("demands:thanks"))
    assert demand.tracking_no in thanks.text
    code = thanks.context["receipt"]["query_code"]
    assert demand.check_query_code(code)
    assert code in thanks.text

    again = client.get(reverse("demands:thanks"))
    assert again.status_code == 200
    assert code not in again.text
    assert public.RECEIPT_KEY not in client.session


def test_an_anonymous_demand_needs_no_name_or_phone(client, world):
    data = form_data(submitter_name="", submitter_phone="")
    del data["allow_publish"]
    response = client.post(submit_url(world), data)
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.submitter_name == demand.submitter_phone == ""
    assert demand.category is None
    assert demand.allow_publish is False


def test_text_is_cleaned_before_it_is_stored(client, world):
    client.post(
        submit_url(world),
        form_data(title="  村口(cūn kǒu)水渠　堵塞  ", location="ＡＢ村　１號"),
    )
    demand = Demand.objects.get()
    assert demand.title == "村口水渠 堵塞"
    assert demand.location == "AB村 1號"


def test_missing_and_blank_fields_get_field_errors_in_chinese(client, world):
    response = client.post(
        submit_url(world), form_data(title="   ", content="", kind="")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"title", "content", "kind"}
    assert "必需字段" in response.text  # Django's zh-hans "This field is required."
    assert Demand.objects.count() == 0


def test_a_title_that_is_too_long_is_refused(client, world):
    response = client.post(submit_url(world), form_data(title="長" * 101))
    assert "title" in response.context["form"].errors
    assert Demand.objects.count() == 0


@pytest.mark.parametrize("phone", ["12345", "2381234567", "1381234567a", "010-123"])
def test_a_phone_that_is_no_mainland_number_is_refused(client, world, phone):
    response = client.post(submit_url(world), form_data(submitter_phone=phone))
    assert response.status_code == 200
    assert "submitter_phone" in response.context["form"].errors
    assert Demand.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("020-87654321", "02087654321"),
        ("(0755) 8765 4321", "075587654321"),
    ],
)
def test_mobile_and_landline_numbers_are_stored_as_digits(typed, stored):
    assert normalise_phone(typed) == stored


def test_a_category_of_another_campaign_is_refused(client, world):
    foreign = CategoryFactory.create(name="別的活動的類別")
    response = client.post(submit_url(world), form_data(foreign))
    assert "category" in response.context["form"].errors
    assert Demand.objects.count() == 0


def test_attachments_are_checked_and_stored(client, world):
    data = form_data()
    data["attachments"] = [
        SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
        SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
    ]
    response = client.post(submit_url(world), data)
    assert response.status_code == 302
    names = sorted(Attachment.objects.values_list("original_name", flat=True))
    assert names == ["letter.pdf", "photo.png"]
    for attachment in Attachment.objects.all():
        attachment.file.delete(save=False)


def test_a_file_that_is_not_what_its_name_says_is_a_field_error(client, world):
    data = form_data()
    data["attachments"] = [
        SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture"),
    ]
    response = client.post(submit_url(world), data)
    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert Demand.objects.count() == 0


def test_more_attachments_than_allowed_are_refused(client, world, settings):
    settings.SANFU_DEMANDS = {**settings.SANFU_DEMANDS, "ATTACHMENT_MAX_COUNT": 2}
    data = form_data()
    data["attachments"] = [
        SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png") for i in range(3)
    ]
    response = client.post(submit_url(world), data)
    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert Demand.objects.count() == 0


def test_a_client_posting_too_often_gets_429(client, world):
    limit, _window = public.SUBMIT_RATE
    for _ in range(limit):
        assert client.post(submit_url(world), form_data()).status_code == 302
    response = client.post(submit_url(world), form_data())
    assert response.status_code == 429
    assert Demand.objects.count() == limit
    # reading the form is not counted
    assert client.get(submit_url(world)).status_code == 200


def test_the_limit_is_per_client(client, world):
    limit, _window = public.SUBMIT_RATE
    for _ in range(limit):
        client.post(submit_url(world), form_data(), REMOTE_ADDR="10.0.0.1")
    other = client.post(submit_url(world), form_data(), REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302
