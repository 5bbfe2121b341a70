"""Every object the back office's forms create, edit or delete is on the audit page.

Each model exposed through a viewset is created, edited and deleted through its
admin form with the Django test client; the office of its campaign then finds each
step on ``/admin/audit/`` with who did it, from which address and what changed
(before and after), and another campaign's office finds none of it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import registry as log_registry

from audit_search.search import Row
from campaigns.models import Decision, Meeting, Requirement
from campaigns.tests.factories import (
    BodyFactory,
    MainTaskFactory,
    PhaseFactory,
    PositionFactory,
)
from conftest import World
from core.viewsets import AuditedCreateView, AuditedDeleteView, AuditedEditView
from demands.models import DeadlineRule, DemandKind
from demands.tests.factories import AreaFactory, CategoryFactory
from evaluation.models import InspectionRound, Survey
from evaluation.tests.factories import (
    IndicatorFactory,
    IndicatorSetFactory,
    InspectionRoundFactory,
    QuestionFactory,
    SurveyFactory,
)
from org.models import WorkdayOverride
from org.tests.factories import MembershipFactory, PersonFactory
from plans.models import Milestone, Responsibility
from publicity.models import SensitiveWord
from publicity.tests.conftest import build_column, write

pytestmark = pytest.mark.django_db

URL = reverse("audit_search")
ADDRESS = "127.0.0.1"  # the test client's REMOTE_ADDR


@dataclass
class Case:
    namespace: str
    build: Callable[[World], Model]  # an object of the world, to copy the form of
    create: dict[str, str]  # what the new object's form says otherwise
    edit: dict[str, str]  # then changed on the new object
    persona: str = "director"
    shared: bool = False  # reference data of every campaign, seen by every office
    extra: dict[str, Any] = field(default_factory=dict)  # other fields of the new one
    shown: str = ""  # what the creation's entry shows, if not the first value


def _meeting(world: World) -> Meeting:
    return Meeting.objects.create(
        campaign=world.campaign, title="動員會", held_on=datetime.date(2007, 3, 27)
    )


def _decision(world: World) -> Decision:
    return Decision.objects.create(
        meeting=_meeting(world),
        text="各處室月底前報送方案",
        owner_unit=world.unit_a,
        deadline=datetime.date(2007, 4, 30),
    )


def _responsibility(world: World) -> Responsibility:
    return Responsibility.objects.create(
        campaign=world.campaign, work_item="清理積案", lead_unit=world.unit_a
    )


def _milestone(world: World) -> Milestone:
    return Milestone.objects.create(
        phase=PhaseFactory.create(campaign=world.campaign),
        title="方案報送",
        owner_unit=world.unit_a,
        due_on=datetime.date(2007, 4, 15),
    )


def _round(world: World) -> InspectionRound:
    round_ = InspectionRoundFactory.create(
        indicator_set=IndicatorSetFactory.create(
            campaign=world.campaign, status="in_force"
        ),
        starts_on=datetime.date(2007, 6, 1),
    )
    round_.inspectors.add(world.director)
    round_.units.add(world.unit_a)
    return round_


def _survey(world: World) -> Survey:
    survey = SurveyFactory.create(campaign=world.campaign)
    survey.units.add(world.unit_a)
    return survey


CASES = [
    Case("meeting", _meeting, {"title": "第二次推進會"}, {"place": "三樓會議室"}),
    Case("decision", _decision, {"text": "建立台賬"}, {"text": "建立並公開台賬"}),
    Case(
        "demand_category",
        lambda w: CategoryFactory.create(
            campaign=w.campaign, default_unit=w.unit_a, name="供水"
        ),
        {"name": "道路"},
        {"name": "道路交通"},
    ),
    Case(
        "demand_area",
        lambda w: AreaFactory.create(campaign=w.campaign, name="海珠區"),
        {"name": "越秀區"},
        {"name": "越秀區（老城）"},
    ),
    Case(
        "responsibility",
        _responsibility,
        {"work_item": "走訪群眾"},
        {"work_item": "走訪困難群眾"},
    ),
    Case(
        "phase",
        lambda w: PhaseFactory.create(campaign=w.campaign, sequence=1),
        {"name": "查擺問題", "sequence": "2"},
        {"name": "整改落實"},
    ),
    Case(
        "maintask",
        lambda w: MainTaskFactory.create(campaign=w.campaign, sequence=1),
        {"name": "解決難題", "sequence": "2"},
        {"name": "解決群眾難題"},
    ),
    Case(
        "requirement",
        lambda w: Requirement.objects.create(
            campaign=w.campaign, sequence=1, text="加強領導"
        ),
        {"text": "嚴明紀律", "sequence": "2"},
        {"text": "嚴明工作紀律"},
    ),
    Case(
        "body",
        lambda w: BodyFactory.create(campaign=w.campaign, name="督導組"),
        {"name": "材料組"},
        {"duties": "起草文件"},
    ),
    Case(
        "position",
        lambda w: PositionFactory.create(body=w.office, title="副主任"),
        {"title": "聯絡員"},
        {"title": "信息員"},
        extra={"person": lambda w: PersonFactory.create().pk},
    ),
    Case("milestone", _milestone, {"title": "自查報告"}, {"title": "整改報告"}),
    Case(
        "deadline_rule",
        lambda w: DeadlineRule.objects.create(
            campaign=w.campaign, kind=DemandKind.HELP, reply_days=7
        ),
        {"kind": DemandKind.COMPLAINT},
        {"reply_days": "9"},
        shown=str(DemandKind.COMPLAINT.label),
    ),
    Case(
        "workday_override",
        lambda w: WorkdayOverride.objects.create(
            day=datetime.date(2031, 10, 1), is_workday=False, note="國慶"
        ),
        {"day": "2031-10-02"},
        {"note": "國慶假期"},
        shared=True,
    ),
    Case(
        "membership",
        lambda w: MembershipFactory.create(unit=w.unit_a, title="幹事"),
        {"title": "副處長"},
        {"title": "處長"},
        extra={"person": lambda w: PersonFactory.create().pk},
    ),
    Case(
        "indicator_set",
        lambda w: IndicatorSetFactory.create(campaign=w.campaign),
        {"name": "年度考核"},
        {"name": "年度綜合考核"},
    ),
    Case(
        "indicator",
        lambda w: IndicatorFactory.create(
            indicator_set=IndicatorSetFactory.create(campaign=w.campaign)
        ),
        {"name": "辦結率"},
        {"name": "按期辦結率"},
    ),
    Case(
        "inspection_round",
        _round,
        {"name": "第一次督查"},
        {"name": "第二次督查"},
    ),
    Case(
        "survey",
        _survey,
        {"name": "群眾測評"},
        {"introduction": "請如實填寫"},
    ),
    Case(
        "survey_question",
        lambda w: QuestionFactory.create(
            survey=SurveyFactory.create(campaign=w.campaign)
        ),
        {"text": "您滿意嗎"},
        {"text": "您對整改滿意嗎"},
    ),
    Case(
        "sensitive_word",
        lambda w: SensitiveWord.objects.create(campaign=w.campaign, word="內部"),
        {"word": "絕密"},
        {"note": "涉密"},
    ),
]


def form_data(client: Client, url: str) -> dict[str, Any]:
    """What the form at ``url`` would post back unchanged."""
    response = client.get(url)
    assert response.status_code == 200, url
    form = response.context["form"]
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            data[name] = str(getattr(value, "pk", value))
    return data


def rows_seen_by(client: Client) -> list[Row]:
    response = client.get(URL)
    assert response.status_code == 200
    rows: list[Row] = response.context["rows"]
    return rows


def label(action: str) -> str:
    return str(log_registry.get_action_label(action))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.namespace)
def test_a_form_change_is_on_the_audit_page_of_its_campaigns_office(
    login, world, other_world, case
):
    model = case.build(world)
    actor = getattr(world, case.persona)
    client = login(actor)
    data = form_data(client, reverse(f"{case.namespace}:edit", args=[model.pk]))
    data.update(case.create)
    data.update({name: make(world) for name, make in case.extra.items()})
    response = client.post(reverse(f"{case.namespace}:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    created = type(model).objects.exclude(pk=model.pk).get(**case.create)

    edit_url = reverse(f"{case.namespace}:edit", args=[created.pk])
    data = form_data(client, edit_url)
    before = {name: data.get(name, "") for name in case.edit}
    data.update(case.edit)
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(reverse(f"{case.namespace}:delete", args=[created.pk]))
    assert response.status_code == 302
    assert not type(model).objects.filter(pk=created.pk).exists()

    rows = rows_seen_by(login(world.director))
    ours = [row for row in rows if row.actor == actor.username]
    by_action = {row.action: row for row in ours}
    assert {
        label("wagtail.create"),
        label("wagtail.edit"),
        label("wagtail.delete"),
    } <= set(by_action)
    assert {row.address for row in ours} == {ADDRESS}
    shown = case.shown or next(iter(case.create.values()))
    assert f"— → {shown}" in by_action[label("wagtail.create")].details
    for name, value in case.edit.items():
        assert f"{before[name]} → {value}" in by_action[label("wagtail.edit")].details
    # the deleted object's values are kept on its entry
    assert next(iter(case.edit.values())) in by_action[label("wagtail.delete")].details

    elsewhere = rows_seen_by(login(other_world.director))
    seen_elsewhere = [row for row in elsewhere if row.actor == actor.username]
    assert bool(seen_elsewhere) == case.shared


def test_every_viewset_of_the_back_office_is_covered_and_audited():
    covered = {case.namespace for case in CASES} | set(EDITED_ONLY)
    covered.add("wagtailusers_users")  # tested below, with Wagtail's own form
    # a unit is created by its own view (``create_unit``, audited as
    # sanfu.unit.create), API tokens are issued and revoked by theirs
    own_views = {"unit": ("add",), "api_tokens": ("add", "delete")}
    audited = {
        "add": AuditedCreateView,
        "edit": AuditedEditView,
        "delete": AuditedDeleteView,
    }
    registered = [
        viewset
        for viewset in viewsets.viewsets
        if isinstance(viewset, ModelViewSet)
        and viewset.model._meta.app_label in settings.SANFU_APPS
    ]
    assert {viewset.name for viewset in registered} - set(own_views) <= covered
    for viewset in registered:
        for view, audited_view in audited.items():
            if view not in own_views.get(viewset.name, ()):
                view_class = getattr(viewset, f"{view}_view_class")
                assert issubclass(view_class, audited_view), (viewset.name, view)


# a campaign is made by ``create_campaign`` (its add form names no organisation),
# an organisation by a superuser: their edits are what an office sees
EDITED_ONLY = {
    "campaign": ("slogan", "為民辦實事"),
    "organisation": ("description", "主管部門"),
}


@pytest.mark.parametrize(
    ("namespace", "changed", "value"),
    [(key, *value) for key, value in EDITED_ONLY.items()],
)
def test_a_superusers_edit_of_the_campaign_or_organisation_is_shown_to_its_office(
    login, world, other_world, namespace, changed, value
):
    instance = world.campaign if namespace == "campaign" else world.organisation
    client = login(world.superuser)
    edit_url = reverse(f"{namespace}:edit", args=[instance.pk])
    data = form_data(client, edit_url)
    before = data.get(changed, "")
    data[changed] = value
    assert client.post(edit_url, data).status_code == 302

    edits = [
        row
        for row in rows_seen_by(login(world.director))
        if row.action == label("wagtail.edit")
    ]
    assert [(row.actor, row.address) for row in edits] == [
        (world.superuser.username, ADDRESS)
    ]
    assert f"{before} → {value}" in edits[0].details
    elsewhere = rows_seen_by(login(other_world.director))
    assert not [row for row in elsewhere if row.action == label("wagtail.edit")]


def test_a_persons_edit_through_wagtails_user_form_shows_what_changed(login, world):
    client = login(world.superuser)
    edit_url = reverse("wagtailusers_users:edit", args=[world.staff_a.pk])
    data = form_data(client, edit_url)
    # Wagtail's form asks for these; they are personal: masked in the entry
    data.update(first_name="小明", last_name="王", email="wxm@example.org")
    data["is_superuser"] = "on"
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors

    edits = [
        row
        for row in rows_seen_by(login(world.superuser))
        if row.action == label("wagtail.edit")
    ]
    assert [(row.actor, row.address) for row in edits] == [
        (world.superuser.username, ADDRESS)
    ]
    # a boolean in words (the catalogue's "No" and "Yes"), not Python's
    assert "否 → 是" in edits[0].details
    assert "True" not in edits[0].details
    assert "小明" not in edits[0].details
    assert "wxm@example.org" not in edits[0].details
    # a person belongs to no campaign: the offices do not see it
    assert not [
        row
        for row in rows_seen_by(login(world.director))
        if row.action == label("wagtail.edit")
    ]


def test_wagtails_own_page_entries_are_shown_to_the_office_of_the_pages_campaign(
    login, world, other_world
):
    column = build_column(world)
    page = write(world, column, title="甲處開展調研")
    page.title = "甲處深入基層調研"
    # what Wagtail's page editor does on "Save draft"
    page.save_revision(user=world.editor, log_action=True)

    rows = rows_seen_by(login(world.director))
    assert (world.editor.username, label("wagtail.edit")) in {
        (row.actor, row.action) for row in rows
    }
    # the column's own steps (the draft the unit saved) too
    assert world.liaison_a.username in {row.actor for row in rows}
    elsewhere = rows_seen_by(login(other_world.director))
    assert not {world.editor.username, world.liaison_a.username} & {
        row.actor for row in elsewhere
    }
