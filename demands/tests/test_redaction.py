"""Personal data citizens type into a demand's text reaches the public and the
leading group masked (text.personal); the submitter, the office and the handling
unit read it as typed."""

import datetime
import io
import json

import docx
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from api.v1 import _staff
from demands import actions, sweeps
from demands.models import Demand, DemandKind, NoticeKind, ReminderNotice, Urgency
from demands.tests.factories import CategoryFactory, submit_test_demand

pytestmark = pytest.mark.django_db

TITLE = "陈志华13600001111反映江南大道168号水管漏水"
MASKED_TITLE = "陈**136****1111反映江南大道168号水管漏水"
CONTENT = "我是陈志华，住江南大道168号3栋2单元502室，水管漏水，请回电13600001111。"
REPLY = "已联系陈志华先生（13600001111），3栋2单元502室的水管已修复。"
MASKED_REPLY = "已联系陈**先生（136****1111），*栋*单元***室的水管已修复。"
# what none of the masked readers may find anywhere on the page
SECRETS = ("13600001111", "志华", "502室")


@pytest.fixture(autouse=True)
def no_rate_limits_left():  # type: ignore[no-untyped-def]
    cache.clear()


@pytest.fixture
def answered(world):  # type: ignore[no-untyped-def]
    """The demand of the report: consent given, dispatched, accepted, replied."""
    category = CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a
    )
    demand, code = actions.submit_demand(
        world.campaign,
        kind=DemandKind.HELP,
        urgency=Urgency.NORMAL,
        title=TITLE,
        content=CONTENT,
        location="江南大道168号3栋2单元502室",
        category=category,
        submitter_name="陈志华",
        submitter_phone="13600001111",
        allow_publish=True,
    )
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply=REPLY, solved=True, actor=world.liaison_a
    )
    demand.query_code = code  # type: ignore[attr-defined]
    return demand


def assert_masked(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_the_replied_list_shows_title_and_reply_masked(client, answered):
    page = client.get(reverse("demands:replied")).content.decode()
    assert MASKED_TITLE in page
    assert MASKED_REPLY in page
    assert_masked(page)


def test_open311_lists_and_shows_the_request_masked(client, answered):
    listing = client.get("/open311/v2/requests.json")
    detail = client.get(f"/open311/v2/requests/{answered.tracking_no}.json")
    for response in (listing, detail):
        assert response.status_code == 200
        (request,) = json.loads(response.content)
        assert request["description"] == MASKED_TITLE
        assert request["status_notes"] == MASKED_REPLY
        assert_masked(response.content.decode())


def test_the_submitter_reads_their_own_text_as_typed(client, answered):
    client.post(
        reverse("demands:track"),
        {"tracking_no": answered.tracking_no, "query_code": answered.query_code},
    )
    page = client.get(reverse("demands:status")).content.decode()
    assert TITLE in page
    assert REPLY in page
    response = client.get(
        f"/open311/v2/requests/{answered.tracking_no}.json",
        headers={"X-Query-Code": answered.query_code},
    )
    (request,) = json.loads(response.content)
    # what they filed, as the tracking page shows it to them
    assert request["description"] == CONTENT


def test_the_leader_reads_the_demand_masked(login, world, answered):
    client = login(world.leader)
    detail = client.get(reverse("demands_office:detail", args=[answered.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert MASKED_TITLE in page
    assert_masked(page)
    listing = client.get(reverse("demands_office:index")).content.decode()
    assert MASKED_TITLE in listing
    assert_masked(listing)


@pytest.mark.parametrize("persona", ["director", "clerk", "liaison_a"])
def test_the_office_and_the_handling_unit_read_it_as_typed(
    login, world, answered, persona
):
    client = login(getattr(world, persona))
    page = client.get(
        reverse("demands_office:detail", args=[answered.pk])
    ).content.decode()
    for text in (TITLE, CONTENT, REPLY):
        assert text in page
    listing = client.get(reverse("demands_office:index")).content.decode()
    assert TITLE in listing


def test_the_staff_api_masks_the_text_for_the_leader_only(world, answered):
    for_leader = _staff(answered, world.leader)
    for_office = _staff(answered, world.director)
    assert for_leader["title"] == MASKED_TITLE
    assert_masked(json.dumps(for_leader, ensure_ascii=False, default=str))
    assert for_office["title"] == TITLE
    assert for_office["content"] == CONTENT


def test_reminders_and_circulars_name_the_demand_by_its_masked_title(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    demand = submit_test_demand(world, title="陈志华13600001111反映漏水")
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    late = timezone.make_aware(datetime.datetime(2025, 9, 30, 10))
    Demand.objects.filter(pk=demand.pk).update(accept_due=late)
    sweeps.issue_notices(late + datetime.timedelta(days=9), NoticeKind.REMINDER)
    sweeps.issue_notices(late + datetime.timedelta(days=15), NoticeKind.CIRCULAR)
    notices = list(ReminderNotice.objects.filter(demand=demand))
    assert {notice.kind for notice in notices} == {"reminder", "circular"}
    for notice in notices:
        with notice.file.open("rb") as handle:
            document = docx.Document(io.BytesIO(handle.read()))
        text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
            cell.text for t in document.tables for row in t.rows for cell in row.cells
        )
        assert "陈**136****1111反映漏水" in text
        assert "13600001111" not in text


def test_the_leader_reads_notes_and_extension_reasons_masked(login, world):
    demand = submit_test_demand(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.return_demand(
        demand, reason="请联系陈志华13600001111核实地址", actor=world.liaison_a
    )
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    actions.request_extension(
        demand,
        days=3,
        reason="王小明先生13912345678要求现场查看",
        actor=world.liaison_a,
    )
    url = reverse("demands_office:detail", args=[demand.pk])
    leader = login(world.leader).get(url).content.decode()
    assert "请联系陈**136****1111核实地址" in leader
    assert "王**先生139****5678要求现场查看" in leader
    for secret in ("13600001111", "13912345678", "志华", "小明"):
        assert secret not in leader
    office = login(world.director).get(url).content.decode()
    assert "13600001111" in office
    assert "13912345678" in office
