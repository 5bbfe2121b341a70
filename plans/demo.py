"""The plans of the demo campaign: the work plan, duties and schedule explained at
the meeting of 2007-03-27, and that meeting's decisions as action items.

The article says the commission made a concrete work plan and that the meeting
explained the work plan, the division of duties and the schedule
(對工作方案、職責分工、工作計劃安排等作了說明); their contents, owners and dates are
not in it and are marked as demo (（演示）/ ``is_demo``)."""

import datetime

from campaigns.actions import record_decision
from campaigns.models import Campaign
from org.models import Person, Unit
from plans import actions
from plans.models import Milestone, Responsibility
from text.demo_mark import DEMO_MARK  # what the article does not name

WORK_PLAN = (
    "<h2>指導思想</h2>"
    "<p>以服務基層、服務群眾、促進和諧、促進發展為重點內容，為促進珠江委的改革發展"
    "與和諧穩定作出新貢獻。</p>"
    "<h2>工作要求</h2>"
    "<ol><li>加強領導，明確責任</li><li>制定方案，落實措施</li>"
    "<li>強調結合，加強指導</li><li>檢查測評，確保實效</li>"
    "<li>積極宣傳，營造氛圍</li></ol>"
    "<p>（演示：正文據報道內容整理，非原件。）</p>"
)

# (work item, lead unit, cooperating units, main task)
DUTIES = [
    ("組織協調全委主題實踐活動", "委直屬機關黨委", ["辦公室"], "促進和諧"),
    ("流域水資源統一調度、統一管理", "水政水資源處", ["規劃計劃處"], "促進發展"),
    ("基層調研與群眾訴求辦理", "規劃計劃處", ["水土保持處"], "服務基層"),
]

# (phase sequence, milestone, owner unit, due)
MILESTONES = [
    (1, "印發工作方案", "委直屬機關黨委", datetime.date(2007, 4, 6)),
    (1, "各單位報送實施方案", "辦公室", datetime.date(2007, 4, 20)),
    (2, "開展基層調研", "規劃計劃處", datetime.date(2007, 6, 30)),
    (2, "中期檢查", "委直屬機關黨委", datetime.date(2007, 9, 28)),
    (3, "檢查測評與總結", "委直屬機關黨委", datetime.date(2007, 12, 20)),
]

# The meeting explained these three; owners and deadlines are the demo's.
DECISIONS = [
    ("按會上說明的工作方案組織實施", datetime.date(2007, 4, 6)),
    ("按職責分工，各牽頭單位落實分工任務", datetime.date(2007, 4, 20)),
    ("按工作計劃安排，各單位制定並報送實施方案", datetime.date(2007, 4, 20)),
]


def load_plans_demo(campaign: Campaign) -> None:
    director = Person.objects.get(username="caishangtu")
    leader = Person.objects.get(username="yuezhongming")
    units = {
        unit.name: unit
        for unit in Unit.objects.filter(organisation=campaign.organisation)
    }
    version = actions.draft_work_plan(
        campaign,
        title="「三服務一促進」主題實踐活動工作方案",
        body=WORK_PLAN,
        actor=director,
    )
    actions.submit_work_plan(version, actor=director)
    actions.approve_work_plan(version, actor=leader)
    tasks = {task.name: task for task in campaign.main_tasks.all()}
    for sequence, (item, lead, cooperating, task) in enumerate(DUTIES, start=1):
        row = Responsibility.objects.create(
            campaign=campaign,
            sequence=sequence,
            work_item=item + DEMO_MARK,
            lead_unit=units[lead],
            main_task=tasks[task],
        )
        row.cooperating_units.set([units[name] for name in cooperating])
    phases = {phase.sequence: phase for phase in campaign.phases.all()}
    for sequence, title, owner, due in MILESTONES:
        Milestone.objects.create(
            phase=phases[sequence],
            title=title + DEMO_MARK,
            owner_unit=units[owner],
            due_on=due,
        )
    meeting = campaign.meetings.get(held_on=datetime.date(2007, 3, 27))
    for text, deadline in DECISIONS:
        record_decision(
            meeting,
            text=text + DEMO_MARK,
            deadline=deadline,
            owner_person=director,
            owner_unit=units["委直屬機關黨委"],
            is_demo=True,
            actor=director,
        )
