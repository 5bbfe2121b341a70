"""Demo ledgers for the demo campaign: research visits, problems with measures (one
closed by the office and shown on the disclosure page) and practical deeds, made
through the actions by the demo's own liaisons, reviewers and office clerk."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Campaign
from files.evidence import check_upload
from ledgers.actions.deeds import (
    StageInput,
    create_deed,
    publish_deed,
    report_deed_progress,
    verify_deed,
)
from ledgers.actions.problems import (
    add_measure,
    apply_for_closure,
    confirm_measure,
    create_problem,
    publish_problem,
    report_progress,
    verify_problem,
)
from ledgers.actions.research import (
    raise_demand_from_finding,
    raise_problem_from_finding,
    record_visit,
)
from ledgers.models import DeedClass, EvidenceKind, ProblemSource, Severity
from org.models import Person, Unit
from text.demo_mark import DEMO_MARK

# the smallest PNG a browser shows: one transparent pixel
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)


def build_ledgers(campaign: Campaign) -> None:
    people = {p.username: p for p in Person.objects.filter(is_demo=True)}
    units = {u.name: u for u in Unit.objects.filter(organisation=campaign.organisation)}
    liaison, head = people["guihua_liaison"], people["guihua_head"]
    other_liaison, clerk = people["shuizheng_liaison"], people["zonghe"]
    planning, water = units["規劃計劃處"], units["水政水資源處"]
    task = campaign.main_tasks.order_by("sequence").first()

    visit = record_visit(
        campaign,
        planning,
        visited_on=datetime.date(2007, 4, 18),
        place="西江水文水資源勘測局" + DEMO_MARK,
        participants="規劃計劃處處長、聯絡員",
        topic="基層單位規劃項目前期工作經費" + DEMO_MARK,
        findings=[
            "前期工作經費下達偏晚，基層單位難以按期開展外業工作。",
            "基層單位希望增加技術培訓名額。",
        ],
        actor=liaison,
        is_demo=True,
    )
    first, second = visit.findings.order_by("sequence")
    closed = raise_problem_from_finding(
        first, severity=Severity.SERIOUS, main_task=task, actor=liaison
    )
    measure = add_measure(
        closed,
        description="提前下達前期工作經費計劃，建立季度撥付制度。",
        owner=liaison,
        reviewer=head,
        deadline=datetime.date(2007, 6, 30),
        actor=liaison,
    )
    report_progress(measure, percent=50, note="已擬定撥付制度", actor=liaison)
    pixel = check_upload(SimpleUploadedFile("after.png", PIXEL, "image/png"))
    report_progress(
        measure,
        percent=100,
        note="制度已印發，二季度經費已撥付。",
        evidence=[(EvidenceKind.AFTER, pixel)],
        actor=liaison,
    )
    apply_for_closure(closed, actor=liaison)
    confirm_measure(measure, actor=head)
    verify_problem(closed, actor=clerk)
    publish_problem(closed, published=True, actor=clerk)

    open_problem = create_problem(
        campaign,
        water,
        source=ProblemSource.SELF_INSPECTION,
        description="取水許可審批辦理時限偏長" + DEMO_MARK,
        severity=Severity.GENERAL,
        main_task=task,
        actor=other_liaison,
        is_demo=True,
    )
    water_measure = add_measure(
        open_problem,
        description="精簡審批環節，公開辦理時限。",
        owner=other_liaison,
        reviewer=people["shuizheng_staff"],
        deadline=datetime.date(2007, 9, 30),
        actor=other_liaison,
    )
    report_progress(water_measure, percent=30, actor=other_liaison)
    publish_problem(open_problem, published=True, actor=clerk)
    raise_demand_from_finding(
        second, kind="suggestion", urgency="normal", actor=liaison
    )

    deed = create_deed(
        campaign,
        planning,
        title="為基層水文站修繕職工宿舍" + DEMO_MARK,
        deed_class=DeedClass.STAGED,
        beneficiaries="基層水文站職工",
        target="年底前完成三個水文站宿舍修繕",
        deadline=datetime.date(2007, 12, 15),
        stages=[
            StageInput("摸底調查", datetime.date(2007, 5, 31)),
            StageInput("施工修繕", datetime.date(2007, 11, 30)),
        ],
        actor=liaison,
        is_demo=True,
    )
    report_deed_progress(deed, percent=40, on=datetime.date(2007, 6, 10), actor=liaison)
    publish_deed(deed, published=True, actor=clerk)
    quick = create_deed(
        campaign,
        water,
        title="開通取水許可諮詢熱線" + DEMO_MARK,
        deed_class=DeedClass.IMMEDIATE,
        beneficiaries="取水單位和群眾",
        target="一週內開通並公佈號碼",
        deadline=datetime.date(2007, 4, 30),
        actor=other_liaison,
        is_demo=True,
    )
    report_deed_progress(
        quick, percent=100, on=datetime.date(2007, 4, 20), actor=other_liaison
    )
    verify_deed(quick, actor=clerk)
    publish_deed(quick, published=True, actor=clerk)
