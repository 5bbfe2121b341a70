"""Each report and export the back office can prepare in the background: the same
file as its direct download, refused to whom the direct download refuses."""

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from conftest import World
from evaluation.models import IndicatorSet, SetStatus
from evaluation.tests.factories import IndicatorFactory, IndicatorSetFactory
from jobs.models import Job, JobState

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator_set(world: World) -> IndicatorSet:
    found = IndicatorSetFactory.create(
        campaign=world.campaign, status=SetStatus.IN_FORCE
    )
    IndicatorFactory.create(indicator_set=found, name="工作落實", weight=Decimal(100))
    return found


def _prepare(client: Any, capture: Any, kind: str, query: str) -> Any:
    with capture(execute=True):
        return client.post(f"{reverse('jobs_start', args=[kind])}?{query}")


def _file(client: Any, job: Job) -> bytes:
    response = client.get(reverse("jobs_download", args=[job.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    response.close()
    return content


def test_the_weekly_report_is_prepared_for_the_office(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(world.director)
    # the week holding Thursday 31 May 2007: Monday 28 May to Sunday 3 June
    query = f"campaign={world.campaign.pk}&week=2007-05-31"
    response = _prepare(
        client, django_capture_on_commit_callbacks, "weekly_report", query
    )
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.message
    assert (job.params["start"], job.params["end"]) == ("2007-05-28", "2007-06-03")
    assert job.filename.endswith("20070603.docx")
    document = Document(io.BytesIO(_file(client, job)))
    assert document.paragraphs


def test_a_unit_liaison_may_not_prepare_the_weekly_report(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    query = f"campaign={world.campaign.pk}"
    client = login(world.liaison_a)
    response = _prepare(
        client, django_capture_on_commit_callbacks, "weekly_report", query
    )
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_the_ranking_is_prepared_as_a_workbook(
    world: World,
    indicator_set: IndicatorSet,
    login: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login(world.director)
    query = f"set={indicator_set.pk}&start=2007-05-01"
    _prepare(client, django_capture_on_commit_callbacks, "evaluation_ranking", query)
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.message
    assert job.params == {"set": indicator_set.pk, "start": "2007-05-01"}
    book = load_workbook(io.BytesIO(_file(client, job)))
    assert world.unit_a.name in [cell.value for cell in book.active["B"]]  # type: ignore[index]


def test_another_organisations_office_may_not_prepare_the_ranking(
    other_world: World,
    indicator_set: IndicatorSet,
    login: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login(other_world.director)
    response = _prepare(
        client,
        django_capture_on_commit_callbacks,
        "evaluation_ranking",
        f"set={indicator_set.pk}",
    )
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_the_column_statistics_are_prepared_for_the_office_only(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    query = f"campaign={world.campaign.pk}"
    refused = _prepare(
        login(world.liaison_a),
        django_capture_on_commit_callbacks,
        "publicity_stats",
        query,
    )
    assert refused.status_code == 403
    client = login(world.director)
    _prepare(client, django_capture_on_commit_callbacks, "publicity_stats", query)
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.message
    assert job.requested_by == world.director
    assert _file(client, job).startswith(b"PK")


def test_each_download_offers_to_prepare_it_in_the_background(
    world: World, indicator_set: IndicatorSet, login: Any
) -> None:
    client = login(world.director)
    pages = {
        reverse("ledgers_admin:problems"): "ledgers_export",
        reverse("evaluation_admin:ranking", args=[indicator_set.pk]): (
            "evaluation_ranking"
        ),
        reverse("publicity_admin:stats"): "publicity_stats",
        reverse("dashboard:cockpit"): "weekly_report",
    }
    for page, kind in pages.items():
        response = client.get(page)
        assert response.status_code == 200, page
        assert reverse("jobs_start", args=[kind]) in response.content.decode(), page
