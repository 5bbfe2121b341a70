"""Personal data of submitters: every showing of it is logged, it is erased once the
retention period after closing has passed, and a submitter can take it away."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from demands import actions, sweeps
from demands.models import Attachment, Demand, Rating
from demands.tests.factories import submit_test_demand
from demands.uploads import check_upload
from sanfu.lib.errors import Conflict
from sanfu.lib.masking import scrub_numbers

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a photo of the ditch\n"
RETENTION = datetime.timedelta(days=730)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # the public pages' rate limits


def entries(demand, action):
    return ModelLogEntry.objects.filter(object_id=str(demand.pk), action=action)


def closed(world, **fields):
    upload = check_upload(SimpleUploadedFile("水渠.pdf", PDF, "application/pdf"))
    demand = submit_test_demand(
        world,
        content="住址旁水渠堵塞，身份證440102199001011234，電話13812345678。",
        location="村口",
        attachments=[upload],
        **fields,
    )
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply="已回電13812345678，已疏通。", solved=True, actor=world.liaison_a
    )
    return actions.rate_demand(demand, rating=Rating.SATISFIED)


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("電話13812345678。", "電話***。"),
        ("身份證44010219900101123X", "身份證***"),
        ("座機020-87654321轉", "座機***轉"),
        ("編號2007032712345678901234不是號碼", "編號2007032712345678901234不是號碼"),
        ("三服務一促進", "三服務一促進"),
    ],
)
def test_scrubbing_takes_out_id_and_phone_numbers_only(text, scrubbed):
    assert scrub_numbers(text) == scrubbed


def test_personal_data_is_kept_until_the_retention_period_ends(world):
    demand = closed(world)
    assert demand.closed_at is not None
    with pytest.raises(Conflict):
        actions.erase_personal_data(demand, now=demand.closed_at + RETENTION / 2)
    still = Demand.objects.get(pk=demand.pk)
    assert still.submitter_phone == "13812345678"
    assert still.personal_data_erased_at is None


def test_an_open_demand_is_never_erased(world):
    demand = submit_test_demand(world)
    with pytest.raises(Conflict):
        actions.erase_personal_data(demand, now=timezone.now() + 2 * RETENTION)


def test_erasure_takes_the_personal_data_and_files_and_keeps_the_case(
    world, django_capture_on_commit_callbacks
):
    demand = closed(world)
    attachment = Attachment.objects.get(demand=demand)
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    later = demand.closed_at + RETENTION
    with django_capture_on_commit_callbacks(execute=True):
        actions.erase_personal_data(demand, now=later)
    erased = Demand.objects.get(pk=demand.pk)
    assert (erased.submitter_name, erased.submitter_phone, erased.location) == (
        "",
        "",
        "",
    )
    assert erased.submitter_id is None
    assert "13812345678" not in erased.content + erased.reply
    assert "440102199001011234" not in erased.content
    assert "水渠堵塞" in erased.content  # what was asked stays
    assert erased.personal_data_erased_at == later
    assert not Attachment.objects.filter(demand=demand).exists()
    assert not storage.exists(name)
    (entry,) = entries(demand, "sanfu.demand.erase_personal_data")
    assert entry.data["attachments"] == 1
    with pytest.raises(Conflict):  # once only
        actions.erase_personal_data(erased, now=later)


def test_the_sweep_erases_what_is_due_and_nothing_twice(world, capsys):
    due = closed(world)
    recent = closed(world)
    Demand.objects.filter(pk=due.pk).update(
        closed_at=timezone.now() - RETENTION - datetime.timedelta(days=1)
    )
    assert sweeps.erase_expired_personal_data(timezone.now()) == 1
    assert Demand.objects.get(pk=due.pk).submitter_phone == ""
    assert Demand.objects.get(pk=recent.pk).submitter_phone == "13812345678"
    assert sweeps.erase_expired_personal_data(timezone.now()) == 0
    call_command("sweep_demands")
    assert "personal data erased: 0" in capsys.readouterr().out


def test_showing_the_contact_to_the_office_is_logged(world, login):
    demand = submit_test_demand(world)
    page = login(world.director).get(reverse("demands_office:detail", args=[demand.pk]))
    assert "13812345678" in page.text
    (entry,) = entries(demand, "sanfu.demand.view_contact")
    assert entry.user_id == world.director.pk


def test_a_masked_view_or_a_refused_one_is_not_logged_as_shown(world, login):
    demand = submit_test_demand(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    refused = login(world.liaison_b).get(
        reverse("demands_office:detail", args=[demand.pk])
    )
    assert refused.status_code == 404
    watching = login(world.leader).get(
        reverse("demands_office:detail", args=[demand.pk])
    )
    assert watching.status_code == 200
    assert "13812345678" not in watching.text
    assert not entries(demand, "sanfu.demand.view_contact").exists()


def test_the_submitter_downloads_their_data_after_proving_number_and_code(
    client, world
):
    demand, code = actions.submit_demand(
        world.campaign,
        kind="help",
        title="村口水渠堵塞",
        content="請幫助疏通。",
        urgency="normal",
        submitter_name="張三豐",
        submitter_phone="13812345678",
    )
    my_data = reverse("demands:my_data")
    assert client.get(my_data)["Location"] == reverse("demands:track")
    client.post(
        reverse("demands:track"),
        {"tracking_no": demand.tracking_no, "query_code": code},
    )
    response = client.get(my_data)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    held = json.loads(response.content)
    assert held["name"] == "張三豐"
    assert held["phone"] == "13812345678"
    assert held["tracking_no"] == demand.tracking_no
    assert held["retention_ends"] is None  # not closed yet
    assert entries(demand, "sanfu.demand.data_request").count() == 1
