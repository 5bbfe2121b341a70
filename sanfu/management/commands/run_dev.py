"""The development site as ``make run`` starts it: the server, the clock
(``run_periodic``) and the task worker (``db_worker``) beside it, their output
prefixed with their names, all stopped together by Ctrl-C (core.supervisor).

The three share the database task backend (SANFU_TASKS_BACKEND=database): the site
and the clock queue notices and sweeps, the worker runs them, so reminders, circulars
and return visits happen in the demo as they would on a server. The demo runs on a
fast clock (``DEMO_ACCEPT_MINUTES``): a dispatched demand not accepted within two
minutes gets the sweep's reminder at the clock's next round.
"""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from core.supervisor import Program, supervise

# minutes a unit has to accept a dispatched demand in the demo: the clock's round
# is a minute, so the reminder shows in the unit's inbox within about three
DEMO_ACCEPT_MINUTES = 2


def dev_programs(addrport: str, interval: int) -> list[Program]:
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    env = {
        "SANFU_TASKS_BACKEND": "database",
        # the demo's fast clock: a unit has minutes to accept, and the sweep's
        # reminder follows a missed deadline at once (settings.SANFU_DEMANDS)
        "SANFU_DEMO_ACCEPT_MINUTES": os.environ.get(
            "SANFU_DEMO_ACCEPT_MINUTES", str(DEMO_ACCEPT_MINUTES)
        ),
    }
    return [
        Program("web", [*manage, "runserver", addrport], env),
        Program("clock", [*manage, "run_periodic", "--interval", str(interval)], env),
        Program(
            "worker",
            [
                *manage,
                "db_worker",
                "--backend",
                "sanfu",
                "--queue-name",
                "*",
                "--no-startup-delay",
            ],
            env,
        ),
    ]


class Command(BaseCommand):
    help = "Run the development server with the periodic clock and the task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="Seconds between the clock's rounds.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        status = supervise(dev_programs(options["addrport"], options["interval"]))
        if status:
            sys.exit(status)
