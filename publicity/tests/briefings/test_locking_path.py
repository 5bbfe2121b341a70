"""The numbering takes its number under a lock, on both databases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publicity.models import BriefingCounter
from publicity.tests.briefings.conftest import publish

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_counter_row_is_read_under_lock_inside_the_publish(world, draft):
    with CaptureQueriesContext(connection) as queries:
        page = publish(draft, world.editor)
    assert page.issue_number == 1
    counter_reads = [
        query["sql"]
        for query in queries.captured_queries
        if BriefingCounter._meta.db_table in query["sql"]
        and query["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert counter_reads
    if connection.vendor == "postgresql":
        assert any("FOR UPDATE" in sql for sql in counter_reads)
    else:
        # SQLite has no row locks: our transactions begin IMMEDIATE, taking the
        # database's write lock before the counter is read.
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert BriefingCounter.objects.get(campaign=world.campaign).last_issue == 1
