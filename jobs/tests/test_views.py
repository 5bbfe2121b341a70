"""Background jobs at the HTTP boundary: start, follow, download, retry; and who is
refused."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import World
from jobs import kinds
from jobs.models import Job, JobState
from ledgers import excel
from ledgers.excel import XLSX
from ledgers.models import Problem
from ledgers.tests.conftest import make_measure, make_problem
from org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _start(client: Any, kind: str, **query: Any) -> Any:
    return client.post(
        f"{reverse('jobs_start', args=[kind])}?"
        + "&".join(f"{key}={value}" for key, value in query.items())
    )


@pytest.fixture
def exported(world: World, login: Any, django_capture_on_commit_callbacks: Any) -> Job:
    """liaison_a's problem ledger, prepared in the background (immediate backend)."""
    make_measure(world, make_problem(world, description="窗口排隊過長"))
    client = login(world.liaison_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(
            client, "ledgers_export", ledger="problems", campaign=world.campaign.pk
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs_list")
    return Job.objects.get()


def test_an_export_runs_and_its_file_downloads_for_its_owner(
    exported: Job, world: World, login: Any
) -> None:
    assert exported.state == JobState.DONE
    assert exported.percent == 100
    client = login(world.liaison_a)
    page = client.get(reverse("jobs_list"))
    assert reverse("jobs_download", args=[exported.pk]) in page.content.decode()
    response = client.get(reverse("jobs_download", args=[exported.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    response.close()
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert sheet["F3"].value == "窗口排隊過長"


def test_the_office_of_the_campaign_may_download_it(
    exported: Job, world: World, login: Any
) -> None:
    response = login(world.director).get(reverse("jobs_download", args=[exported.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
    response.close()


@pytest.mark.parametrize("persona", ["liaison_b", "staff_a", "leader", "editor"])
def test_nobody_else_may_download_it(
    exported: Job, world: World, login: Any, persona: str
) -> None:
    client = login(getattr(world, persona))
    assert client.get(reverse("jobs_download", args=[exported.pk])).status_code == 404
    assert client.get(reverse("jobs_status", args=[exported.pk])).status_code == 404


def test_another_organisations_office_may_not_download_it(
    exported: Job, other_world: World, login: Any
) -> None:
    client = login(other_world.director)
    assert client.get(reverse("jobs_download", args=[exported.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", None])
def test_a_stranger_to_the_back_office_is_sent_to_log_in(
    exported: Job, world: World, persona: str | None
) -> None:
    client = Client()
    if persona:
        client.force_login(getattr(world, persona))
    for name in ("jobs_download", "jobs_status", "jobs_retry"):
        response = client.get(reverse(name, args=[exported.pk]))
        assert response.status_code == 302
        assert reverse("wagtailadmin_login") in response["Location"]
    assert client.get(reverse("jobs_list")).status_code == 302


def test_the_file_is_not_under_a_public_media_url(exported: Job) -> None:
    assert exported.result.name.startswith("jobs/")
    assert Client().get(f"/media/{exported.result.name}").status_code == 404


def test_the_list_shows_only_the_persons_own_jobs(
    exported: Job, world: World, login: Any
) -> None:
    page = login(world.director).get(reverse("jobs_list"))
    assert page.status_code == 200
    assert reverse("jobs_download", args=[exported.pk]) not in page.content.decode()


def test_the_status_answers_the_progress_as_json(world: World, login: Any) -> None:
    job = Job.objects.create(
        requested_by=world.liaison_a, kind="ledgers_export", state=JobState.RUNNING
    )
    from jobs.actions import record_progress

    record_progress(job, 3, 10)
    data = login(world.liaison_a).get(reverse("jobs_status", args=[job.pk])).json()
    assert (data["state"], data["done"], data["total"], data["percent"]) == (
        "running",
        3,
        10,
        30,
    )
    assert data["download"] == ""


def test_a_person_without_the_ledgers_may_not_start_their_export(
    world: World, login: Any
) -> None:
    response = _start(login(world.editor), "ledgers_export", ledger="problems")
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_an_unknown_kind_or_a_get_is_refused(world: World, login: Any) -> None:
    client = login(world.liaison_a)
    assert _start(client, "nothing").status_code == 404
    assert _start(client, "ledgers_import").status_code == 404
    url = reverse("jobs_start", args=["ledgers_export"]) + "?ledger=problems"
    assert client.get(url).status_code == 405
    assert not Job.objects.exists()


def test_an_export_reports_its_progress_from_none_to_all_rows(
    world: World, login: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    for number in range(3):
        make_problem(world, description=f"問題{number}")
    seen: list[tuple[int, int]] = []
    record = kinds.record_progress

    def spy(job: Job, done: int, total: int) -> None:
        seen.append((done, total))
        record(job, done, total)

    monkeypatch.setattr(kinds, "record_progress", spy)
    with django_capture_on_commit_callbacks(execute=True):
        _start(
            login(world.liaison_a),
            "ledgers_export",
            ledger="problems",
            campaign=world.campaign.pk,
        )
    assert seen[0] == (0, 3)
    assert seen[-1] == (3, 3)
    assert Job.objects.get().state == JobState.DONE


def _workbook(world: World, owner: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["台賬"])
    sheet.append([column.title for column in excel.PROBLEM_COLUMNS])
    sheet.append(
        [
            1,
            world.unit_a.name,
            "自查",
            "",
            "一般",
            "新問題",
            "措施",
            owner,
            world.head_a.username,
            "2007-06-01",
            0,
            "整改中",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_failed_import_says_why_and_its_retry_succeeds(
    world: World,
    login: Any,
    in_english: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    newcomer = PersonFactory.create(username="newcomer")
    client = login(world.liaison_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ledgers_admin:import"),
            {
                "campaign": world.campaign.pk,
                "ledger": "problems",
                "file": SimpleUploadedFile(
                    "台賬.xlsx", _workbook(world, "newcomer"), content_type=XLSX
                ),
            },
        )
    assert response.status_code == 302
    preview = Job.objects.get(kind="ledgers_preview")
    assert preview.state == JobState.DONE
    # the person the file names leaves before the import is confirmed
    newcomer.is_active = False
    newcomer.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledgers_admin:import_confirm", args=[preview.pk]))
    job = Job.objects.get(kind="ledgers_import")
    assert job.state == JobState.FAILED
    assert "newcomer" in job.message
    assert not Problem.objects.exists()
    page = client.get(reverse("jobs_list")).content.decode()
    assert "newcomer" in page
    assert reverse("jobs_retry", args=[job.pk]) in page

    newcomer.is_active = True
    newcomer.save()
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("jobs_retry", args=[job.pk]))
    assert retried.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.attempts == 2
    assert job.message
    assert not job.source
    assert Problem.objects.get().description == "新問題"


def test_only_the_owner_retries_and_only_a_failed_job(world: World, login: Any) -> None:
    job = Job.objects.create(
        requested_by=world.liaison_a, kind="ledgers_export", state=JobState.DONE
    )
    url = reverse("jobs_retry", args=[job.pk])
    assert login(world.liaison_b).post(url).status_code == 404
    assert login(world.liaison_a).post(url).status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.DONE


def test_the_status_and_the_file_answer_reading_only(
    world: World, login: Any, exported: Job
) -> None:
    client = login(world.liaison_a)  # whose export it is
    for name in ("jobs_status", "jobs_download"):
        assert client.post(reverse(name, args=[exported.pk])).status_code == 405
    assert client.get(reverse("jobs_status", args=[exported.pk])).status_code == 200
