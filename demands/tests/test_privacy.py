"""Personal data of submitters: every showing of it is logged, it is erased once the
retention period after closing has passed (or, for a demand never closed, after its
last activity), notices about the demand lose its title then, and a submitter can
take it away."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.errors import Conflict
from core.masking import scrub_numbers
from demands import actions, sweeps
from demands.models import Attachment, Demand, Rating
from demands.tests.factories import submit_test_demand
from files.evidence import check_upload
from notify.models import Notification

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
        point=(Decimal("23.129100"), Decimal("113.264400")),
        submitter_email="zhangsan@example.org",
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


def test_an_open_demand_is_kept_while_it_saw_activity_within_the_retention(world):
    demand = submit_test_demand(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    with pytest.raises(Conflict):
        actions.erase_personal_data(demand, now=timezone.now() + RETENTION / 2)
    assert Demand.objects.get(pk=demand.pk).submitter_phone == "13812345678"


ACTIVITY = (
    "submitted_at",
    "dispatch_due",
    "dispatched_at",
    "accept_due",
    "accepted_at",
    "reply_due",
)


def test_a_demand_never_closed_is_erased_after_the_retention_without_activity(
    world, capsys
):
    idle = submit_test_demand(world, content="我的電話13812345678，請回電。")
    idle = actions.dispatch_demand(idle, world.unit_a, actor=world.director)
    idle = actions.accept_demand(idle, actor=world.liaison_a)
    busy = submit_test_demand(world)
    busy = actions.dispatch_demand(busy, world.unit_a, actor=world.director)
    long_ago = timezone.now() - RETENTION - datetime.timedelta(days=1)
    Demand.objects.filter(pk__in=[idle.pk, busy.pk]).update(
        **dict.fromkeys(ACTIVITY, long_ago)
    )
    # the busy one was accepted yesterday: activity within the retention
    Demand.objects.filter(pk=busy.pk).update(
        accepted_at=timezone.now() - datetime.timedelta(days=1), status="accepted"
    )

    call_command("sweep_demands")

    assert "personal data erased: 1" in capsys.readouterr().out
    erased = Demand.objects.get(pk=idle.pk)
    assert (erased.submitter_name, erased.submitter_phone) == ("", "")
    assert "13812345678" not in erased.content
    assert erased.status == "accepted"  # erased, not closed
    assert entries(idle, "sanfu.demand.erase_personal_data").count() == 1
    assert Demand.objects.get(pk=busy.pk).submitter_phone == "13812345678"
    assert sweeps.erase_expired_personal_data(timezone.now()) == 0


def test_erasure_takes_the_title_out_of_the_notices_about_the_demand(
    world, django_capture_on_commit_callbacks
):
    demand = submit_test_demand(world, title="張三家門口13812345678水管漏水")
    other = submit_test_demand(world, title="村口路燈不亮")
    with django_capture_on_commit_callbacks(execute=True):
        demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
        actions.dispatch_demand(other, world.unit_a, actor=world.director)
    number = str(demand.tracking_no)
    about = Notification.objects.filter(message__contains=number)
    assert about.count() == 2  # the head's and the liaison's
    assert all("張三家門口" in notice.message for notice in about)
    Demand.objects.filter(pk=demand.pk).update(
        **dict.fromkeys(ACTIVITY, timezone.now() - RETENTION)
    )

    actions.erase_personal_data(demand, now=timezone.now())

    rewritten = Notification.objects.filter(message__contains=number)
    assert rewritten.count() == 2
    assert not any("張三家門口" in n.message for n in rewritten)
    assert not Notification.objects.filter(message__contains="13812345678").exists()
    # the notices about another demand keep their title
    assert Notification.objects.filter(message__contains="村口路燈不亮").count() == 2


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
    assert (erased.submitter_email, erased.latitude, erased.longitude) == (
        "",
        None,
        None,
    )
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
    # not closed: kept until the retention has run from its last activity
    assert (
        held["retention_ends"]
        == (Demand.objects.get(pk=demand.pk).last_activity_at + RETENTION).isoformat()
    )
    assert entries(demand, "sanfu.demand.data_request").count() == 1
