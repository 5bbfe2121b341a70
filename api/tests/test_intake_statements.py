"""What one public submission costs the database: each statement it runs is one
round trip while the submitter waits (bench/intake.py measures the whole)."""

import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from campaigns.models import MainTask
from demands.models import Demand, DemandDayStat, DemandMonthStat
from demands.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/demands"


def touched(sql: str) -> str:
    """The table a statement reads or writes, or what it does."""
    found = re.search(r'(?:FROM|INTO)\s+"?(\w+)"?', sql)
    return found.group(1) if found else sql.split()[0]


def test_a_submission_runs_one_statement_per_row_it_writes(
    client, world, settings, django_capture_on_commit_callbacks
):
    # the production queue, a table of this database, and a fresh cache
    settings.TASKS = {
        **settings.TASKS,
        "sanfu": {
            **settings.TASKS["sanfu"],
            "BACKEND": "django_tasks_db.DatabaseBackend",
        },
    }
    cache.clear()
    body = {
        "campaign": world.campaign.slug,
        "kind": "help",
        "title": "村口水渠堵塞",
        "content": "雨季將至，村口水渠堵塞，請幫助疏通。",
    }
    ContentType.objects.get_for_model(Demand)  # cached by every process once
    postgresql = connection.vendor == "postgresql"
    for n in range(2):
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post(
                API, json.dumps(body), content_type="application/json"
            )
        assert response.status_code == 201
        # the campaign (the first time only: campaigns.accepting keeps it for a
        # few seconds), the demand's key (the sequence, or on SQLite the highest
        # key), then the demand, its audit entry and, last before the commit, the
        # rollup's day row and month row (on PostgreSQL one statement): no
        # existence checks, no savepoint (the test's own transaction holds it
        # all). After the commit the first submission queues the duplicate check
        # for the next few seconds' demands; the second finds it queued.
        statements = [touched(query["sql"]) for query in queries.captured_queries]
        assert statements == [
            *(["campaigns_campaign"] if n == 0 else []),
            "SELECT" if postgresql else "demands_demand",
            "demands_demand",
            "wagtailcore_modellogentry",
            "demands_demanddaystat",
            *([] if postgresql else ["demands_demandmonthstat"]),
            *(["django_tasks_database_dbtaskresult"] if n == 0 else []),
        ]
    assert DBTaskResult.objects.get().task_path == "demands.tasks.check_new_demands"
    assert DemandDayStat.objects.get(campaign=world.campaign).received == 2
    assert DemandMonthStat.objects.get(campaign=world.campaign).received == 2


def test_a_category_costs_one_lookup_and_its_main_task_none(client, world):
    category = CategoryFactory.create(campaign=world.campaign)
    body = {
        "campaign": world.campaign.slug,
        "kind": "complaint",
        "title": "堤防巡查不到位",
        "content": "汛期前堤防巡查不到位，請督促整改。",
        "category": category.pk,
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.post(API, json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    read = [touched(query["sql"]) for query in queries.captured_queries]
    assert read.count("demands_category") == 1
    assert MainTask._meta.db_table not in read
    demand = Demand.objects.get(tracking_no=response.json()["tracking_no"])
    assert demand.main_task_id == category.main_task_id is not None
