"""The weekly report covers one week, Monday to Sunday: the last complete week, or
the week holding the date given as ``?week=``; it says its week. Its page never
makes the document: a job does (issue 25)."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from dashboard import reports
from dashboard.tests.conftest import weekly_report_file
from demands.tests.factories import submit_test_demand
from jobs.models import Job

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
WEDNESDAY = datetime.datetime(2026, 12, 9, 10, 0, tzinfo=SHANGHAI)


def at(month, day, hour=10):  # type: ignore[no-untyped-def]
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def weeks(world, time_machine, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """One demand a day: Sunday 29 Nov (the week before), Monday 30 Nov and
    Sunday 6 Dec late (last week), Monday 7 Dec early (this week); then Wednesday."""
    for moment in [at(11, 29), at(11, 30, 0), at(12, 6, 23), at(12, 7, 0)]:
        time_machine.move_to(moment, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            submit_test_demand(world, title=f"水渠堵塞{moment:%m%d}")
    time_machine.move_to(WEDNESDAY, tick=False)


@pytest.fixture
def reader(world, login, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """The leader, reading English, gets a week's report through its job."""
    UserProfile.objects.update_or_create(
        user=world.leader, defaults={"preferred_language": "en"}
    )

    def read(**query):  # type: ignore[no-untyped-def]
        job, document = weekly_report_file(
            login(world.leader),
            django_capture_on_commit_callbacks,
            campaign=world.campaign.pk,
            **query,
        )
        cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
        return job, cells, "\n".join(p.text for p in document.paragraphs)

    return read


def page(client, world, **query):  # type: ignore[no-untyped-def]
    return client.get(
        reverse("dashboard:weekly_report"),
        {"campaign": world.campaign.pk, **query},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_by_default_the_report_covers_the_last_complete_week(reader, weeks):
    job, cells, text = reader()
    assert ["Received in the period", "2"] in cells
    assert "Week 49 of 2026: Monday 2026-11-30 to Sunday 2026-12-06." in text
    assert "Period: Nov. 30, 2026 to Dec. 6, 2026" in text
    assert job.filename.startswith("weekly-report-")
    assert job.filename.endswith("20261206.docx")


def test_the_reports_page_makes_no_document_and_offers_to_prepare_it(
    login, world, weeks, monkeypatch
):
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the weekly report was rendered in the request")

    monkeypatch.setattr(reports, "weekly_report", refuse)
    response = page(login(world.leader), world, week="2026-12-03")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "<title>Weekly report" in content
    assert "Week 49 of 2026: Monday 2026-11-30 to Sunday 2026-12-06." in content
    assert "prepared in the background" in content
    start = reverse("jobs_start", args=["weekly_report"])
    assert (
        f'action="{start}?campaign={world.campaign.pk}&amp;week=2026-12-03"' in content
    )
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("day", "monday", "received"),
    [
        ("2026-11-29", "2026-11-23", "1"),
        ("2026-12-03", "2026-11-30", "2"),
        ("2026-12-06", "2026-11-30", "2"),
        ("2026-12-09", "2026-12-07", "1"),
    ],
)
def test_the_office_chooses_the_week_by_a_date_in_it(
    reader, weeks, day, monday, received
):
    _job, cells, text = reader(week=day)
    assert ["Received in the period", received] in cells
    assert f"Monday {monday} to Sunday" in text


def test_the_year_boundary_week_runs_into_january(reader, weeks):
    _job, _cells, text = reader(week="2026-12-31")
    assert "Week 53 of 2026: Monday 2026-12-28 to Sunday 2027-01-03." in text


@pytest.mark.parametrize("bad", ["2026-13-01", "last week", "09/12/2026"])
def test_a_malformed_week_is_refused_with_a_clear_error(login, world, weeks, bad):
    response = page(login(world.leader), world, week=bad)
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


def test_the_cockpit_links_the_report_of_the_week_it_ends_in(login, world, weeks):
    page = login(world.leader).get(
        "/admin/cockpit/",
        {"campaign": world.campaign.pk, "start": "2026-11-01", "end": "2026-12-02"},
    )
    assert "week=2026-12-02" in page.content.decode()
