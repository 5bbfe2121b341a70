"""Cross-validate the routing model on a labelled CSV file (``text,unit`` rows,
UTF-8, header): accuracy at 1 and at 3, each unit's precision and recall, the
units most often taken for one another, and plain keyword matching on a catalogue
(``--catalogue``: ``unit,category,keywords`` rows) as the baseline. Reads no
database."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demands.routing.evaluation import evaluate, read_catalogue, read_labelled


class Command(BaseCommand):
    help = "Cross-validate the routing model on a labelled text,unit CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--catalogue",
            type=Path,
            help="unit,category,keywords CSV: the cold start and the baseline",
        )
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--confusions", type=int, default=10)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_labelled(Path(options["file"]))
            catalogue = (
                read_catalogue(Path(options["catalogue"]))
                if options["catalogue"]
                else {}
            )
            started = time.perf_counter()
            report = evaluate(rows, catalogue, folds=options["folds"])
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        write = self.stdout.write
        units = sorted(report.labelled)
        write(
            f"{report.total} demands, {len(units)} units, "
            f"stratified {options['folds']}-fold cross-validation ({seconds:.1f} s)"
        )
        write(f"accuracy@1: {report.share(report.top1):.1%}")
        write(f"accuracy@3: {report.share(report.top3):.1%}")
        if catalogue:
            write(
                "keyword matching on the catalogue (baseline), accuracy@1: "
                f"{report.share(report.keyword_hits):.1%}"
            )
        write("")
        write(f"{'unit':<16} {'precision':>9} {'recall':>7} {'demands':>7}")
        for unit in units:
            write(
                f"{unit:<16} {report.precision(unit):>9.1%} "
                f"{report.recall(unit):>7.1%} {report.labelled[unit]:>7}"
            )
        write("")
        write("confusions (labelled → suggested first: count)")
        for (labelled, suggested), count in report.confusions.most_common(
            options["confusions"]
        ):
            write(f"{labelled} → {suggested}: {count}")
