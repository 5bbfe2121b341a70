import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import World
from demands.access import demands_for_user
from demands.models import DemandKind, Urgency
from ledgers.actions.problems import (
    apply_for_closure,
    confirm_measure,
    report_progress,
    return_problem,
)
from ledgers.actions.research import record_visit
from ledgers.models import (
    DeedStatus,
    PracticalDeed,
    Problem,
    ProblemStatus,
    RectificationMeasure,
    ResearchVisit,
)
from ledgers.tests.conftest import PNG, finish, make_deed, make_measure, make_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(world: World) -> ResearchVisit:
    return record_visit(
        world.campaign,
        world.unit_a,
        visited_on=datetime.date(2007, 4, 12),
        place="西江水文站",
        participants="甲處",
        topic="基層條件",
        findings=["宿舍漏雨"],
        actor=world.liaison_a,
    )


def _urls(visit: ResearchVisit, problem: Problem, deed: PracticalDeed) -> list[str]:
    return [
        reverse("ledgers_admin:visit", args=[visit.pk]),
        reverse("ledgers_admin:problem", args=[problem.pk]),
        reverse("ledgers_admin:deed", args=[deed.pk]),
    ]


def test_anonymous_people_are_sent_to_log_in(
    client: Any, visit: ResearchVisit, problem: Problem, deed: PracticalDeed
) -> None:
    for url in [reverse("ledgers_admin:problems"), *_urls(visit, problem, deed)]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_a_person_without_a_role_is_refused(
    world: World, login: Any, problem: Problem
) -> None:
    client = login(world.outsider)
    response = client.get(reverse("ledgers_admin:problems"))
    assert response.status_code in (302, 403)
    response = client.get(reverse("ledgers_admin:problem", args=[problem.pk]))
    assert response.status_code in (302, 403)


def test_another_unit_does_not_see_unit_a_rows(
    world: World,
    login: Any,
    visit: ResearchVisit,
    problem: Problem,
    deed: PracticalDeed,
) -> None:
    client = login(world.liaison_b)
    for url in _urls(visit, problem, deed):
        assert client.get(url).status_code == 404
    listing = client.get(reverse("ledgers_admin:problems"))
    assert listing.status_code == 200
    assert problem.description not in listing.content.decode()


def test_another_campaigns_office_does_not_see_them(
    other_world: World,
    login: Any,
    visit: ResearchVisit,
    problem: Problem,
    deed: PracticalDeed,
) -> None:
    client = login(other_world.director)
    for url in _urls(visit, problem, deed):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["leader", "director", "clerk", "staff_a"])
def test_the_office_leaders_and_the_units_people_see_the_rows(
    world: World,
    login: Any,
    persona: str,
    visit: ResearchVisit,
    problem: Problem,
    deed: PracticalDeed,
) -> None:
    client = login(getattr(world, persona))
    for url in _urls(visit, problem, deed):
        assert client.get(url).status_code == 200


def test_the_unit_records_a_problem_and_a_measure_through_the_forms(
    world: World, login: Any
) -> None:
    client = login(world.liaison_a)
    response = client.post(
        reverse("ledgers_admin:problems_add"),
        {
            "campaign": world.campaign.pk,
            "unit": world.unit_a.pk,
            "source": "self_inspection",
            "severity": "general",
            "description": "檔案管理不規範",
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("ledgers_admin:add_measure", args=[problem.pk]),
        {
            "description": "制定檔案管理辦法",
            "owner": world.staff_a.pk,
            "reviewer": world.head_a.pk,
            "deadline": "2007-05-31",
        },
    )
    assert response.status_code == 302
    assert problem.measures.get().owner == world.staff_a


def test_the_forms_refuse_bad_input_with_clear_errors(
    world: World,
    login: Any,
    problem: Problem,
    measure: RectificationMeasure,
    in_english: Any,
) -> None:
    client = login(world.liaison_a)
    url = reverse("ledgers_admin:add_measure", args=[problem.pk])
    response = client.post(
        url,
        {"description": "x", "reviewer": world.head_a.pk, "deadline": "2007-05-31"},
        follow=True,
    )
    assert "A measure needs a responsible person." in response.content.decode()
    response = client.post(
        url,
        {
            "description": "x",
            "owner": world.staff_a.pk,
            "reviewer": world.head_a.pk,
            "deadline": "2009-05-31",
        },
        follow=True,
    )
    assert "outside the campaign" in response.content.decode()
    report_progress(measure, percent=70, actor=world.staff_a)
    progress = reverse("ledgers_admin:progress", args=[problem.pk, measure.pk])
    response = client.post(progress, {"percent": 20}, follow=True)
    assert "the last report was 70%" in response.content.decode()
    response = client.post(progress, {"percent": 100}, follow=True)
    response = client.post(
        reverse("ledgers_admin:apply", args=[problem.pk]), follow=True
    )
    assert "closure needs evidence" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_a_fake_image_is_refused_as_evidence(
    world: World, login: Any, problem: Problem, measure: RectificationMeasure
) -> None:
    client = login(world.staff_a)
    fake = SimpleUploadedFile("fake-after.png", b"MZ not an image", "image/png")
    response = client.post(
        reverse("ledgers_admin:progress", args=[problem.pk, measure.pk]),
        {"percent": 100, "after": fake},
        follow=True,
    )
    # the refusal (translated on the site) names the file
    assert "fake-after.png" in response.content.decode()
    measure.refresh_from_db()
    assert measure.progress == 0


def test_the_walk_through_the_screens_closes_the_problem(
    world: World,
    login: Any,
    client: Any,
    problem: Problem,
    measure: RectificationMeasure,
) -> None:
    login(world.staff_a)
    response = client.post(
        reverse("ledgers_admin:progress", args=[problem.pk, measure.pk]),
        {"percent": 100, "after": SimpleUploadedFile("a.png", PNG, "image/png")},
    )
    assert response.status_code == 302
    evidence = measure.updates.get().evidence.get()
    login(world.liaison_a)
    client.post(reverse("ledgers_admin:apply", args=[problem.pk]))
    login(world.head_a)
    client.post(reverse("ledgers_admin:confirm", args=[problem.pk, measure.pk]))
    file = client.get(reverse("ledgers_admin:evidence", args=[problem.pk, evidence.pk]))
    assert file.status_code == 200
    # reading it to the end closes it (the test client's closing wrapper); the
    # photo as stored: re-encoded (its metadata dropped), the same picture
    with Image.open(io.BytesIO(b"".join(file.streaming_content))) as served:
        assert (served.format, served.size) == ("PNG", (4, 3))
    login(world.clerk)
    client.post(reverse("ledgers_admin:verify", args=[problem.pk]))
    client.post(
        reverse("ledgers_admin:publish", args=[problem.pk]), {"published": "on"}
    )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    assert problem.is_published


@pytest.mark.parametrize(
    ("persona", "step"),
    [
        ("liaison_b", "apply"),
        ("clerk", "apply"),
        ("leader", "verify"),
        ("liaison_a", "verify"),
        ("liaison_a", "publish"),
        ("staff_a", "verify"),
    ],
)
def test_steps_are_refused_to_the_wrong_people(
    world: World,
    login: Any,
    persona: str,
    step: str,
    problem: Problem,
    measure: RectificationMeasure,
) -> None:
    finish(world, measure)
    if step == "verify":
        apply_for_closure(problem, actor=world.liaison_a)
        confirm_measure(measure, actor=world.head_a)
    before = Problem.objects.get(pk=problem.pk)
    client = login(getattr(world, persona))
    response = client.post(
        reverse(f"ledgers_admin:{step}", args=[problem.pk]), {"published": "on"}
    )
    assert response.status_code in (403, 404)
    after = Problem.objects.get(pk=problem.pk)
    assert (after.status, after.is_published) == (before.status, before.is_published)


def test_the_unit_turns_a_finding_into_a_problem_on_screen(
    world: World, login: Any, visit: ResearchVisit
) -> None:
    finding = visit.findings.get()
    url = reverse("ledgers_admin:finding_problem", args=[visit.pk, finding.pk])
    assert login(world.liaison_b).post(url, {"severity": "general"}).status_code == 404
    response = login(world.liaison_a).post(url, {"severity": "serious"})
    problem = Problem.objects.get(finding=finding)
    assert response["Location"] == reverse("ledgers_admin:problem", args=[problem.pk])


def test_the_unit_reads_the_demand_its_finding_raised(
    world: World, login: Any, visit: ResearchVisit
) -> None:
    finding = visit.findings.get()
    client = login(world.liaison_a)
    client.post(
        reverse("ledgers_admin:finding_demand", args=[visit.pk, finding.pk]),
        {"kind": DemandKind.HELP, "urgency": Urgency.NORMAL},
    )
    finding.refresh_from_db()
    demand = finding.demand
    assert demand is not None and demand.submitter is None and demand.unit is None
    url = reverse("demands_office:detail", args=[demand.pk])
    assert url in client.get(reverse("ledgers_admin:visit", args=[visit.pk])).text
    response = client.get(url)
    assert response.status_code == 200
    # read only, and masked like any reader who neither runs nor handles it
    assert response.context["show_contact"] is False
    assert "dispatch_form" not in response.context
    assert not demands_for_user(world.liaison_a, write=True).filter(pk=demand.pk)
    assert login(world.liaison_b).get(url).status_code == 404


def test_the_office_verifies_a_deed_and_the_unit_cannot(
    world: World, login: Any, deed: PracticalDeed
) -> None:
    client = login(world.liaison_a)
    client.post(
        reverse("ledgers_admin:deed_progress", args=[deed.pk]),
        {"on": "2007-06-01", "percent": 100},
    )
    deed.refresh_from_db()
    assert deed.status == DeedStatus.DONE
    url = reverse("ledgers_admin:deed_verify", args=[deed.pk])
    assert client.post(url).status_code == 403
    assert login(world.clerk).post(url).status_code == 302
    deed.refresh_from_db()
    assert deed.status == DeedStatus.VERIFIED


def test_the_lists_pin_their_query_count(
    world: World, login: Any, django_assert_max_num_queries: Any
) -> None:
    problem = make_problem(world)
    make_measure(world, problem)
    for _ in range(3):
        make_deed(world)
    client = login(world.clerk)
    client.get(reverse("ledgers_admin:deeds"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("ledgers_admin:deeds"))
    for _ in range(20):
        make_deed(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("ledgers_admin:deeds"))


def test_a_problem_is_raised_from_a_demand_the_unit_handles(
    world: World, login: Any
) -> None:
    from demands.models import Demand
    from demands.tests.factories import submit_test_demand

    demand = submit_test_demand(world)
    form = {
        "campaign": world.campaign.pk,
        "unit": world.unit_a.pk,
        "source": "public",
        "severity": "general",
        "description": "水渠長期無人維護",
        "demand": demand.tracking_no,
    }
    client = login(world.liaison_a)
    response = client.post(reverse("ledgers_admin:problems_add"), form)
    assert response.status_code == 200  # not dispatched to unit A: not theirs
    assert not Problem.objects.exists()
    Demand.objects.filter(pk=demand.pk).update(unit=world.unit_a, status="accepted")
    response = client.post(reverse("ledgers_admin:problems_add"), form)
    problem = Problem.objects.get()
    assert (problem.demand, problem.source) == (demand, "demand")


def test_a_reviewer_sends_a_closure_back(
    world: World, problem: Problem, measure: RectificationMeasure
) -> None:
    finish(world, measure)
    apply_for_closure(problem, actor=world.liaison_a)
    return_problem(problem, reason="照片不能說明問題", actor=world.head_a)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_a_refused_measure_keeps_what_was_typed(
    world: World, login: Any, problem: Problem
) -> None:
    client = login(world.liaison_a)
    url = reverse("ledgers_admin:add_measure", args=[problem.pk])
    for deadline in ("", "2007-05-31"):  # refused by the form, then by the action
        response = client.post(
            url, {"description": "制定檔案管理辦法", "deadline": deadline}
        )
        assert response.status_code == 400
        assert "制定檔案管理辦法</textarea>" in response.content.decode()
    assert not problem.measures.exists()


def test_ledger_pages_are_headed_with_their_title(
    world: World, login: Any, problem: Problem
) -> None:
    page = login(world.liaison_a).get(
        reverse("ledgers_admin:problem", args=[problem.pk])
    )
    title = str(page.context["view"].page_title)
    assert page.context["breadcrumbs_items"][-1]["label"] == title
