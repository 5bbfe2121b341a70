"""Ledger rows for the tests, made through the actions as a unit would."""

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from conftest import World
from files.evidence import CheckedUpload, check_upload
from jobs.models import Job, JobState
from ledgers import excel
from ledgers.actions.deeds import create_deed
from ledgers.actions.problems import add_measure, create_problem, report_progress
from ledgers.models import (
    DeedClass,
    EvidenceKind,
    PracticalDeed,
    Problem,
    ProblemSource,
    RectificationMeasure,
    Severity,
)
from sanfu.tests.files import PNG, streamed_body

DAY = datetime.date(2007, 5, 10)


def png(name: str = "after.png") -> CheckedUpload:
    return check_upload(SimpleUploadedFile(name, PNG, content_type="image/png"))


def make_problem(world: World, **kwargs: Any) -> Problem:
    values: dict[str, Any] = {
        "source": ProblemSource.SELF_INSPECTION,
        "description": "窗口服務時間過短",
        "severity": Severity.GENERAL,
        "actor": world.liaison_a,
    }
    return create_problem(world.campaign, world.unit_a, **(values | kwargs))


def make_measure(world: World, problem: Problem) -> RectificationMeasure:
    return add_measure(
        problem,
        description="延長窗口服務時間",
        owner=world.staff_a,
        reviewer=world.head_a,
        deadline=DAY,
        actor=world.liaison_a,
    )


def finish(world: World, measure: RectificationMeasure) -> None:
    report_progress(
        measure,
        percent=100,
        evidence=[(EvidenceKind.AFTER, png())],
        actor=world.staff_a,
    )


def export_ledger(client: Any, world: World, ledger: str) -> bytes:
    """The ledger's workbook as its reader gets it: the export is a job (never made
    in the request), its file downloaded from the jobs screen."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(
            reverse("jobs_start", args=["ledgers_export"])
            + f"?ledger={ledger}&campaign={world.campaign.pk}"
        )
    assert started.status_code == 302
    job = Job.objects.filter(kind="ledgers_export").latest("pk")
    assert job.state == JobState.DONE, job.message
    response = client.get(reverse("jobs_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX
    return streamed_body(response)


def make_deed(world: World, **kwargs: Any) -> PracticalDeed:
    values: dict[str, Any] = {
        "title": "為基層站所修繕職工宿舍",
        "deed_class": DeedClass.TIME_LIMITED,
        "beneficiaries": "基層職工",
        "target": "六月底前完成修繕",
        "deadline": datetime.date(2007, 6, 30),
        "actor": world.liaison_a,
    }
    return create_deed(world.campaign, world.unit_a, **(values | kwargs))


@pytest.fixture
def english(world: World, in_english: Any) -> None:
    """The jobs run in their owner's language: the liaisons read English."""
    from wagtail.users.models import UserProfile

    for person in (world.liaison_a, world.liaison_b):
        profile = UserProfile.get_for_user(person)
        profile.preferred_language = "en"
        profile.save()


@pytest.fixture
def problem(world: World) -> Problem:
    return make_problem(world)


@pytest.fixture
def measure(world: World, problem: Problem) -> RectificationMeasure:
    return make_measure(world, problem)


@pytest.fixture
def deed(world: World) -> PracticalDeed:
    return make_deed(world)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
