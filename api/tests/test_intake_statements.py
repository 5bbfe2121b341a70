"""What one public submission costs the database: each statement it runs is one
round trip while the submitter waits (bench/intake.py measures the whole)."""

import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from campaigns.models import MainTask
from demands import actions, rollup
from demands.models import Demand, DemandDayStat, DemandMonthStat
from demands.tests.factories import CategoryFactory
from sanfu.lib.together import Step

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
        # key), then its rows: on PostgreSQL one statement writes the demand, its
        # audit entry and, last, the rollup's day row and month row
        # (sanfu.lib.together), in autocommit mode its own transaction; on SQLite
        # one INSERT or upsert each. No existence checks, no savepoint. After the
        # commit the first submission queues the duplicate check for the next few
        # seconds' demands; the second finds it queued.
        statements = [touched(query["sql"]) for query in queries.captured_queries]
        assert statements == [
            *(["campaigns_campaign"] if n == 0 else []),
            "SELECT" if postgresql else "demands_demand",
            "demands_demand",
            *(
                []
                if postgresql
                else [
                    "wagtailcore_modellogentry",
                    "demands_demanddaystat",
                    "demands_demandmonthstat",
                ]
            ),
            *(["django_tasks_database_dbtaskresult"] if n == 0 else []),
        ]
        if postgresql:
            together = queries.captured_queries[-2 if n == 0 else -1]["sql"]
            written = re.findall(r'INSERT INTO "?(\w+)"?', together)
            assert written == [
                "demands_demand",
                "wagtailcore_modellogentry",
                "demands_demanddaystat",
                "demands_demandmonthstat",
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


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="one statement is PostgreSQL's"
)
def test_a_submission_whose_statement_fails_leaves_nothing_written(world, monkeypatch):
    # the last step of the statement breaks a NOT NULL: the demand and its audit
    # entry, written by the steps before it, must go with it
    monkeypatch.setattr(
        rollup,
        "counting_new",
        lambda demand: [
            Step(
                "broken",
                "INSERT INTO demands_demanddaystat (campaign_id) "
                "SELECT NULL FROM row0 RETURNING 1",
                [],
            )
        ],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        actions.submit_demand(
            world.campaign,
            kind="help",
            title="水渠堵塞",
            content="請疏通",
            urgency="normal",
        )
    assert not Demand.objects.exists()
    assert not ModelLogEntry.objects.filter(action="sanfu.demand.submit").exists()
    assert not DemandDayStat.objects.exists()
