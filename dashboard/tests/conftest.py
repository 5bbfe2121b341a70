import datetime
import html
import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from docx import Document

from demands import actions as demand_actions
from demands.models import Demand
from demands.tests.factories import submit_test_demand
from jobs.models import Job, JobState


@pytest.fixture(autouse=True)
def fresh_cache():  # type: ignore[no-untyped-def]
    cache.clear()


def overdue_demand(world, unit, title):  # type: ignore[no-untyped-def]
    demand = submit_test_demand(world, title=title)
    demand_actions.dispatch_demand(demand, unit, actor=world.clerk)
    Demand.objects.filter(pk=demand.pk).update(
        accept_due=timezone.now() - datetime.timedelta(days=2)
    )
    demand.refresh_from_db()
    return demand


@pytest.fixture
def demand_set(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Two overdue demands (one per unit), one on time, one just submitted; the
    rollup recounted as on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return _demand_set(world)


def _demand_set(world):  # type: ignore[no-untyped-def]
    late_a = overdue_demand(world, world.unit_a, "河堤護欄損壞")
    late_b = overdue_demand(world, world.unit_b, "河道垃圾清理")
    on_time = submit_test_demand(world, title="河道垃圾堆積")
    demand_actions.dispatch_demand(on_time, world.unit_a, actor=world.clerk)
    fresh = submit_test_demand(world, title="路燈不亮")
    return {"late_a": late_a, "late_b": late_b, "on_time": on_time, "fresh": fresh}


def weekly_report_file(client, capture, **query):  # type: ignore[no-untyped-def]
    """The weekly report as its reader gets it: the report's page (which never makes
    the document) offers a button; the job it starts makes the .docx, downloaded
    from the list of jobs. Returns the job and the document."""
    page = client.get(reverse("dashboard:weekly_report"), query)
    assert page.status_code == 200
    action = re.search(
        r'<form method="post" action="([^"]+)" class="jobs-prepare">',
        page.content.decode(),
    )
    assert action is not None
    with capture(execute=True):
        started = client.post(html.unescape(action.group(1)))
    assert started.status_code == 302
    job = Job.objects.filter(kind="weekly_report").latest("pk")
    assert job.state == JobState.DONE, job.message
    download = client.get(reverse("jobs_download", args=[job.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    download.close()
    return job, Document(io.BytesIO(content))
