"""A large campaign for benchmarks (never for production): demands, ledger rows and
column articles, one generator after the other.

``generate_scale --campaign bench --units 500 --demands 1000000 --ledger-rows 200000
--articles 100000`` runs ``generate_demands``, ``generate_ledgers`` and
``generate_articles`` with the same ``--seed`` and ``--until``, and prints the time
each took. Run on a campaign that already holds rows, each generator adds to it.
"""

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from campaigns import generated


class Command(BaseCommand):
    help = "Generate a large campaign (demands, ledgers, articles) for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        generated.add_campaign_arguments(parser)
        parser.add_argument("--units", type=int, default=500)
        parser.add_argument("--demands", type=int, default=10_000)
        parser.add_argument("--ledger-rows", type=int, default=2_000)
        parser.add_argument("--articles", type=int, default=1_000)

    def handle(self, *args: Any, **options: Any) -> None:
        shared = [f"--campaign={options['campaign']}", f"--seed={options['seed']}"]
        if options["until"] is not None:
            shared.append(f"--until={options['until'].isoformat()}")
        steps = (
            (
                "generate_demands",
                [f"--units={options['units']}", f"--demands={options['demands']}"],
            ),
            ("generate_ledgers", [f"--rows={options['ledger_rows']}"]),
            ("generate_articles", [f"--articles={options['articles']}"]),
        )
        for name, arguments in steps:
            started = time.monotonic()
            call_command(
                name,
                *shared,
                *arguments,
                verbosity=options["verbosity"],
                stdout=self.stdout,
            )
            self.stdout.write(f"{name}: {time.monotonic() - started:.1f} s")
