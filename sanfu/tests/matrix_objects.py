"""One of everything a URL can name, made through the actions in a persona world.

The authorization matrix fills every URL parameter from these objects: each belongs
to unit A of ``world``'s campaign (or to the campaign itself), so unit A's people
are the owners, unit B's liaison is the neighbour and the office runs the campaign.
Made once per world and reused by every request of a role.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone

from api.actions import issue_token
from api.models import ApiToken, Open311Token
from campaigns import actions as campaign_actions
from campaigns.models import (
    Body,
    Campaign,
    Decision,
    MainTask,
    Meeting,
    Phase,
    Position,
    Requirement,
)
from campaigns.tests.factories import MainTaskFactory, PhaseFactory
from conftest import World
from demands import actions as demand_actions
from demands.models import (
    Area,
    Attachment,
    Category,
    DeadlineRule,
    Demand,
    DemandKind,
    ExtensionRequest,
    Hotspot,
    HotspotRun,
    ReminderNotice,
    ReturnVisit,
    Urgency,
)
from demands.tests.factories import AreaFactory, CategoryFactory
from evaluation import actions as evaluation_actions
from evaluation.models import (
    Audience,
    Indicator,
    IndicatorSet,
    InspectionRound,
    InspectionScore,
    Question,
    QuestionKind,
    SetStatus,
    Survey,
    SurveyMode,
    SurveyStatus,
)
from evaluation.tests.factories import (
    IndicatorFactory,
    IndicatorSetFactory,
    InspectionRoundFactory,
    QuestionFactory,
    SurveyFactory,
)
from jobs.models import Job, JobState
from ledgers import lookback
from ledgers.actions.deeds import report_deed_progress
from ledgers.actions.problems import report_progress
from ledgers.actions.research import record_visit
from ledgers.models import (
    DeedUpdate,
    EvidenceKind,
    Finding,
    LookBack,
    LookBackItem,
    PracticalDeed,
    Problem,
    ProgressUpdate,
    RectificationMeasure,
    ResearchVisit,
)
from ledgers.tests.conftest import DAY, make_deed, make_measure, make_problem, png
from notify.actions import notify
from notify.models import Notification
from org.models import Membership, Organisation, Unit, WorkdayOverride
from plans import actions as plan_actions
from plans.models import Milestone, Responsibility, UnitPlan, WorkPlanVersion
from publicity import actions as publicity_actions
from publicity.briefings.actions import create_briefing
from publicity.models import (
    AdvancedModelPage,
    ArticlePage,
    BriefingPage,
    CampaignPage,
    Objection,
    SensitiveWord,
)

_png = png


@dataclass
class Things:
    world: World
    demand: Demand
    query_code: str
    open311_token: str
    attachment: Attachment
    extension: ExtensionRequest
    return_visit: ReturnVisit
    notice: ReminderNotice
    category: Category
    area: Area
    deadline_rule: DeadlineRule
    phase: Phase
    main_task: MainTask
    requirement: Requirement
    meeting: Meeting
    decision: Decision
    work_plan: WorkPlanVersion
    milestone: Milestone
    responsibility: Responsibility
    unit_plan: UnitPlan
    visit: ResearchVisit
    finding: Finding
    problem: Problem
    measure: RectificationMeasure
    evidence: ProgressUpdate
    deed: PracticalDeed
    deed_update: DeedUpdate
    look_back: LookBack
    look_back_item: LookBackItem
    indicator_set: IndicatorSet
    indicator: Indicator
    inspection_round: InspectionRound
    score: InspectionScore
    survey: Survey
    question: Question
    column: CampaignPage
    article: ArticlePage
    model_page: AdvancedModelPage
    objection: Objection
    briefing: BriefingPage
    sensitive_word: SensitiveWord
    notification: Notification
    job: Job
    failed_job: Job
    import_preview: Job
    token: ApiToken
    workday: WorkdayOverride
    hotspot: Hotspot
    by_model: dict[type[Model], Model] = field(default_factory=dict)

    def of(self, model: type[Model]) -> Model:
        """The object of ``model`` that the world's unit A or campaign owns."""
        return self.by_model[model]


def _hotspot(demand: Demand) -> Hotspot:
    """A hotspot of the week's run holding the demand, as the weekly job stores it."""
    run = HotspotRun.objects.create(
        campaign=demand.campaign, week=datetime.date(2007, 4, 23), demands=1
    )
    hotspot = Hotspot.objects.create(
        run=run, label="水渠 堵塞", size=1, counts=[0, 0, 0, 1], rising=True
    )
    hotspot.demands.add(demand)
    return hotspot


def build_things(world: World, *, column_slug: str) -> Things:
    campaign = world.campaign
    task = MainTaskFactory.create(campaign=campaign, name="服務基層")
    phase = PhaseFactory.create(
        campaign=campaign,
        sequence=1,
        name="動員部署",
        starts_on=datetime.date(2007, 3, 27),
        ends_on=datetime.date(2007, 12, 31),
    )
    category = CategoryFactory.create(
        campaign=campaign, main_task=task, default_unit=world.unit_a, name="供水"
    )
    deadline_rule = DeadlineRule.objects.create(
        campaign=campaign, kind=DemandKind.HELP, reply_days=10
    )
    area = AreaFactory.create(campaign=campaign, name="海珠區")

    demand, code = demand_actions.submit_demand(
        campaign,
        kind=DemandKind.HELP,
        title="村口水渠堵塞",
        content="雨季將至，村口水渠堵塞，請幫助疏通。",
        urgency=Urgency.NORMAL,
        category=category,
        submitter_name="張三",
        submitter_phone="13812345678",
        attachments=[_png("photo.png")],
    )
    demand_actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    demand_actions.accept_demand(demand, actor=world.liaison_a)
    extension = demand_actions.request_extension(
        demand, days=5, reason="需協調他處", actor=world.liaison_a
    )
    # a duplicate merged into the demand and split off again (合併, 拆分)
    duplicate, _duplicate_code = demand_actions.submit_demand(
        campaign,
        kind=DemandKind.HELP,
        title="村口水渠又堵了",
        content="村口水渠堵塞，請疏通。",
        urgency=Urgency.NORMAL,
        category=category,
    )
    demand_actions.merge_demand(duplicate, demand, actor=world.clerk)
    demand_actions.split_demand(duplicate, actor=world.clerk)
    demand.refresh_from_db()
    # a reminder notice and a return visit as the sweeps would make them
    notice = ReminderNotice.objects.create(
        demand=demand,
        kind="reminder",
        deadline=timezone.now(),
        unit=world.unit_a,
        created_at=timezone.now(),
    )
    notice.file.save("reminder.docx", SimpleUploadedFile("r.docx", b"docx"))
    return_visit = ReturnVisit.objects.create(
        demand=demand,
        replied_at=timezone.now(),
        due_on=DAY,
    )

    requirement = Requirement.objects.create(
        campaign=campaign, sequence=1, text="深入基層"
    )
    meeting = Meeting.objects.create(
        campaign=campaign,
        title="研究部署會議",
        held_on=datetime.date(2007, 3, 27),
        place="會議室",
        host=world.director,
    )
    decision = campaign_actions.record_decision(
        meeting,
        text="各處制定方案",
        deadline=datetime.date(2007, 4, 30),
        owner_unit=world.unit_a,
        actor=world.director,
    )
    work_plan = plan_actions.draft_work_plan(
        campaign,
        title="工作方案",
        body="<p>方案</p>",
        attachment=_png("plan.png"),
        actor=world.director,
    )
    milestone = Milestone.objects.create(
        phase=phase, title="動員大會", owner_unit=world.unit_a, due_on=DAY
    )
    responsibility = Responsibility.objects.create(
        campaign=campaign, work_item="調研", lead_unit=world.unit_a, main_task=task
    )
    unit_plan = plan_actions.start_unit_plan(
        campaign, world.unit_a, title="甲處實施方案", actor=world.liaison_a
    )

    visit = record_visit(
        campaign,
        world.unit_a,
        visited_on=DAY,
        place="基層站",
        participants="甲處",
        topic="供水",
        findings=["宿舍漏水", "道路破損"],
        actor=world.liaison_a,
    )
    finding = visit.findings.order_by("pk").first()
    assert finding is not None
    problem = make_problem(world)
    measure = make_measure(world, problem)
    report_progress(
        measure,
        percent=50,
        evidence=[(EvidenceKind.AFTER, _png("after.png"))],
        actor=world.staff_a,
    )
    evidence = ProgressUpdate.objects.filter(measure=measure).latest("pk")
    deed = make_deed(world)
    report_deed_progress(
        deed, percent=40, on=DAY, photos=[_png("deed.png")], actor=world.liaison_a
    )
    deed_update = DeedUpdate.objects.filter(deed=deed).latest("pk")
    closed = make_problem(world, description="台賬不全")
    Problem.objects.filter(pk=closed.pk).update(
        status="closed", closed_at=timezone.now()
    )
    look_back = lookback.start_look_back(
        campaign, chosen=[closed.pk], actor=world.director, today=DAY
    )
    look_back_item = look_back.items.get()

    indicator_set = IndicatorSetFactory.create(
        campaign=campaign, status=SetStatus.IN_FORCE
    )
    indicator = IndicatorFactory.create(
        indicator_set=indicator_set, name="工作落實", max_score=Decimal("10")
    )
    inspection_round = InspectionRoundFactory.create(
        indicator_set=indicator_set,
        starts_on=datetime.date(2007, 6, 1),
        ends_on=datetime.date(2007, 6, 30),
    )
    inspection_round.inspectors.add(world.clerk)
    inspection_round.units.add(world.unit_a, world.unit_b)
    score = evaluation_actions.score_unit(
        inspection_round,
        world.unit_a,
        indicator,
        score=Decimal("8"),
        evidence=_png("score.png"),
        actor=world.clerk,
    )
    survey = SurveyFactory.create(
        campaign=campaign,
        audience=Audience.PUBLIC,
        mode=SurveyMode.OPEN,
        status=SurveyStatus.OPEN,
    )
    survey.units.add(world.unit_a, world.unit_b)
    question = QuestionFactory.create(
        survey=survey, text="評價", kind=QuestionKind.RATING
    )

    home = publicity_actions.set_up_site(
        site_name="三服務一促進", home_title="珠江委", actor=world.superuser
    )
    section = publicity_actions.create_section(
        home, title="黨群工作網", slug=f"dangqun-{column_slug}", actor=world.superuser
    )
    column = publicity_actions.create_column(
        section, campaign, title="專欄", slug=column_slug, actor=world.superuser
    )
    article = publicity_actions.save_draft(
        column,
        publicity_actions.ArticleDraft(
            title="甲處開展調研活動",
            category="activities",
            summary="甲處深入基層。",
            body="<p>甲處深入基層，服務群眾。</p>",
        ),
        unit=world.unit_a,
        actor=world.liaison_a,
    )
    publicity_actions.submit_article(article, actor=world.liaison_a)
    model_page = publicity_actions.nominate_model(
        column,
        unit=world.unit_a,
        kind="person",
        nominee="李四",
        deeds="扎根基層",
        actor=world.liaison_a,
    )
    published = ArticlePage(
        title="乙處走訪基層", published_on=DAY, body="<p>走訪</p>", live=True
    )
    column.add_child(instance=published)
    briefing = create_briefing(
        column,
        title="第一期簡報",
        text="<p>簡報</p>",
        articles=[published],
        actor=world.editor,
    )
    sensitive_word = SensitiveWord.objects.create(campaign=campaign, word="機密")
    [notification] = notify([world.liaison_a], "甲處有新事項")
    # unit A's liaison's export of the campaign's ledger, done (its file is theirs and
    # the office's), and an import of theirs that failed (they may retry it)
    job = Job.objects.create(
        requested_by=world.liaison_a,
        campaign=campaign,
        kind="ledgers_export",
        params={"ledger": "problems", "campaign": campaign.pk},
        state=JobState.DONE,
        filename="problems.xlsx",
        finished_at=timezone.now(),
    )
    job.result.save("problems.xlsx", SimpleUploadedFile("p.xlsx", b"PK xlsx"))
    failed_job = Job.objects.create(
        requested_by=world.liaison_a,
        campaign=campaign,
        kind="ledgers_export",
        params={"ledger": "problems", "campaign": campaign.pk},
        state=JobState.FAILED,
        message="台賬讀取失敗",
        finished_at=timezone.now(),
    )
    # unit A's liaison's preview of a deed list import, already confirmed (its
    # upload moved on): only they see it; confirming it again is refused
    import_preview = Job.objects.create(
        requested_by=world.liaison_a,
        campaign=campaign,
        kind="ledgers_preview",
        params={"ledger": "deeds", "campaign": campaign.pk},
        state=JobState.DONE,
        message="0 new, 1 changed, 0 unchanged, 0 errors.",
        finished_at=timezone.now(),
    )
    token, _key = issue_token(world.liaison_a, name="matrix", actor=world.liaison_a)
    workday, _ = WorkdayOverride.objects.get_or_create(
        day=datetime.date(2007, 4, 28), defaults={"is_workday": True}
    )

    things = Things(
        world=world,
        demand=demand,
        query_code=code,
        open311_token=Open311Token.issue(demand),
        attachment=demand.attachments.get(),
        extension=extension,
        return_visit=return_visit,
        notice=notice,
        category=category,
        area=area,
        deadline_rule=deadline_rule,
        phase=phase,
        main_task=task,
        requirement=requirement,
        meeting=meeting,
        decision=decision,
        work_plan=work_plan,
        milestone=milestone,
        responsibility=responsibility,
        unit_plan=unit_plan,
        visit=visit,
        finding=finding,
        problem=problem,
        measure=measure,
        evidence=evidence,
        deed=deed,
        deed_update=deed_update,
        look_back=look_back,
        look_back_item=look_back_item,
        indicator_set=indicator_set,
        indicator=indicator,
        inspection_round=inspection_round,
        score=score,
        survey=survey,
        question=question,
        column=column,
        article=article,
        model_page=model_page,
        # an objection as one filed during a notice, to answer
        objection=Objection.objects.create(page=model_page, text="事蹟不實"),
        briefing=briefing,
        sensitive_word=sensitive_word,
        notification=notification,
        job=job,
        failed_job=failed_job,
        import_preview=import_preview,
        token=token,
        workday=workday,
        hotspot=_hotspot(demand),
    )
    owned: list[Model] = [
        world.organisation,
        world.unit_a,
        campaign,
        world.office,
        Position.objects.filter(body=world.office).first(),  # type: ignore[list-item]
        Membership.objects.filter(unit=world.unit_a).first(),  # type: ignore[list-item]
    ]
    for value in [*owned, *vars(things).values()]:
        if isinstance(value, Model):
            things.by_model.setdefault(type(value), value)
    for model in (Body, Campaign, Organisation, Unit):
        assert model in things.by_model
    return things
