"""Honest replies: the checks before a unit sends its reply, the second
confirmation, the flags stored with the reply, shown at the return visit and
counted in the figures."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from demands import actions, metrics, reply_checks, sweeps
from demands.models import Demand, DemandStatus, ReturnVisit
from demands.tests.factories import CategoryFactory, submit_test_demand
from sanfu.tests import files

pytestmark = pytest.mark.django_db

GOOD = (
    "12月3日上午我處工作人員電話聯繫王先生，並於當天下午到現場疏通了村口水渠，"
    "現已恢復暢通，王先生表示滿意。"
)
GOOD_SIMPLIFIED = (
    "12月3日上午我处工作人员电话联系王先生，并于当天下午到现场疏通了村口水渠，"
    "现已恢复畅通，王先生表示满意。"
)
BOILERPLATE = "已處理，詳見答覆。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def codes(flags) -> list[str]:
    return [flag.code for flag in flags]


@pytest.mark.parametrize("text", [GOOD, GOOD_SIMPLIFIED])
def test_a_reply_that_says_when_how_what_and_the_result_has_no_flag(text):
    assert reply_checks.text_flags(text) == []


@pytest.mark.parametrize("text", [BOILERPLATE, "已处理，详见答复。"])
def test_boilerplate_is_flagged_with_everything_it_leaves_out(text):
    assert codes(reply_checks.text_flags(text)) == [
        "no_contact_time",
        "no_contact_way",
        "no_action",
        "no_result",
        "boilerplate",
    ]


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        # no time
        ("我處電話聯繫王先生，到現場疏通水渠，已恢復暢通。", "no_contact_time"),
        ("我处电话联系王先生，到现场疏通水渠，已恢复畅通。", "no_contact_time"),
        # no way of contact
        ("12月3日疏通水渠，已恢復暢通，特此答覆。", "no_contact_way"),
        ("12月3日疏通水渠，已恢复畅通，特此答复。", "no_contact_way"),
        # nothing done
        ("12月3日電話聯繫王先生，問題已經恢復正常了。", "no_action"),
        ("12月3日电话联系王先生，问题已经恢复正常了。", "no_action"),
        # no result
        ("１２月３日電話聯繫王先生，安排人員檢測水質。", "no_result"),
        ("１２月３日电话联系王先生，安排人员检测水质。", "no_result"),
    ],
)
def test_each_check_flags_what_is_missing_and_only_that(text, missing):
    assert codes(reply_checks.text_flags(text)) == [missing]


def test_a_result_that_could_not_be_achieved_is_still_a_result():
    text = (
        "12月3日電話聯繫王先生並上門核實，該段管道屬供水公司，"
        "我處無法維修，已告知其聯繫方式。"
    )
    assert "no_result" not in codes(reply_checks.text_flags(text))


def in_hand(world, unit=None, category=None):
    demand = submit_test_demand(world, category=category)
    unit = unit or world.unit_a
    demand = actions.dispatch_demand(demand, unit, actor=world.director)
    liaison = world.liaison_a if unit == world.unit_a else world.liaison_b
    return actions.accept_demand(demand, actor=liaison)


def replied(world, text, unit=None):
    demand = in_hand(world, unit)
    liaison = (
        world.liaison_a if (unit or world.unit_a) == world.unit_a else (world.liaison_b)
    )
    return actions.reply_demand(demand, reply=text, solved=True, actor=liaison)


def test_a_near_copy_of_the_units_earlier_reply_is_flagged(world):
    earlier = replied(world, GOOD)
    demand = in_hand(world)
    copy = GOOD.replace("王先生", "李女士").replace("12月3日", "12月5日")
    flags = reply_checks.check_reply(demand, copy)
    assert codes(flags) == ["near_copy"]
    assert flags[0].of == earlier.tracking_no
    assert flags[0].score >= 60


def test_a_different_reply_of_the_same_kind_is_not_a_near_copy(world):
    replied(world, GOOD)
    demand = in_hand(world)
    other = (
        "12月1日上午電話聯繫趙先生，到現場查看堤防滲水情況，已組織加固，"
        "現滲水已止住，趙先生表示滿意。"
    )
    assert reply_checks.check_reply(demand, other) == []


def test_another_units_reply_is_not_compared(world):
    replied(world, GOOD, unit=world.unit_b)
    demand = in_hand(world)
    assert reply_checks.check_reply(demand, GOOD) == []


def test_an_on_site_category_asks_for_a_photo(world):
    on_site = CategoryFactory.create(campaign=world.campaign, on_site=True)
    demand = in_hand(world, category=on_site)
    assert codes(reply_checks.check_reply(demand, GOOD)) == ["no_photo"]
    assert reply_checks.check_reply(demand, GOOD, photos=1) == []
    plain = in_hand(world, category=CategoryFactory.create(campaign=world.campaign))
    assert reply_checks.check_reply(plain, GOOD) == []


# -- the reply step --------------------------------------------------------------------


def reply_url(demand):
    return reverse("demands_office:reply", args=[demand.pk])


def test_a_flagged_reply_is_shown_with_its_flags_and_not_sent(world, login):
    demand = in_hand(world)
    client = login(world.liaison_a)
    response = client.post(
        reply_url(demand),
        {"reply": BOILERPLATE, "solved": "yes"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-flag="boilerplate"' in body
    assert "Send it anyway" in body
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.ACCEPTED


def checked_then_sent(client, demand, text):
    """Post the boilerplate reply, then ``text`` with the first answer's
    confirmation."""
    first = client.post(reply_url(demand), {"reply": BOILERPLATE, "solved": "yes"})
    confirm = first.context["reply_form"]["confirm"].value()
    return client.post(
        reply_url(demand), {"reply": text, "solved": "yes", "confirm": confirm}
    )


def test_sent_again_unchanged_it_goes_with_its_flags_stored(world, login):
    demand = in_hand(world)
    response = checked_then_sent(login(world.liaison_a), demand, BOILERPLATE)
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.REPLIED
    assert demand.reply_flagged
    assert "boilerplate" in codes(reply_checks.flags_of(demand))
    entry = ModelLogEntry.objects.filter(
        action="sanfu.demand.reply", object_id=str(demand.pk)
    ).get()
    assert "boilerplate" in entry.data["flags"]


def test_a_changed_text_is_checked_again(world, login):
    demand = in_hand(world)
    response = checked_then_sent(login(world.liaison_a), demand, "已處理完畢。")
    assert response.status_code == 200
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.ACCEPTED


def test_a_good_reply_goes_at_once_without_flags(world, login):
    demand = in_hand(world)
    response = login(world.liaison_a).post(
        reply_url(demand), {"reply": GOOD, "solved": "yes"}
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.REPLIED
    assert demand.reply_flags == [] and not demand.reply_flagged


def test_a_photo_of_the_site_goes_with_the_reply(world, login):
    on_site = CategoryFactory.create(campaign=world.campaign, on_site=True)
    demand = in_hand(world, category=on_site)
    page = login(world.liaison_a).get(
        reverse("demands_office:detail", args=[demand.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "attach a photo of the site" in page.content.decode()
    photo = SimpleUploadedFile("現場.png", files.PNG, content_type="image/png")
    response = login(world.liaison_a).post(
        reply_url(demand), {"reply": GOOD, "solved": "yes", "photos": [photo]}
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert not demand.reply_flagged
    assert demand.attachments.get().from_reply


def test_another_units_liaison_may_not_reply(world, login):
    demand = in_hand(world)
    response = login(world.liaison_b).post(
        reply_url(demand), {"reply": GOOD, "solved": "yes"}
    )
    assert response.status_code in (403, 404)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.ACCEPTED


# -- what the office sees --------------------------------------------------------------


def test_the_office_sees_the_flags_at_the_return_visit(world, login):
    demand = replied(world, BOILERPLATE)
    moment = timezone.make_aware(datetime.datetime(2025, 9, 30, 10))
    Demand.objects.filter(pk=demand.pk).update(replied_at=moment)
    sweeps.schedule_return_visits(moment + datetime.timedelta(days=9))
    assert ReturnVisit.objects.filter(demand=demand).exists()
    body = (
        login(world.clerk)
        .get("/admin/demands/follow-up/visits/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Sent with flags from the reply check" in body
    assert 'data-flag="boilerplate"' in body


def test_the_figures_give_each_units_share_of_flagged_replies(world):
    replied(world, BOILERPLATE)
    replied(
        world, GOOD.replace("王先生", "陳先生").replace("疏通了村口水渠", "更換了閥門")
    )
    replied(world, GOOD, unit=world.unit_b)
    found = metrics.report(world.campaign)
    rows = {row.key: row for row in found.by_unit}
    assert rows[world.unit_a.pk].reply_flagged >= 1
    assert rows[world.unit_a.pk].flagged_reply_rate == pytest.approx(
        rows[world.unit_a.pk].reply_flagged / 2
    )
    assert rows[world.unit_b.pk].flagged_reply_rate == 0
    assert found.total.reply_flagged == rows[world.unit_a.pk].reply_flagged


def test_the_figures_screen_shows_the_flagged_share(world, login):
    replied(world, BOILERPLATE)
    response = login(world.director).get(
        reverse("demands_metrics:index"),
        {"campaign": world.campaign.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert "Flagged reply share" in body
    assert "Replies flagged" in body
