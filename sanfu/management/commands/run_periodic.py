"""The clock of the site: publish pages whose time has come and run the demands' and
the ledgers' sweeps, every ``--interval`` seconds (the worker or a systemd timer runs
it).

Each round runs its commands one after another; one failing command is reported
and the loop goes on, so a bad page cannot stop the demands' reminders.
"""

import time
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

PERIODIC_COMMANDS = ("publish_scheduled", "sweep_demands", "sweep_ledgers")


class Command(BaseCommand):
    help = "Run scheduled publishing and the demands' and ledgers' sweeps in a loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--once", action="store_true", help="Run one round only.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            self.run_round()
            if options["once"]:
                return
            time.sleep(max(options["interval"], 1))

    def run_round(self) -> None:
        for name in PERIODIC_COMMANDS:
            out = StringIO()
            try:
                call_command(name, stdout=out)
            except Exception as error:  # reported; the loop goes on
                self.stderr.write(f"{name}: {error!r}")
            else:
                self.stdout.write(f"{name}: {out.getvalue().strip()}")
