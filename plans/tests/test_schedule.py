"""Milestones, their progress and the calendar export."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from plans import actions
from plans.calendar import fold
from plans.models import Milestone
from plans.progress import milestone_progress

pytestmark = pytest.mark.django_db


def milestone(phase, unit, due, **extra):
    row = Milestone(phase=phase, title="印發方案", owner_unit=unit, due_on=due, **extra)
    row.full_clean()
    row.save()
    return row


@pytest.mark.parametrize("due", [datetime.date(2007, 3, 26), datetime.date(2007, 5, 1)])
def test_a_milestone_outside_its_phase_is_refused(world, phase, due):
    with pytest.raises(ValidationError) as refused:
        milestone(phase, world.unit_a, due)
    assert "due_on" in refused.value.error_dict


def test_a_milestone_needs_an_owner(world, phase):
    with pytest.raises(ValidationError) as refused:
        milestone(phase, None, datetime.date(2007, 4, 1))
    assert "owner_unit" in refused.value.error_dict


def test_the_owner_unit_marks_it_done_and_progress_counts_it(world, phase):
    first = milestone(phase, world.unit_a, datetime.date(2007, 4, 1))
    milestone(phase, world.unit_b, datetime.date(2007, 4, 2))
    milestone(phase, world.unit_b, datetime.date(2007, 4, 20))
    with pytest.raises(PermissionDenied):
        actions.complete_milestone(
            first, done_on=datetime.date(2007, 4, 1), actor=world.liaison_b
        )
    actions.complete_milestone(
        first, done_on=datetime.date(2007, 4, 1), actor=world.liaison_a
    )
    [(found, done, total, overdue)] = milestone_progress(
        world.campaign, datetime.date(2007, 4, 10)
    )
    assert (found, done, total, overdue) == (phase, 1, 3, 1)


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    physical = text.split("\r\n")[:-1]
    for line in physical:
        assert "\n" not in line and "\r" not in line
        assert len(line.encode()) <= 75
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    out, chars = "", iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out += "\n" if following in "nN" else following
        else:
            out += char
    return out


def parse_events(text: str) -> list[dict[str, str]]:
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(text):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return events


def test_the_calendar_parses_back_to_the_phases_and_milestones(login, world, phase):
    long_title = "走訪基層，了解群眾疾苦；解決實際問題\\" + "並" * 40
    milestone(phase, world.unit_a, datetime.date(2007, 4, 6)).__class__.objects.filter(
        phase=phase
    ).update(title=long_title)
    response = login(world.liaison_a).get(
        reverse("campaign_plans:timeline_ics", args=[world.campaign.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    events = parse_events(text)
    assert len(events) == 2
    by_summary = {unescape(event["SUMMARY"]): event for event in events}
    assert set(by_summary) == {"動員部署", long_title}
    milestone_event = by_summary[long_title]
    assert milestone_event["DTSTART;VALUE=DATE"] == "20070406"
    assert milestone_event["DTEND;VALUE=DATE"] == "20070407"
    assert by_summary["動員部署"]["DTEND;VALUE=DATE"] == "20070501"
    assert all(event["UID"] and event["DTSTAMP"].endswith("Z") for event in events)
    assert len({event["UID"] for event in events}) == 2


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "水" * 60
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert "".join(part.removeprefix(" ") for part in parts) == line
