import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from core.errors import Conflict
from demands.models import Channel, DemandKind, Urgency
from ledgers.actions.deeds import (
    StageInput,
    publish_deed,
    rate_deed,
    rater_key,
    report_deed_progress,
    return_deed,
    verify_deed,
)
from ledgers.actions.research import (
    raise_demand_from_finding,
    raise_problem_from_finding,
    record_visit,
)
from ledgers.models import (
    DeedClass,
    DeedStatus,
    PracticalDeed,
    ProblemSource,
    ResearchVisit,
    Severity,
)
from ledgers.tests.conftest import make_deed, png

pytestmark = pytest.mark.django_db


def _visit(world: World, **kwargs: object) -> ResearchVisit:
    values: dict = {
        "visited_on": datetime.date(2007, 4, 12),
        "place": "西江水文站",
        "participants": "甲處處長、聯絡員",
        "topic": "基層站所工作生活條件",
        "findings": ["宿舍漏雨", "", "交通車老化"],
        "actor": world.liaison_a,
    }
    return record_visit(world.campaign, world.unit_a, **(values | kwargs))


def test_a_visit_keeps_its_findings_in_order(world: World) -> None:
    visit = _visit(world)
    assert [f.text for f in visit.findings.all()] == ["宿舍漏雨", "交通車老化"]


def test_a_visit_outside_the_campaign_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        _visit(world, visited_on=datetime.date(2007, 1, 5))
    assert "visited_on" in refused.value.message_dict


def test_another_unit_cannot_record_a_visit_for_unit_a(world: World) -> None:
    for person in (world.liaison_b, world.staff_a, world.clerk):
        with pytest.raises(PermissionDenied):
            _visit(world, actor=person)


def test_a_finding_becomes_a_problem_once_keeping_the_link(world: World) -> None:
    finding = _visit(world).findings.first()
    assert finding is not None
    problem = raise_problem_from_finding(
        finding, severity=Severity.SERIOUS, actor=world.liaison_a
    )
    assert problem.finding == finding
    assert problem.source == ProblemSource.RESEARCH
    assert problem.unit == world.unit_a
    with pytest.raises(Conflict):
        raise_problem_from_finding(
            finding, severity=Severity.GENERAL, actor=world.liaison_a
        )


def test_a_finding_becomes_a_demand_by_the_research_channel(world: World) -> None:
    finding = _visit(world).findings.first()
    assert finding is not None
    demand = raise_demand_from_finding(
        finding, kind=DemandKind.HELP, urgency=Urgency.NORMAL, actor=world.liaison_a
    )
    finding.refresh_from_db()
    assert finding.demand == demand
    assert demand.channel == Channel.RESEARCH
    assert demand.submitter is None
    assert demand.raised_by_unit == world.unit_a
    with pytest.raises(Conflict):
        raise_problem_from_finding(
            finding, severity=Severity.GENERAL, actor=world.liaison_a
        )


def test_another_unit_cannot_take_up_a_finding(world: World) -> None:
    finding = _visit(world).findings.first()
    assert finding is not None
    with pytest.raises(PermissionDenied):
        raise_problem_from_finding(
            finding, severity=Severity.GENERAL, actor=world.liaison_b
        )


def test_a_deed_walks_to_verification(world: World, deed: PracticalDeed) -> None:
    report_deed_progress(
        deed,
        percent=50,
        on=datetime.date(2007, 5, 1),
        photos=[png()],
        actor=world.liaison_a,
    )
    with pytest.raises(ValidationError, match="last report was 50%"):
        report_deed_progress(
            deed, percent=20, on=datetime.date(2007, 5, 2), actor=world.liaison_a
        )
    report_deed_progress(
        deed, percent=100, on=datetime.date(2007, 6, 1), actor=world.liaison_a
    )
    deed.refresh_from_db()
    assert deed.status == DeedStatus.DONE
    assert deed.done_on == datetime.date(2007, 6, 1)
    with pytest.raises(PermissionDenied):
        verify_deed(deed, actor=world.liaison_a)
    verify_deed(deed, actor=world.clerk)
    deed.refresh_from_db()
    assert deed.status == DeedStatus.VERIFIED
    assert deed.updates.first().photos.count() == 1  # type: ignore[union-attr]


def test_the_office_sends_a_done_deed_back(world: World, deed: PracticalDeed) -> None:
    report_deed_progress(
        deed, percent=100, on=datetime.date(2007, 6, 1), actor=world.liaison_a
    )
    return_deed(deed, reason="照片不清", actor=world.director)
    deed.refresh_from_db()
    assert deed.status == DeedStatus.IN_PROGRESS
    with pytest.raises(Conflict):
        verify_deed(deed, actor=world.director)


def test_a_staged_deed_needs_stages_within_its_deadline(world: World) -> None:
    with pytest.raises(ValidationError, match="needs its stages"):
        make_deed(world, deed_class=DeedClass.STAGED)
    with pytest.raises(ValidationError, match="after the deed's deadline"):
        make_deed(
            world,
            deed_class=DeedClass.STAGED,
            stages=[StageInput("第二步", datetime.date(2007, 7, 30))],
        )
    deed = make_deed(
        world,
        deed_class=DeedClass.STAGED,
        stages=[
            StageInput("摸底", datetime.date(2007, 4, 30)),
            StageInput("施工", datetime.date(2007, 6, 20)),
        ],
    )
    assert [s.name for s in deed.stages.all()] == ["摸底", "施工"]


def test_a_deed_deadline_outside_the_campaign_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="outside the campaign"):
        make_deed(world, deadline=datetime.date(2008, 3, 1))


def test_another_unit_cannot_change_a_deed(world: World, deed: PracticalDeed) -> None:
    with pytest.raises(PermissionDenied):
        report_deed_progress(
            deed, percent=10, on=datetime.date(2007, 5, 1), actor=world.liaison_b
        )
    with pytest.raises(PermissionDenied):
        publish_deed(deed, published=True, actor=world.liaison_a)


def test_one_rating_per_rater_and_deed(world: World, deed: PracticalDeed) -> None:
    with pytest.raises(PermissionDenied):
        rate_deed(deed, rater="x", score=3)
    publish_deed(deed, published=True, actor=world.clerk)
    deed.refresh_from_db()
    key = rater_key(deed.pk, "cookie-1", "203.0.113.7")
    assert key == rater_key(deed.pk, "cookie-1", "203.0.113.99")
    rate_deed(deed, rater=key, score=3)
    with pytest.raises(Conflict):
        rate_deed(deed, rater=key, score=1)
    rate_deed(deed, rater=rater_key(deed.pk, "cookie-2", "198.51.100.1"), score=2)
    assert deed.ratings.count() == 2
