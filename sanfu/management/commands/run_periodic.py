"""The clock of the site: publish pages whose time has come and run the demands' and
the ledgers' sweeps, every ``--interval`` seconds (the worker or a systemd timer runs
it).

The hotspots' job groups each campaign's demands of the last complete week once
(a later round finds the week done). The jobs' sweep fails background jobs whose
worker stopped mid-way; the column's erases the contacts of objections past their
retention.

Each round runs its commands one after another; one failing command is reported
and the loop goes on, so a bad page cannot stop the demands' reminders. With
``--enqueue`` the sweeps go to the task worker instead (``demands.tasks``,
``ledgers.tasks``) and the clock only queues them.
"""

import time
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

PERIODIC_COMMANDS = (
    "publish_scheduled",
    "sweep_demands",
    "sweep_ledgers",
    "sweep_jobs",
    "sweep_publicity",
    "retrain_routing",
    "find_hotspots",
)


def _sweep_tasks() -> dict[str, Any]:
    from demands.tasks import find_hotspots, retrain_routing, sweep_demands
    from ledgers.tasks import sweep_ledgers

    return {
        "sweep_demands": sweep_demands,
        "sweep_ledgers": sweep_ledgers,
        "retrain_routing": retrain_routing,
        "find_hotspots": find_hotspots,
    }


class Command(BaseCommand):
    help = "Run scheduled publishing and the demands' and ledgers' sweeps in a loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--once", action="store_true", help="Run one round only.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the sweeps for the task worker instead of running them here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            self.run_round(enqueue=options["enqueue"])
            if options["once"]:
                return
            time.sleep(max(options["interval"], 1))

    def run_round(self, *, enqueue: bool = False) -> None:
        tasks = _sweep_tasks() if enqueue else {}
        for name in PERIODIC_COMMANDS:
            out = StringIO()
            try:
                if name in tasks:
                    result = tasks[name].enqueue()
                    out.write(f"queued {result.id}")
                else:
                    call_command(name, stdout=out)
            except Exception as error:  # reported; the loop goes on
                self.stderr.write(f"{name}: {error!r}")
            else:
                self.stdout.write(f"{name}: {out.getvalue().strip()}")
