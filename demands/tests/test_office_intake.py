"""The office enters a demand received by phone, letter or visit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from demands.models import Channel, Demand, DemandKind, DemandStatus, Urgency
from demands.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

URL = reverse("demands_office:intake")


def fields(world, **extra):
    data = {
        "campaign": world.campaign.pk,
        "channel": Channel.PHONE,
        "kind": DemandKind.COMPLAINT,
        "urgency": Urgency.URGENT,
        "category": "",
        "title": "夜間施工擾民",
        "content": "工地每晚施工到凌晨。",
        "location": "河南路",
        "submitter_name": "李四",
        "submitter_phone": "13900001111",
    }
    data.update(extra)
    return data


def test_the_office_enters_a_phone_call_and_reads_out_number_and_code(login, world):
    category = CategoryFactory.create(campaign=world.campaign)
    client = login(world.clerk)
    assert client.get(URL).status_code == 200
    response = client.post(URL, fields(world, category=category.pk))
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.channel == Channel.PHONE
    assert demand.status == DemandStatus.SUBMITTED
    assert demand.category == category
    assert demand.main_task == category.main_task
    # the demand is the caller's; the clerk is who entered it, in the audit trail
    assert demand.submitter is None
    assert demand.submitter_phone == "13900001111"
    assert (
        ModelLogEntry.objects.get(
            object_id=str(demand.pk), action="sanfu.demand.submit"
        ).user
        == world.clerk
    )
    done = client.get(response["Location"])
    code = done.context["code"]
    assert demand.check_query_code(code)
    html = done.content.decode()
    assert demand.tracking_no in html and code in html
    # shown once only: the code is not kept anywhere it could be read again
    assert client.get(response["Location"]).context["code"] == ""
    assert ModelLogEntry.objects.filter(
        action="sanfu.demand.submit", user=world.clerk, object_id=str(demand.pk)
    ).exists()


def test_the_office_enters_a_letter_with_an_attachment(
    login, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    scan = SimpleUploadedFile("信件.pdf", b"%PDF-1.4 scan", "application/pdf")
    response = login(world.director).post(
        URL, fields(world, channel=Channel.LETTER, attachments=[scan])
    )
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.attachments.get().original_name == "信件.pdf"


def test_an_attachment_that_is_not_what_its_name_says_is_refused(login, world):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00", "image/jpeg")
    response = login(world.director).post(URL, fields(world, attachments=[fake]))
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"]
    assert not Demand.objects.exists()


def test_the_web_channel_is_not_for_staff_intake(login, world):
    response = login(world.clerk).post(URL, fields(world, channel=Channel.WEB))
    assert response.context["form"].errors["channel"]
    assert not Demand.objects.exists()


def test_missing_fields_are_field_errors(login, world):
    response = login(world.clerk).post(URL, fields(world, title="", content=""))
    errors = response.context["form"].errors
    assert "title" in errors and "content" in errors


def test_a_category_of_another_campaign_is_refused(login, world, other_world):
    elsewhere = CategoryFactory.create(campaign=other_world.campaign)
    response = login(world.clerk).post(URL, fields(world, category=elsewhere.pk))
    assert response.context["form"].errors["category"]
    assert not Demand.objects.exists()


def test_demands_cannot_be_entered_for_another_campaign(login, world, other_world):
    response = login(world.clerk).post(
        URL, fields(world, campaign=other_world.campaign.pk)
    )
    assert response.context["form"].errors["campaign"]
    assert not Demand.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "liaison_a", "editor"])
def test_only_the_office_enters_demands(login, world, persona):
    client = login(getattr(world, persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, fields(world)).status_code == 403
    assert not Demand.objects.exists()


def test_the_public_is_sent_to_the_login(client, world):
    assert client.get(URL).status_code == 302
