"""django-tasks-db's ``db_worker``, warmed before it takes its first task.

A fresh process pays for Wagtail's hook discovery (every app's ``wagtail_hooks``,
pulled in by the first rich text a render expands: ~3 s) and for the first
WeasyPrint render (its import, fontconfig, the CJK fonts) on whichever task comes
first: a briefing's PDF after a restart took 10 s instead of 1 s. Here the worker
pays before it starts: it looks up the ``warm_up_worker`` hooks (which discovers
them all) and calls each, so an app warms what its tasks use. A ``--batch`` run
(the tests, a one-off) is not worth warming; with ``--reload`` only the child that
runs tasks warms.
"""

import logging
import os
import time
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

logger = logging.getLogger(__name__)


def warm_up() -> float:
    from wagtail import hooks

    started = time.perf_counter()
    for warm in hooks.get_hooks("warm_up_worker"):
        try:
            warm()
        except Exception:  # a cold start is slower, not broken
            logger.exception("warming the worker up failed")
    return time.perf_counter() - started


class Command(DbWorkerCommand):
    def handle(self, **options: Any) -> None:
        child = os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        if not options.get("batch") and (child or not options.get("reload")):
            self.stdout.write(f"Warmed up in {warm_up():.1f} s")
        super().handle(**options)
