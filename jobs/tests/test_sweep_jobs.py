"""A job whose worker stopped mid-way fails after a while, so its owner may retry."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import World
from jobs.actions import STALE_AFTER, fail_stale_jobs
from jobs.models import Job, JobState

pytestmark = pytest.mark.django_db


def test_a_job_running_past_the_limit_fails_and_a_recent_one_runs_on(
    world: World,
) -> None:
    now = timezone.now()
    minute = datetime.timedelta(minutes=1)

    def running(started: datetime.datetime) -> Job:
        return Job.objects.create(
            requested_by=world.liaison_a,
            kind="ledgers_export",
            state=JobState.RUNNING,
            started_at=started,
        )

    lost = running(now - STALE_AFTER - minute)
    busy = running(now - STALE_AFTER + minute)
    out = StringIO()
    call_command("sweep_jobs", stdout=out)
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert (lost.state, busy.state) == (JobState.FAILED, JobState.RUNNING)
    assert lost.message
    assert fail_stale_jobs(now) == 0
