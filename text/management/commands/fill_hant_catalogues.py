"""``manage.py fill_hant_catalogues``: regenerate or check text/locale_fill."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from text import catalogues


class Command(BaseCommand):
    """Regenerate the zh-Hant fill catalogues, or verify the committed ones.

    The generated files are committed so deployments need neither OpenCC runs at
    start-up nor GNU gettext; ``--check`` lets CI notice when a Wagtail or Django
    upgrade (or a new app) has made them stale.
    """

    help = (
        "Fill the zh-Hant gaps of the installed apps' catalogues from zh-Hans "
        "(OpenCC) into text/locale_fill, and report coverage per domain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Offer --check, which writes nothing and fails on stale files."""
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit non-zero if the committed files are stale.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Build every domain's fill, then write it or compare it with the disk."""
        fills = catalogues.build()
        label = f"OpenCC {settings.SANFU_TRADITIONAL_CONFIG}"
        files = catalogues.render_files(fills, label)
        for fill in fills:
            coverage = fill.coverage
            self.stdout.write(
                f"{fill.domain}: {coverage.before} of {coverage.total} translated "
                f"before, {coverage.after} after ({fill.filled} filled)"
            )
            if options["verbosity"] >= 2:
                for part in fill.per_source:
                    self.stdout.write(
                        f"  {part.label}: {part.before} of {part.total} before, "
                        f"{part.after} after"
                    )
        output_dir = catalogues.OUTPUT_DIR
        if options["check"]:
            stale = catalogues.stale_files(files, output_dir)
            if stale:
                names = ", ".join(str(path) for path in stale)
                raise CommandError(
                    f"stale: {names}; run `manage.py fill_hant_catalogues`"
                )
            self.stdout.write(
                self.style.SUCCESS("zh-Hant fill catalogues are current.")
            )
            return
        catalogues.write_files(files, output_dir)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(files)} files under {output_dir}.")
        )
