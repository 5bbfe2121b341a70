"""What one public submission costs the database: each statement it runs is one
round trip while the submitter waits (bench/intake.py measures the whole)."""

import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from demands.models import Demand, DemandDayStat

pytestmark = pytest.mark.django_db

API = "/api/v1/demands"


def touched(sql: str) -> str:
    """The table a statement reads or writes, or what it does."""
    found = re.search(r'(?:FROM|INTO)\s+"?(\w+)"?', sql)
    return found.group(1) if found else sql.split()[0]


def test_a_submission_runs_one_statement_per_row_it_writes(client, world, settings):
    # the production queue: the duplicate check is a row in the same transaction
    settings.TASKS = {
        **settings.TASKS,
        "sanfu": {
            **settings.TASKS["sanfu"],
            "BACKEND": "django_tasks_db.DatabaseBackend",
        },
    }
    body = {
        "campaign": world.campaign.slug,
        "kind": "help",
        "title": "村口水渠堵塞",
        "content": "雨季將至，村口水渠堵塞，請幫助疏通。",
    }
    ContentType.objects.get_for_model(Demand)  # cached by every process once
    with CaptureQueriesContext(connection) as queries:
        response = client.post(API, json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    # the campaign, the demand's key (the sequence, or on SQLite the highest key),
    # then the demand, its audit entry, its queued duplicate check and, last before
    # the commit, the rollup's day row and month row: no existence checks, no
    # savepoint (the test's own transaction holds it all)
    statements = [touched(query["sql"]) for query in queries.captured_queries]
    assert statements == [
        "campaigns_campaign",
        "SELECT" if connection.vendor == "postgresql" else "demands_demand",
        "demands_demand",
        "wagtailcore_modellogentry",
        "django_tasks_database_dbtaskresult",
        "demands_demanddaystat",
        "demands_demandmonthstat",
    ]
    demand = Demand.objects.get(tracking_no=response.json()["tracking_no"])
    assert DBTaskResult.objects.get().args_kwargs["args"] == [demand.pk]
    assert DemandDayStat.objects.get(campaign=world.campaign).received == 1
