"""The plans screens over HTTP: each step, its errors, the exports, and every
screen's refusals (anonymous, another unit's liaison, another campaign's office, a
unit's staff member)."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from campaigns import actions as campaign_actions
from campaigns.models import Decision
from campaigns.tests.factories import PhaseFactory
from plans import actions as plan_actions
from plans.models import Milestone, PlanStatus, Responsibility, UnitPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(world, other_world, phase, submitted_plan, meeting):
    """One of everything, in ``world``'s campaign."""
    version = plan_actions.draft_work_plan(
        world.campaign, title="工作方案", body="<p>正文</p>", actor=world.clerk
    )
    milestone = Milestone.objects.create(
        phase=phase,
        title="印發",
        owner_unit=world.unit_a,
        due_on=datetime.date(2007, 4, 6),
    )
    item = campaign_actions.record_decision(
        meeting,
        text="報送方案",
        deadline=datetime.date(2007, 4, 20),
        owner_unit=world.unit_a,
        actor=world.clerk,
    )
    return {
        "campaign": world.campaign.pk,
        "version": version.pk,
        "milestone": milestone.pk,
        "plan": submitted_plan.pk,
        "item": item.pk,
        "unit": world.unit_a.pk,
    }


# (url name, its arguments, method, who sees it in world besides the office)
SCREENS = [
    ("work_plan", ["campaign"], "get"),
    ("work_plan_version", ["version"], "get"),
    ("work_plan_attachment", ["version"], "get"),
    ("schedule_xlsx", ["campaign"], "get"),
    ("measures_xlsx", ["campaign"], "get"),
    ("not_submitted", ["campaign"], "get"),
    ("unit_plan", ["plan"], "get"),
    ("timeline", ["campaign"], "get"),
    ("timeline_ics", ["campaign"], "get"),
    ("milestone_done", ["milestone"], "post"),
    ("start_unit_plan", ["campaign", "unit"], "post"),
    ("action_item_done", ["item"], "post"),
    ("work_plan_step", ["campaign", "draft"], "post"),
    ("work_plan_version_step", ["version", "submit"], "post"),
    ("unit_plan_step", ["plan", "return"], "post"),
]
# The timeline is for everyone working in the campaign.
OPEN_TO_THE_CAMPAIGN = {"timeline", "timeline_ics"}


def url_of(rows, name, args):
    return reverse(f"campaign_plans:{name}", args=[rows.get(arg, arg) for arg in args])


@pytest.mark.parametrize(("name", "args", "method"), SCREENS)
def test_the_public_is_sent_to_log_in(client, rows, name, args, method):
    response = getattr(client, method)(url_of(rows, name, args))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


@pytest.mark.parametrize(("name", "args", "method"), SCREENS)
def test_another_campaigns_office_finds_nothing(
    login, other_world, rows, name, args, method
):
    response = getattr(login(other_world.director), method)(url_of(rows, name, args))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["liaison_b", "staff_a"])
@pytest.mark.parametrize(("name", "args", "method"), SCREENS)
def test_another_unit_and_a_staff_member_are_refused(
    login, world, rows, who, name, args, method
):
    response = getattr(login(getattr(world, who)), method)(url_of(rows, name, args))
    if name in OPEN_TO_THE_CAMPAIGN:
        assert response.status_code == 200
    elif method == "post" and name == "milestone_done":
        assert response.status_code == 403  # seen on the timeline, not theirs
    else:
        assert response.status_code == 404


def test_a_liaison_cannot_decide_on_its_own_plan(login, world, rows):
    client = login(world.liaison_a)
    url = reverse("campaign_plans:unit_plan_step", args=[rows["plan"], "approve"])
    assert client.post(url).status_code == 403


def test_the_office_cannot_edit_a_units_plan(login, world, rows, task):
    client = login(world.clerk)
    url = reverse("campaign_plans:unit_plan_step", args=[rows["plan"], "measure"])
    assert client.post(url, {"main_task": task.pk}).status_code in (400, 403)


def test_the_director_cannot_approve_the_work_plan(login, world, rows):
    client = login(world.director)
    url = reverse(
        "campaign_plans:work_plan_version_step", args=[rows["version"], "submit"]
    )
    client.post(url)
    url = reverse(
        "campaign_plans:work_plan_version_step", args=[rows["version"], "approve"]
    )
    assert client.post(url).status_code == 403


def test_the_leader_approves_the_work_plan_on_its_page(login, world, rows):
    clerk = login(world.clerk)
    clerk.post(
        reverse(
            "campaign_plans:work_plan_version_step", args=[rows["version"], "submit"]
        )
    )
    leader = login(world.leader)
    page = leader.get(
        reverse("campaign_plans:work_plan_version", args=[rows["version"]])
    )
    assert "正文" in page.content.decode()
    leader.post(
        reverse(
            "campaign_plans:work_plan_version_step", args=[rows["version"], "approve"]
        )
    )
    page = leader.get(reverse("campaign_plans:work_plan", args=[rows["campaign"]]))
    assert page.context["current"].pk == rows["version"]


def test_the_office_drafts_a_version_and_an_empty_text_gets_a_field_error(
    login, world, rows
):
    client = login(world.clerk)
    url = reverse("campaign_plans:work_plan_step", args=[rows["campaign"], "draft"])
    refused = client.post(url, {"title": "二稿", "body": "<script>x</script>"})
    assert refused.status_code == 400
    assert "body" in refused.context["draft_form"].errors
    client.post(url, {"title": "二稿", "body": "<p>二稿正文</p>"})
    assert world.campaign.work_plan_versions.count() == 2


def test_returning_a_plan_without_a_comment_shows_the_error_on_the_field(
    login, world, rows
):
    client = login(world.clerk)
    url = reverse("campaign_plans:unit_plan_step", args=[rows["plan"], "return"])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 400
    assert "comment" in response.context["return_form"].errors


def test_a_measure_out_of_the_period_shows_the_error_on_the_field(
    login, world, plan_a, task
):
    client = login(world.liaison_a)
    url = reverse("campaign_plans:unit_plan_step", args=[plan_a.pk, "measure"])
    response = client.post(
        url,
        {
            "main_task": task.pk,
            "content": "走訪",
            "owner": "張三",
            "deadline": "2008-02-01",
        },
    )
    assert response.status_code == 400
    assert "deadline" in response.context["measure_form"].errors
    assert not plan_a.measures.exists()


def test_the_office_sees_which_units_have_not_submitted(login, world, rows):
    page = login(world.clerk).get(
        reverse("campaign_plans:not_submitted", args=[rows["campaign"]])
    )
    names = [unit.name for unit, _plan in page.context["units"]]
    assert world.unit_b.name in names
    assert world.unit_a.name not in names


def test_the_owner_marks_an_action_item_done_and_a_missing_note_is_an_error(
    login, world, rows
):
    client = login(world.liaison_a)
    url = reverse("campaign_plans:action_item_done", args=[rows["item"]])
    assert client.post(url, {"note": ""}).status_code == 400
    client.post(url, {"note": "已報送"})
    assert Decision.objects.get(pk=rows["item"]).status == "done"


def test_the_action_items_list_shows_overdue_items(login, world, rows):
    page = login(world.liaison_a).get(reverse("campaign_plans:action_items"))
    [(item, overdue, may_complete)] = page.context["rows"]
    assert item.pk == rows["item"] and overdue and may_complete
    other = login(world.liaison_b).get(reverse("campaign_plans:action_items"))
    assert other.context["rows"] == []


def test_the_index_lists_only_plans_in_scope(login, world, rows):
    assert (
        len(
            login(world.clerk)
            .get(reverse("campaign_plans:index"))
            .context["unit_plans"]
        )
        == 1
    )
    for who in (world.liaison_b, world.staff_a):
        page = login(who).get(reverse("campaign_plans:index"))
        assert page.context["unit_plans"] == []


def test_the_office_exports_the_schedule_and_the_measures(login, world, rows, task):
    row = Responsibility.objects.create(
        campaign=world.campaign,
        work_item="=SUM(A1)",
        lead_unit=world.unit_a,
        main_task=task,
    )
    row.cooperating_units.set([world.unit_b])
    client = login(world.clerk)
    response = client.get(
        reverse("campaign_plans:schedule_xlsx", args=[rows["campaign"]])
    )
    workbook = load_workbook(io.BytesIO(response.content))
    duties = list(workbook.worksheets[0].values)
    assert duties[1][1:4] == ("=SUM(A1)", world.unit_a.name, world.unit_b.name)
    assert workbook.worksheets[0]["B2"].data_type == "s"
    milestones = list(workbook.worksheets[1].values)
    assert milestones[1][1] == "印發" and milestones[1][4] == "2007年4月6日"
    response = client.get(
        reverse("campaign_plans:measures_xlsx", args=[rows["campaign"]])
    )
    measures = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert measures[1][1:6] == (
        "走訪基層單位",
        world.unit_a.name,
        task.name,
        "張三",
        "2007年6月30日",
    )


def test_a_milestone_out_of_its_phase_is_refused_in_the_admin(login, world, phase):
    client = login(world.clerk)
    response = client.post(
        reverse("milestone:add"),
        {
            "phase": phase.pk,
            "title": "x",
            "owner_unit": world.unit_a.pk,
            "due_on": "2007-06-01",
        },
    )
    assert response.status_code == 200
    assert "due_on" in response.context["form"].errors
    assert not Milestone.objects.exists()


def test_the_admin_offers_only_the_users_own_campaigns_phases(
    login, world, other_world
):
    foreign = PhaseFactory.create(campaign=other_world.campaign)
    client = login(world.clerk)
    response = client.post(
        reverse("milestone:add"),
        {
            "phase": foreign.pk,
            "title": "x",
            "owner_unit": world.unit_a.pk,
            "due_on": "2007-04-01",
        },
    )
    assert "phase" in response.context["form"].errors


def test_the_plan_status_shows_on_the_unit_plan_page(login, world, rows):
    page = login(world.liaison_a).get(
        reverse("campaign_plans:unit_plan", args=[rows["plan"]])
    )
    assert page.context["plan"].status == PlanStatus.SUBMITTED
    assert not page.context["editable"]


def test_the_office_records_a_meeting_with_place_and_attendees(
    login, world, other_world
):
    client = login(world.clerk)
    form = client.get(reverse("meeting:add")).context["form"]
    offered = set(form.fields["attendees"].queryset)
    assert world.liaison_a in offered and other_world.liaison_a not in offered
    response = client.post(
        reverse("meeting:add"),
        {
            "campaign": world.campaign.pk,
            "title": "推進會",
            "held_on": "2007-05-10",
            "place": "三樓會議室",
            "host": world.director.pk,
            "attendees": [world.liaison_a.pk, world.head_a.pk],
        },
    )
    assert response.status_code == 302
    meeting = world.campaign.meetings.get(title="推進會")
    assert meeting.place == "三樓會議室"
    assert set(meeting.attendees.all()) == {world.liaison_a, world.head_a}


def test_the_action_items_list_costs_the_same_for_many_rows(login, world, meeting):
    client = login(world.clerk)
    url = reverse("campaign_plans:action_items")

    def add(count):
        for _ in range(count):
            campaign_actions.record_decision(
                meeting,
                text="落實",
                deadline=datetime.date(2007, 4, 20),
                owner_unit=world.unit_a,
                actor=world.clerk,
            )

    add(1)
    client.get(url)  # warm the session and the admin's caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(5)
    with CaptureQueriesContext(connection) as six:
        assert len(client.get(url).context["rows"]) == 6
    assert len(six) == len(one)


def test_a_post_to_the_work_plan_page_itself_names_no_step(login, world):
    url = reverse("campaign_plans:work_plan", args=[world.campaign.pk])
    assert login(world.director).post(url, {}).status_code == 404


def test_the_meeting_page_lists_its_decisions(login, world, rows):
    page = login(world.clerk).get(
        reverse("meeting:inspect", args=[Decision.objects.get().meeting_id])
    )
    assert page.status_code == 200
    assert "報送方案" in page.content.decode()


def test_action_items_name_their_status_and_column_as_such(login, world, rows):
    page = login(world.liaison_a).get(reverse("campaign_plans:action_items"))
    html = page.content.decode()
    # 打开 is the verb "to open"; 审批结果 is a demand's extension decision
    assert "打开" not in html and "审批结果" not in html


@pytest.mark.parametrize(
    "name, args",
    [
        ("index", []),
        ("timeline", ["campaign"]),
        ("unit_plan", ["plan"]),
        ("action_items", []),
    ],
)
def test_plans_pages_are_headed_with_their_title(login, world, rows, name, args):
    page = login(world.clerk).get(
        reverse(f"campaign_plans:{name}", args=[rows[arg] for arg in args])
    )
    title = str(page.context["view"].page_title)
    assert page.context["breadcrumbs_items"][-1]["label"] == title


def test_the_return_comment_stays_on_the_plan_once_approved(login, world, rows):
    plan = UnitPlan.objects.get(pk=rows["plan"])
    plan_actions.return_unit_plan(plan, comment="請補充時限", actor=world.clerk)
    plan_actions.submit_unit_plan(plan, actor=world.liaison_a)
    plan_actions.approve_unit_plan(plan, actor=world.clerk)
    page = login(world.liaison_a).get(
        reverse("campaign_plans:unit_plan", args=[plan.pk])
    )
    assert "請補充時限" in page.content.decode()


def test_a_units_people_read_the_duties_it_leads_or_co_operates_on(login, world):
    def duty(work_item, lead_unit, *cooperating):
        row = Responsibility.objects.create(
            campaign=world.campaign, work_item=work_item, lead_unit=lead_unit
        )
        row.cooperating_units.set(cooperating)
        return row

    led = duty("牽頭事項", world.unit_a)
    helped = duty("配合事項", world.unit_b, world.unit_a)
    other = duty("他處事項", world.unit_b)
    for who in (world.liaison_a, world.head_a):
        client = login(who)
        page = client.get(reverse("responsibility:index"))
        assert page.status_code == 200
        assert {row.pk for row in page.context["object_list"]} == {led.pk, helped.pk}
        # the co-operating units have a column of their own
        column = page.context["table"].columns["cooperating_units"]
        assert column.get_value(helped) == world.unit_a.name
        assert column.get_value(led) == "—"
        inspect = reverse("responsibility:inspect", args=[helped.pk])
        assert client.get(inspect).status_code == 200
        for name in ("responsibility:edit", "responsibility:delete"):
            assert client.get(reverse(name, args=[helped.pk])).status_code != 200
        refused = client.get(reverse("responsibility:inspect", args=[other.pk]))
        assert refused.status_code == 404
    assert login(world.staff_a).get(reverse("responsibility:index")).status_code != 200
